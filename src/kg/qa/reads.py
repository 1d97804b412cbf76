"""Named graph reads behind the API and the UI (units, task detail, trace, documents, responsibility
network, overview): their Cypher is in reads.cypher beside this module (shipped in the package), the
same on both engines, parameters only. The API and the UI call these by name; neither writes Cypher.

    from kg.qa.reads import READ, run
    store.run(READ("task"), {"id": task_id})      # or: run(store, "task", id=task_id)
"""
from __future__ import annotations

from kg.store.cypher_files import statements


def READ(name: str) -> str:
    """The Cypher of a named read (KeyError for an unknown name)."""
    return statements("kg.qa", "reads.cypher")[name]


def run(store, name: str, **params) -> list[dict]:
    return store.run(READ(name), params)


def names() -> list[str]:
    return sorted(statements("kg.qa", "reads.cypher"))
