"""ontology/policy.ttl and ontology/shapes.ttl, shipped inside the package (kg.resources)."""
from __future__ import annotations

from pathlib import Path

from kg import resources


def ontology_file() -> Path:
    return resources.path("ontology", "policy.ttl")


def shapes_file() -> Path:
    return resources.path("ontology", "shapes.ttl")
