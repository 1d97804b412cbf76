"""The one place that finds the files the code reads: QA templates and intents, lexicons (issuers.tsv,
gazetteer/…), sample plans, ontology and shapes, UI static files.

The top-level folders of the repository (``qa/``, ``loaders/``, ``ontology/``) are the source of truth.
Building the wheel copies them into the package as ``kg/_data/<folder>`` (see ``setup.py``), and an
installed package reads them from there through importlib.resources. A source checkout or an editable
install has no ``kg/_data``: then the folders beside ``src/`` are read directly.

    from kg import resources
    resources.read_text("qa", "templates", "unit_tasks.cypher")
    resources.path("loaders", "samples")          # a real folder (extracted if the package is zipped)
"""
from __future__ import annotations

import atexit
import contextlib
from functools import lru_cache
from importlib import resources as _ir
from importlib.resources.abc import Traversable
from pathlib import Path

# the top-level folders shipped inside the package, and the package folder of the UI files
DATA_FOLDERS = ("qa", "loaders", "ontology")


class ResourceMissing(FileNotFoundError):
    """A resource the package should ship is not there (a broken install or build)."""


@lru_cache(maxsize=None)
def folder(name: str) -> Traversable:
    """The folder `name` (one of DATA_FOLDERS, or "static" for the UI files)."""
    if name == "static":
        return _ir.files("kg.ui") / "static"
    if name not in DATA_FOLDERS:
        raise ValueError(f"unknown resource folder {name!r} (known: {', '.join(DATA_FOLDERS)}, static)")
    shipped = _ir.files("kg") / "_data" / name
    if shipped.is_dir():
        return shipped
    checkout = Path(__file__).resolve().parents[2] / name  # src/kg/resources.py → repository root
    if checkout.is_dir():
        return checkout
    raise ResourceMissing(f"resource folder {name}/ is missing from the installed package "
                          f"(looked in {shipped} and {checkout}); reinstall policy-kg")


def files(name: str, *parts: str) -> Traversable:
    node = folder(name)
    for p in parts:
        for piece in p.split("/"):
            node = node / piece
    return node


def exists(name: str, *parts: str) -> bool:
    try:
        node = files(name, *parts)
    except ResourceMissing:
        return False
    return node.is_file() or node.is_dir()


def read_text(name: str, *parts: str) -> str:
    node = files(name, *parts)
    if not node.is_file():
        raise ResourceMissing(f"resource {name}/{'/'.join(parts)} is missing from the installed package")
    return node.read_text(encoding="utf-8")


_stack = contextlib.ExitStack()
atexit.register(_stack.close)


@lru_cache(maxsize=None)
def path(name: str, *parts: str) -> Path:
    """A real filesystem path for a resource (for libraries that need one: StaticFiles, rdflib, a loader).
    For a normal (unzipped) install this is the file inside site-packages; kept until exit otherwise."""
    node = files(name, *parts)
    if not (node.is_file() or node.is_dir()):
        raise ResourceMissing(f"resource {name}/{'/'.join(parts)} is missing from the installed package")
    return Path(_stack.enter_context(_ir.as_file(node)))
