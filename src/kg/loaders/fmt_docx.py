"""Word documents (.docx): paragraphs and tables in body order; table rows as ``cell | cell``."""
from __future__ import annotations

import io

from .errors import LoadError
from .ole import ole_kind
from .registry import Extracted, Format, register
from .ziplimits import open_zip, zip_names


def sniff(data: bytes) -> bool:
    return "word/document.xml" in zip_names(data)


def docx_to_text(data: bytes, path: str) -> str:
    if ole_kind(data) == "encrypted":
        raise LoadError(path, "password-protected .docx (encrypted): save it without a password")
    zf = open_zip(data, path, ".docx")
    if "word/document.xml" not in set(zf.namelist()):
        raise LoadError(path, "not a .docx document (no word/document.xml in the archive)")
    try:
        from docx import Document
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        doc = Document(io.BytesIO(data))
        lines: list[str] = []
        for el in doc.element.body.iterchildren():
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.append(Paragraph(el, doc).text)
            elif tag == "tbl":
                for row in Table(el, doc).rows:
                    cells: list[str] = []
                    for cell in row.cells:
                        t = " ".join(cell.text.split())
                        if t and (not cells or cells[-1] != t):  # merged cells repeat
                            cells.append(t)
                    if cells:
                        lines.append(" | ".join(cells))
    except LoadError:
        raise
    except Exception as e:  # python-docx raises many types on damaged files
        raise LoadError(path, f"cannot read .docx ({type(e).__name__}: {e})") from None
    return "\n".join(lines)


def read(data: bytes, path: str, progress=None) -> Extracted:
    return Extracted(docx_to_text(data, path))


register(Format("Word .docx", (".docx",), read=read, sniff=sniff, priority=10))
