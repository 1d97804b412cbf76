"""Web pages (.html/.htm), and files of other names whose content is an HTML page (a .xls or .doc
"exported" by a site is often one)."""
from __future__ import annotations

from .registry import Extracted, Format, register


def sniff(data: bytes) -> bool:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml version=\"1.0\"?><html")) or (
        head.startswith(b"<") and b"<html" in data[:2048].lower() and b"<body" in data[:8192].lower())


def read(data: bytes, path: str, progress=None) -> Extracted:
    from .html import html_to_text

    text, enc = html_to_text(data, path)
    return Extracted(text, ["extracted article text from HTML"] + ([] if enc == "utf-8" else [f"decoded as {enc}"]))


register(Format("HTML", (".html", ".htm"), read=read, sniff=sniff, priority=1))
