"""Office and PDF files → text. Every failure becomes a LoadError with one clear reason."""
from __future__ import annotations

import io
import zipfile

from .errors import LoadError

MAX_UNZIPPED = 100 * 1024 * 1024
MAX_RATIO = 200


def _check_zip(data: bytes, path: str) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        raise LoadError(path, "not a valid .docx (corrupt or truncated zip archive)") from None
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED:
        raise LoadError(path, f"refusing to open .docx: it expands to {total / 2**20:.0f} MB "
                              f"(limit {MAX_UNZIPPED // 2**20} MB, zip bomb?)")
    for i in infos:
        if i.compress_size and i.file_size / i.compress_size > MAX_RATIO and i.file_size > 2**20:
            raise LoadError(path, f"refusing to open .docx: {i.filename} compressed "
                                  f"{i.file_size // i.compress_size}:1 (zip bomb?)")
    if "word/document.xml" not in {i.filename for i in infos}:
        raise LoadError(path, "not a .docx document (no word/document.xml in the archive)")


def docx_to_text(data: bytes, path: str) -> str:
    _check_zip(data, path)
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


def pdf_to_text(data: bytes, path: str) -> str:
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError(path, "encrypted PDF (password required)")
        pages = [p.extract_text() or "" for p in reader.pages]
    except LoadError:
        raise
    except Exception as e:
        raise LoadError(path, f"not a readable PDF ({type(e).__name__}: {e})") from None
    text = "\n".join(pages)
    if sum(1 for c in text if not c.isspace()) < 10:
        raise LoadError(path, f"PDF has no text layer (scanned image?), {len(pages)} page(s)")
    return text
