"""Loaders: read .txt/.html/.docx/.pdf into clean text with a map back to the original.

    from kg.loaders import load_file, load_bytes, clean_text, LoadError
    lt = load_file("plan.txt")      # LoadedText: text, original, warnings, meta, original_offset(i)

Every failure is a `LoadError` whose message is ``"{path}: {reason}"``. For .html/.docx/.pdf
`original` is the text extracted from the file (markup is not addressable by offsets).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import furniture as _furniture
from . import mojibake as _mojibake
from . import normalize as _norm
from . import spam as _spam
from .decode import decode_bytes
from .errors import LoadError
from .offsets import Doc

__all__ = ["LoadError", "LoadedText", "load_file", "load_bytes", "clean_text",
           "SUPPORTED_EXTENSIONS", "MAX_FILE_BYTES"]

SUPPORTED_EXTENSIONS = (".txt", ".html", ".htm", ".docx", ".pdf")
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass
class LoadedText:
    source: str
    text: str
    warnings: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    original: str = ""
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


def _extract(data: bytes, name: str, ext: str) -> tuple[str, list[str]]:
    if ext == ".txt":
        if data[:5] == b"%PDF-" or data[:4] == b"PK\x03\x04":
            raise LoadError(name, "binary file (PDF or zip content in a .txt file), not a text document")
        text, enc = decode_bytes(data, name)
        return text, ([] if enc == "utf-8" else [f"decoded as {enc}"])
    if ext in (".html", ".htm"):
        from .html import html_to_text

        text, enc = html_to_text(data, name)
        return text, ["extracted article text from HTML"] + ([] if enc == "utf-8" else [f"decoded as {enc}"])
    if ext == ".docx":
        from .docx_pdf import docx_to_text

        return docx_to_text(data, name), []
    from .docx_pdf import pdf_to_text

    return pdf_to_text(data, name), []


def load_bytes(data: bytes, filename: str) -> LoadedText:
    """Load an upload; the extension of `filename` decides the format."""
    name = str(filename)
    try:
        ext = Path(name).suffix.lower()
        if ext not in SUPPORTED_EXTENSIONS:
            shown = f"'{ext}'" if ext else "(no extension)"
            raise LoadError(name, f"unsupported file type {shown} (supported: {', '.join(SUPPORTED_EXTENSIONS)})")
        if len(data) > MAX_FILE_BYTES:
            raise LoadError(name, f"file too large ({len(data) / 2**20:.1f} MB > {MAX_FILE_BYTES // 2**20} MB limit)")
        if not data.strip():
            raise LoadError(name, "empty file")
        text, notes = _extract(data, name, ext)
        if not text.strip():
            raise LoadError(name, "no text found in the file")
        result = clean_text(text, name)
        result.warnings[:0] = notes
        if not result.text.strip():
            raise LoadError(name, "nothing left after cleaning (only page furniture or spam)")
        return result
    except LoadError:
        raise
    except (MemoryError, RecursionError) as e:
        raise LoadError(name, f"file too complex to load ({type(e).__name__})") from None
    except Exception as e:  # never leak anything but LoadError
        raise LoadError(name, f"unexpected {type(e).__name__} while loading: {e}") from None


def load_file(path: str | Path) -> LoadedText:
    """Load a plan file; raises LoadError (never anything else)."""
    name = str(path)
    p = Path(path)
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
        data = p.read_bytes()
    except LoadError:
        raise
    except OSError as e:
        raise LoadError(name, f"cannot read file ({e.strerror or e})") from None
    return load_bytes(data, name)
