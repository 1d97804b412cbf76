"""Shared test fixtures. Real plans live in ../shared (beside the clone); without it the tests that
need them skip with a reason, except under CI where ../shared is always present and they must run."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"
SAMPLES = ROOT / "loaders" / "samples"
IN_CI = os.environ.get("CI") == "true"


def need_shared(path: Path) -> Path:
    """Return `path`, or skip (fail under CI) when ../shared is not beside the clone."""
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} missing: CI must have ../shared beside the clone")
        pytest.skip(f"{path} not found: real plans are read from ../shared, which is not beside this clone")
    return path


def seed(prefix: str) -> Path:
    """Seed file by its number prefix, e.g. seed('001')."""
    folder = need_shared(SEEDS)
    matches = sorted(folder.glob(f"{prefix}_*.txt"))
    assert matches, f"no seed {prefix} in {folder}"
    return matches[0]
