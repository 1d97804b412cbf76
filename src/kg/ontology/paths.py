"""Where ontology/policy.ttl and ontology/shapes.ttl are: KG_ONTOLOGY_DIR, else the repository's
ontology/ folder (source checkout or editable install), else ./ontology."""
from __future__ import annotations

import os
from pathlib import Path


def ontology_dir() -> Path:
    env = os.environ.get("KG_ONTOLOGY_DIR")
    candidates = [Path(env)] if env else []
    candidates += [Path(__file__).resolve().parents[3] / "ontology", Path.cwd() / "ontology"]
    for c in candidates:
        if (c / "policy.ttl").exists():
            return c
    raise FileNotFoundError("ontology/policy.ttl not found (set KG_ONTOLOGY_DIR to the folder holding it)")


def ontology_file() -> Path:
    return ontology_dir() / "policy.ttl"


def shapes_file() -> Path:
    return ontology_dir() / "shapes.ttl"
