"""Plain text (.txt): BOMs, UTF-8, GB18030, Big5, UTF-16 (see decode.py)."""
from __future__ import annotations

from .decode import decode_bytes
from .errors import LoadError
from .registry import Extracted, Format, register


def read(data: bytes, path: str, progress=None) -> Extracted:
    if data[:5] == b"%PDF-" or data[:4] == b"PK\x03\x04":
        raise LoadError(path, "binary file (PDF or zip content in a .txt file), not a text document")
    text, enc = decode_bytes(data, path)
    return Extracted(text, [] if enc == "utf-8" else [f"decoded as {enc}"])


register(Format("text", (".txt",), read=read))
