"""Loaders: read plan files into clean text with a map back to the original.

    from kg.loaders import load_file, load_bytes, iter_load, clean_text, LoadError
    lt = load_file("plan.txt")      # LoadedText: text, original, warnings, meta, original_offset(i)
    for source, result in iter_load("plans.zip"):   # one (name, LoadedText | LoadError) per plan
        ...

Formats are modules ``fmt_*.py`` registered by extension and sniffed content (registry.py): .txt,
.html, .docx, .pdf (text layer, OCR for scans), .xlsx/.xls, .ofd, .doc/.wps (with a converter),
.zip of plans. Every failure is a `LoadError` whose message is ``"{path}: {reason}"``; for a zip
member the path is ``archive.zip/member``. For formats other than .txt `original` is the text
extracted from the file; `pages` / `location(i)` tell on which page (sheet) and where an offset is.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from . import furniture as _furniture
from . import mojibake as _mojibake
from . import normalize as _norm
from . import registry
from . import spam as _spam
from .errors import LoadError
from .offsets import Doc

__all__ = ["LoadError", "LoadedText", "load_file", "load_bytes", "iter_load", "clean_text",
           "SUPPORTED_EXTENSIONS", "MAX_FILE_BYTES", "MAX_ARCHIVE_MEMBERS"]

SUPPORTED_EXTENSIONS = registry.extensions()
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 500


@dataclass
class LoadedText:
    source: str
    text: str
    warnings: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    original: str = ""
    pages: list[int] = field(default_factory=list)        # offset in `original` where page k+1 starts
    page_labels: list[str] = field(default_factory=list)  # sheet names for spreadsheets
    boxes: list[tuple] = field(default_factory=list)      # OCR lines: (start, end, page, (x0, y0, x1, y1))
    _doc: Doc | None = field(default=None, repr=False, compare=False)

    def original_offset(self, i: int) -> int:
        """Offset in `original` of cleaned-text offset `i` (0 <= i <= len(text))."""
        if not 0 <= i <= len(self.text):
            raise IndexError(f"offset {i} outside 0..{len(self.text)}")
        return self._doc.original_offset(i) if self._doc else i

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of a cleaned span; the end hugs the span's last character."""
        if end <= start:
            o = self.original_offset(start)
            return o, o
        return self.original_offset(start), self.original_offset(end - 1) + 1

    def location(self, i: int) -> dict:
        """Where cleaned-text offset `i` is in the file: {page, label?, box?} (page from 1; box in
        points from the page's top-left, for OCR'd pages). {} for files without pages."""
        if not self.pages:
            return {}
        o = self.original_offset(i)
        k = max(0, bisect_right(self.pages, o) - 1)
        out: dict = {"page": k + 1}
        if k < len(self.page_labels) and self.page_labels[k]:
            out["label"] = self.page_labels[k]
        starts = [b[0] for b in self.boxes]
        j = bisect_right(starts, o) - 1
        if j >= 0 and self.boxes[j][0] <= o <= self.boxes[j][1] and self.boxes[j][2] == k + 1:
            out["box"] = tuple(round(v, 1) for v in self.boxes[j][3])
        return out


def clean_text(raw: str, source: str = "<text>") -> LoadedText:
    """The cleaning pipeline on already-decoded text; each step reports in `warnings`."""
    doc = Doc(raw)
    _norm.newlines(doc)
    _mojibake.repair(doc)
    _norm.entities(doc)
    _norm.width(doc)
    _norm.traditional(doc)
    _norm.lost_breaks(doc)
    _furniture.furniture(doc)
    _spam.spam(doc)
    _norm.spacing(doc)
    lead = len(doc.text) - len(doc.text.lstrip())
    trail = len(doc.text.rstrip())
    doc.edit([e for e in ((0, lead, ""), (trail, len(doc.text), "")) if e[1] > e[0]])
    return LoadedText(source=source, text=doc.text, warnings=doc.warnings,
                      meta=_furniture.parse_meta(doc.text), original=raw, _doc=doc)


def _unsupported(name: str, ext: str) -> LoadError:
    shown = f"'{ext}'" if ext else "(no extension)"
    return LoadError(name, f"unsupported file type {shown} (supported: {', '.join(SUPPORTED_EXTENSIONS)})")


def _pick(data: bytes, name: str) -> tuple[registry.Format, str | None]:
    ext = Path(name).suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        raise _unsupported(name, ext)
    if len(data) > MAX_FILE_BYTES:
        raise LoadError(name, f"file too large ({len(data) / 2**20:.1f} MB > {MAX_FILE_BYTES // 2**20} MB limit)")
    if not data.strip():
        raise LoadError(name, "empty file")
    fmt, note = registry.pick(data, ext)
    if fmt is None:
        raise _unsupported(name, ext)
    return fmt, note


def _guard(name: str, fn):
    """Run fn(); anything but LoadError becomes a LoadError naming the file."""
    try:
        return fn()
    except LoadError:
        raise
    except (MemoryError, RecursionError) as e:
        raise LoadError(name, f"file too complex to load ({type(e).__name__})") from None
    except Exception as e:  # never leak anything but LoadError
        raise LoadError(name, f"unexpected {type(e).__name__} while loading: {e}") from None


def _read(data: bytes, name: str, fmt: registry.Format, note: str | None, progress=None) -> LoadedText:
    def run() -> LoadedText:
        if fmt.read is None:
            raise LoadError(name, f"{fmt.name} holds several files: load it with `policykg load` "
                                  f"(each member is its own plan)")
        ex = fmt.read(data, name, progress=progress)
        if not ex.text.strip():
            raise LoadError(name, "no text found in the file")
        result = clean_text(ex.text, name)
        result.warnings[:0] = ([note] if note else []) + ex.notes
        result.pages, result.page_labels, result.boxes = ex.pages, ex.page_labels, ex.boxes
        if not result.text.strip():
            raise LoadError(name, "nothing left after cleaning (only page furniture or spam)")
        return result

    return _guard(name, run)


def load_bytes(data: bytes, filename: str, progress=None) -> LoadedText:
    """Load an upload; the extension of `filename` (checked against the content) decides the format.
    A .zip holding exactly one plan file gives that file; more members need `iter_load`."""
    name = str(filename)
    fmt, note = _guard(name, lambda: _pick(data, name))
    if fmt.members is not None:
        results = list(_members(data, name, fmt, progress))
        if len(results) == 1:
            r = results[0][1]
            if isinstance(r, LoadError):
                raise r
            return r
        raise LoadError(name, f"archive holds {len(results)} files: load it with `policykg load` "
                              f"(each member is its own plan)")
    return _read(data, name, fmt, note, progress)


def _members(data: bytes, name: str, fmt: registry.Format, progress=None) -> Iterator[tuple[str, LoadedText | LoadError]]:
    count = 0
    try:
        for member, read in fmt.members(data, name):
            source = f"{name}/{member}"
            count += 1
            if count > MAX_ARCHIVE_MEMBERS:
                yield name, LoadError(name, f"archive has more than {MAX_ARCHIVE_MEMBERS} files; the rest were skipped")
                return
            try:
                blob = _guard(source, read)
                mfmt, note = _guard(source, lambda: _pick(blob, source))
                if mfmt.members is not None:
                    raise LoadError(source, "archive inside an archive: unpack it first")
                yield source, _read(blob, source, mfmt, note, progress)
            except LoadError as exc:
                yield source, exc
    except LoadError as exc:
        yield name, exc
        return
    except Exception as exc:  # a damaged archive found half-way
        yield name, LoadError(name, f"damaged archive ({type(exc).__name__}: {exc})")
        return
    if count == 0:
        yield name, LoadError(name, "archive holds no files")


def _read_path(p: Path, name: str) -> bytes:
    try:
        ext = p.suffix.lower()
        if ext not in SUPPORTED_EXTENSIONS:
            raise LoadError(name, f"unsupported file type '{ext or '(none)'}' (supported: {', '.join(SUPPORTED_EXTENSIONS)})")
        if not p.exists():
            raise LoadError(name, "file not found")
        if p.is_dir():
            raise LoadError(name, "is a directory, not a file")
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise LoadError(name, f"file too large ({size / 2**20:.1f} MB > {MAX_FILE_BYTES // 2**20} MB limit)")
        return p.read_bytes()
    except LoadError:
        raise
    except OSError as e:
        raise LoadError(name, f"cannot read file ({e.strerror or e})") from None


def load_file(path: str | Path, progress=None) -> LoadedText:
    """Load a plan file; raises LoadError (never anything else)."""
    name = str(path)
    return load_bytes(_read_path(Path(path), name), name, progress)


def iter_load(path: str | Path, progress=None) -> Iterator[tuple[str, LoadedText | LoadError]]:
    """(source, LoadedText or LoadError) for each plan in a file: one for a plan file, one per member
    for an archive (source ``archive.zip/member``). Never raises LoadError."""
    name = str(path)
    try:
        data = _read_path(Path(path), name)
        fmt, note = _guard(name, lambda: _pick(data, name))
    except LoadError as exc:
        yield name, exc
        return
    if fmt.members is not None:
        yield from _members(data, name, fmt, progress)
        return
    try:
        yield name, _read(data, name, fmt, note, progress)
    except LoadError as exc:
        yield name, exc
