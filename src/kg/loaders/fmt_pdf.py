"""PDF: the text layer (pypdf), and OCR for pages without one (scans): each such page is rendered
with pdfium at 150 dpi and read by RapidOCR, page by page with a progress bar. Page starts and
the box of every OCR line are kept so offsets map back to a page and a position."""
from __future__ import annotations

import io
import logging

from .errors import LoadError
from .registry import Extracted, Format, register

OCR_DPI = 150
MAX_OCR_PAGES = 300
MIN_PAGE_CHARS = 10   # a page with fewer non-space characters in its text layer is OCR'd


def sniff(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


def _chars(s: str) -> int:
    return sum(1 for c in s if not c.isspace())


def read(data: bytes, path: str, progress=None) -> Extracted:
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError(path, "encrypted PDF (password required)")
        texts = [p.extract_text() or "" for p in reader.pages]
    except LoadError:
        raise
    except Exception as e:
        raise LoadError(path, f"not a readable PDF ({type(e).__name__}: {e})") from None
    if not texts:
        raise LoadError(path, "PDF has no pages")
    scanned = [i for i, t in enumerate(texts) if _chars(t) < MIN_PAGE_CHARS]
    boxes_by_page: dict[int, list] = {}
    notes = []
    if scanned:
        if len(scanned) > MAX_OCR_PAGES:
            raise LoadError(path, f"PDF has {len(scanned)} pages without a text layer (OCR limit {MAX_OCR_PAGES})")
        ocr_lines = _ocr(data, path, scanned, progress)
        for i, lines in ocr_lines.items():
            texts[i] = "\n".join(line.text for line in lines)
            boxes_by_page[i] = lines
        done = [i for i in scanned if _chars(texts[i])]
        if done:
            notes.append(f"OCR on {len(done)} of {len(texts)} page(s) without a text layer")
    if sum(_chars(t) for t in texts) < MIN_PAGE_CHARS:
        raise LoadError(path, f"PDF has no text layer (scanned image?) and OCR found no text, {len(texts)} page(s)")
    out = Extracted("", notes)
    parts, pos = [], 0
    scale = 72 / OCR_DPI
    for i, t in enumerate(texts):
        if i:
            parts.append("\n"); pos += 1
        out.pages.append(pos)
        if i in boxes_by_page:
            at = pos
            for line in boxes_by_page[i]:
                x0, y0, x1, y1 = line.box
                out.boxes.append((at, at + len(line.text), i + 1, (x0 * scale, y0 * scale, x1 * scale, y1 * scale)))
                at += len(line.text) + 1
        parts.append(t); pos += len(t)
    out.text = "".join(parts)
    return out


def _ocr(data: bytes, path: str, pages: list[int], progress) -> dict[int, list]:
    try:
        import pypdfium2 as pdfium
    except ImportError as e:  # declared dependency; a broken install gets a clear line
        raise LoadError(path, f"scanned PDF but the PDF renderer is missing ({e.name}); reinstall policy-kg") from None
    from kg import progressbar

    from . import ocr

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as e:
        raise LoadError(path, f"scanned PDF that cannot be rendered for OCR ({type(e).__name__}: {e})") from None
    out = {}
    try:
        with progressbar.bar(total=len(pages), desc=f"OCR {path.rsplit('/', 1)[-1]}", unit="page", leave=False) as pb:
            for n, i in enumerate(pages):
                page = pdf[i]
                try:
                    image = page.render(scale=OCR_DPI / 72).to_pil()
                finally:
                    page.close()
                out[i] = ocr.ocr_image(image)
                pb.update(1)
                if progress:
                    progress(n + 1, len(pages), "OCR page")
    finally:
        pdf.close()
    return out


register(Format("PDF", (".pdf",), read=read, sniff=sniff, priority=5))
