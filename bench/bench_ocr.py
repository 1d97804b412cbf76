"""OCR of scanned PDFs: seconds per page and characters recovered, on pages drawn from the sample plans
(150-dpi images, no text layer; the same pages tests/test_formats.py builds).

    taskset -c 0 env KG_OCR_THREADS=1 python bench/bench_ocr.py [--plans 3]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

SAMPLES = ["01_qingchuan_city_air_2024.txt", "03_liuxi_town_air_2024.txt",
           "04_qingchuan_inspection_rectification_2024.txt", "02_tanxi_county_air_2024.html"]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plans", type=int, default=3, help="sample plans to draw (1-3)")
    args = ap.parse_args()
    import pypdfium2 as pdfium

    from test_formats import recovered, scanned_pdf, wrapped_lines

    from kg.loaders import load_bytes, ocr
    from kg.loaders.fmt_pdf import OCR_DPI

    lines: list[str] = []
    for name in SAMPLES[: max(1, min(3, args.plans))]:
        lines += wrapped_lines((ROOT / "loaders" / "samples" / name).read_text(encoding="utf-8"))
    data = scanned_pdf(lines)
    t = time.perf_counter()
    ocr.engine()
    print(f"engine ready in {time.perf_counter() - t:.2f}s")
    pdf = pdfium.PdfDocument(data)
    walls, cpus = [], []
    for i in range(len(pdf)):
        w, c = time.perf_counter(), time.process_time()
        ocr.ocr_image(pdf[i].render(scale=OCR_DPI / 72).to_pil())
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    n = len(walls)
    print(f"{n} pages: {sum(walls) / n:.2f} s/page wall, {sum(cpus) / n:.2f} CPU-s/page "
          f"(min {min(walls):.2f}, max {max(walls):.2f})")
    lt = load_bytes(data, "bench.pdf")
    print(f"characters recovered: {recovered(chr(10).join(lines), lt.text):.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
