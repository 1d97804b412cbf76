"""Data files the code reads (lexicons, gazetteer, templates…), found in one place."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# folder name the code asks for → where it lives in the source tree
FOLDERS = {"gazetteer": ROOT / "loaders" / "gazetteer", "loaders": ROOT / "loaders"}


def read_text(folder: str, name: str) -> str:
    return (FOLDERS[folder] / name).read_text(encoding="utf-8")
