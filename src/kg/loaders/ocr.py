"""OCR of page images with RapidOCR (rapidocr-onnxruntime: PP-OCRv4 Chinese detection + recognition
models ship inside its wheel, run on onnxruntime on the CPU; nothing is downloaded).

`ocr_pages(images)` turns page images into text lines in reading order, each with its box on the page,
so a character offset maps back to a page and a position.
"""
from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass

_engine = None
_lock = threading.Lock()

# 〔2024】5号 → 〔2024〕5号: OCR mixes up the brackets of document numbers
DOC_NO_BRACKETS = re.compile(r"([〔【\[［(（])\s*((?:19|20)\d{2})\s*([〕】\]］)）])\s*(\d{1,4})\s*(号|號)")


@dataclass
class Line:
    text: str
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in page pixels, origin top-left


def engine():
    """The RapidOCR engine, made once per process (its models come from the installed wheel)."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                import logging

                from rapidocr_onnxruntime import RapidOCR

                logging.getLogger("RapidOCR").setLevel(logging.ERROR)
                threads = int(os.environ.get("KG_OCR_THREADS") or 0)  # default: onnxruntime's choice
                _engine = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1) if threads > 0 else RapidOCR()
    return _engine


def fix_text(text: str) -> str:
    return DOC_NO_BRACKETS.sub(lambda m: f"〔{m.group(2)}〕{m.group(4)}{m.group(5)}", text)


def reading_order(raw: list[tuple[list, str, float]]) -> list[Line]:
    """RapidOCR boxes → lines: boxes whose vertical centres are within half a line height form one
    line, left to right; a gap of a character or more between two boxes on a line (table cells, which
    the detector boxes apart) becomes `` | ``."""
    items = []
    for pts, text, _score in raw:
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        items.append((min(xs), min(ys), max(xs), max(ys), text.strip()))
    items = [i for i in items if i[4]]
    items.sort(key=lambda b: ((b[1] + b[3]) / 2, b[0]))
    rows: list[list[tuple]] = []
    for it in items:
        h = it[3] - it[1]
        cy = (it[1] + it[3]) / 2
        if rows:
            last = rows[-1]
            ly = sum((b[1] + b[3]) / 2 for b in last) / len(last)
            lh = max(b[3] - b[1] for b in last)
            if abs(cy - ly) < 0.5 * max(h, lh):
                last.append(it)
                continue
        rows.append([it])
    lines = []
    for row in rows:
        row.sort(key=lambda b: b[0])
        h = max(b[3] - b[1] for b in row)
        text = row[0][4]
        for prev, cur in zip(row, row[1:]):
            text += (" | " if cur[0] - prev[2] > 0.8 * h else "") + cur[4]
        lines.append(Line(fix_text(text), (min(b[0] for b in row), min(b[1] for b in row),
                                           max(b[2] for b in row), max(b[3] for b in row))))
    return lines


def ocr_image(image) -> list[Line]:
    """One page image (PIL image or numpy array) → lines in reading order."""
    import numpy as np

    arr = np.asarray(image.convert("RGB")) if hasattr(image, "convert") else image
    result, _elapsed = engine()(arr)
    return reading_order(result or [])
