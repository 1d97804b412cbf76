"""Input formats, one module each (``fmt_*.py`` in this package), registered by extension and by
sniffed content. A module adds a format with ``register(Format(...))`` when it is imported;
`formats()` imports every ``fmt_*`` module of the package once, so a new format is one new file.

A format either reads a file into text (`read`) or is a container whose members are files of their
own (`members`, e.g. a .zip of plans). Readers raise LoadError with one reason; the caller adds the
file name. Heavy libraries are imported inside the reader, never at module import.
"""
from __future__ import annotations

import importlib
import pkgutil
import threading
from dataclasses import dataclass, field
from typing import Callable, Iterable, Protocol


@dataclass
class Extracted:
    """What a reader returns: the text, notes for `warnings`, and optionally where each page starts
    (offset in `text`, page number from 1) and the box of each line on its page."""
    text: str
    notes: list[str] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)          # text offset where page k+1 starts
    page_labels: list[str] = field(default_factory=list)    # e.g. sheet names; "" = page number
    boxes: list[tuple[int, int, int, tuple[float, float, float, float]]] = field(default_factory=list)
    # (start, end, page, (x0, y0, x1, y1) in page points from the top-left) for OCR lines


class Progress(Protocol):
    def __call__(self, done: int, total: int, what: str) -> None: ...


@dataclass(frozen=True)
class Format:
    name: str
    extensions: tuple[str, ...]
    read: Callable[..., Extracted] | None = None         # (data, path, progress=None) -> Extracted
    sniff: Callable[[bytes], bool] | None = None          # does the content look like this format?
    members: Callable[[bytes, str], Iterable[tuple[str, Callable[[], bytes]]]] | None = None  # containers:
    # (member name, read) pairs; read() raises LoadError for that member only
    priority: int = 0                                     # higher wins when several sniff true


_formats: dict[str, Format] = {}
_lock = threading.Lock()
_loaded = False


def register(fmt: Format) -> Format:
    for ext in fmt.extensions:
        if not ext.startswith(".") or ext != ext.lower():
            raise ValueError(f"extension {ext!r} of {fmt.name} must be lower case with a dot")
    _formats[fmt.name] = fmt
    return fmt


def formats() -> list[Format]:
    global _loaded
    if not _loaded:
        with _lock:
            if not _loaded:
                from kg import loaders as pkg

                for mod in sorted(m.name for m in pkgutil.iter_modules(pkg.__path__) if m.name.startswith("fmt_")):
                    importlib.import_module(f"{pkg.__name__}.{mod}")
                _loaded = True
    return sorted(_formats.values(), key=lambda f: -f.priority)


def extensions() -> tuple[str, ...]:
    return tuple(sorted({e for f in formats() for e in f.extensions}))


def by_extension(ext: str) -> Format | None:
    for f in formats():
        if ext in f.extensions:
            return f
    return None


def pick(data: bytes, ext: str) -> tuple[Format | None, str | None]:
    """The format for a file: its extension's, unless the content is clearly another registered
    format (a .xls that is an HTML page, a .doc that is really .docx). Returns (format, note)."""
    named = by_extension(ext)
    if named is not None and named.sniff is not None and named.sniff(data):
        return named, None
    for f in formats():
        if f is not named and f.sniff is not None and f.sniff(data):
            if named is not None:
                return f, f"content is {f.name} although the name ends in {ext}"
            return f, None
    return named, None
