"""Extraction throughput on one core: load + clean + extract every seed and corpus file.

    python bench/bench_extract.py [--repeat 3] [paths...]
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections import Counter
from pathlib import Path

from kg.extract import extract_file

SHARED = Path(__file__).resolve().parents[2] / "shared"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--per-file", action="store_true", help="print tasks/units/markers per file")
    args = ap.parse_args()
    files = args.paths or sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "corpus").glob("*.txt"))
    if not files:
        raise SystemExit("no input files (../shared not found and no paths given)")
    extract_file(files[0])  # warm-up: lexicons, jieba dictionary, OpenCC
    best = cpu = None
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        plans = [extract_file(f) for f in files]
        elapsed, used = time.perf_counter() - t0, time.process_time() - c0
        best = elapsed if best is None else min(best, elapsed)
        cpu = used if cpu is None else min(cpu, used)
    size = sum(f.stat().st_size for f in files)
    print(f"{len(files)} files, {size / 1e6:.2f} MB: best of {args.repeat}: {best:.2f} s = "
          f"{len(files) / best:.1f} files/s, {size / 1e6 / best:.2f} MB/s (one process, one core)")
    # on a shared machine the wall clock counts other processes' turns; CPU time is this process's own
    print(f"CPU time: {cpu:.2f} s = {len(files) / cpu:.1f} files per CPU-second (load average "
          f"{os.getloadavg()[0]:.1f})")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    errors = [p for p in plans if p.error]
    print(f"errors: {len(errors)}")
    if args.per_file:
        for p in plans:
            roles = Counter(u.role for t in p.tasks for u in t.units)
            print(f"{Path(p.source).name}\ttasks={len(p.tasks)}\tunits={len(p.units)}\tlead={roles['lead']}"
                  f"\tresponsible={roles['responsible']}\tsupport={roles['support']}"
                  f"\tdeadlines={sum(len(t.deadlines) for t in p.tasks)}\ttargets={len(p.targets) + sum(len(t.targets) for t in p.tasks)}"
                  f"\tparents={len(p.parents)}\twarnings={len(p.warnings)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
