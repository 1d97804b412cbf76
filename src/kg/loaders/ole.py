"""Old binary Office files (OLE2 compound documents): which kind a file is, without a parser."""
from __future__ import annotations

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _u16(name: str) -> bytes:
    return name.encode("utf-16-le")


def ole_kind(data: bytes) -> str | None:
    """"encrypted" (a password-protected .docx/.xlsx), "xls", "doc" or "ole" (other); None if not OLE2."""
    if not data.startswith(OLE_MAGIC):
        return None
    if _u16("EncryptedPackage") in data:
        return "encrypted"
    if _u16("Workbook") in data or _u16("Book") in data:
        return "xls"
    if _u16("WordDocument") in data:
        return "doc"
    return "ole"
