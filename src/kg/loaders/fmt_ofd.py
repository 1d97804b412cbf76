"""OFD (GB/T 33190, the national format for electronic official documents): a zip of XML parts.
OFD.xml names the document root; Document.xml lists the pages in order; each page's Content.xml
holds TextObject/TextCode elements with positions. Text is read in page order and, within a page,
top to bottom and left to right (standard library only; works offline)."""
from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET

from .errors import LoadError
from .registry import Extracted, Format, register
from .ziplimits import open_zip, read_member, zip_names

LINE_TOLERANCE = 1.5  # mm: TextCodes whose baselines differ less are on one line


def sniff(data: bytes) -> bool:
    return "OFD.xml" in zip_names(data)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find(el, name):
    return [e for e in el.iter() if _local(e.tag) == name]


def _floats(s: str | None, n: int) -> list[float]:
    try:
        vals = [float(x) for x in (s or "").split()]
    except ValueError:
        vals = []
    return (vals + [0.0] * n)[:n]


def _xml(zf, name: str, path: str):
    try:
        return ET.fromstring(read_member(zf, name, path, ".ofd"))
    except ET.ParseError as e:
        raise LoadError(path, f"damaged OFD: {name} is not valid XML ({e})") from None


def _resolve(base: str, loc: str, names: set[str]) -> str | None:
    loc = loc.strip().lstrip("/") if loc.strip().startswith("/") else posixpath.normpath(posixpath.join(base, loc.strip()))
    return loc if loc in names else None


def page_lines(content) -> list[str]:
    codes = []
    for obj in _find(content, "TextObject"):
        bx, by = _floats(obj.get("Boundary"), 4)[:2]
        for code in _find(obj, "TextCode"):
            text = code.text or ""
            if text.strip():
                codes.append((by + float(code.get("Y") or 0), bx + float(code.get("X") or 0), text))
    codes.sort()
    lines: list[list[tuple]] = []
    for c in codes:
        if lines and abs(c[0] - lines[-1][0][0]) < LINE_TOLERANCE:
            lines[-1].append(c)
        else:
            lines.append([c])
    return ["".join(t for _, _, t in sorted(line, key=lambda c: c[1])) for line in lines]


def read(data: bytes, path: str, progress=None) -> Extracted:
    zf = open_zip(data, path, ".ofd")
    names = set(zf.namelist())
    if "OFD.xml" not in names:
        raise LoadError(path, "not an OFD document (no OFD.xml in the archive)")
    root = _xml(zf, "OFD.xml", path)
    doc_roots = [e.text.strip() for e in _find(root, "DocRoot") if e.text and e.text.strip()]
    if not doc_roots:
        raise LoadError(path, "damaged OFD: OFD.xml names no document (DocRoot)")
    doc_name = _resolve("", doc_roots[0], names)
    if doc_name is None:
        raise LoadError(path, f"damaged OFD: {doc_roots[0]} is missing from the archive")
    doc = _xml(zf, doc_name, path)
    base = posixpath.dirname(doc_name)
    pages = [p.get("BaseLoc") for p in _find(doc, "Page") if p.get("BaseLoc")]
    if not pages:
        raise LoadError(path, "damaged OFD: the document lists no pages")
    out = Extracted("")
    parts, pos = [], 0
    for n, loc in enumerate(pages):
        name = _resolve(base, loc, names)
        if name is None:
            raise LoadError(path, f"damaged OFD: page {n + 1} ({loc}) is missing from the archive")
        text = "\n".join(page_lines(_xml(zf, name, path)))
        if n:
            parts.append("\n"); pos += 1
        out.pages.append(pos)
        parts.append(text); pos += len(text)
        if progress:
            progress(n + 1, len(pages), "OFD page")
    out.text = "".join(parts)
    if not out.text.strip():
        raise LoadError(path, f"OFD has no text ({len(pages)} page(s); scanned pages in OFD are not read)")
    return out


register(Format("OFD", (".ofd",), read=read, sniff=sniff, priority=10))
