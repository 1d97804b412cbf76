"""QA latency: p50 / p95 per intent over qa/questions.yaml, plus embedding-model load time and memory.

    python bench/bench_qa.py                        # fresh embedded store with the seeds
    python bench/bench_qa.py --store bolt://localhost:7687      # Neo4j (wiped and loaded)
    python bench/bench_qa.py --store embedded:/big --no-load   # e.g. the 10,000-plan synthetic graph
    python bench/bench_qa.py --repeat 5
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_qa import ROOT, load_questions, open_loaded_store  # noqa: E402


def rss_mb() -> float:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    if not xs:
        return 0.0
    k = min(len(xs) - 1, max(0, int(round(p / 100 * (len(xs) - 1)))))
    return xs[k]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store")
    ap.add_argument("--no-load", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--questions", default=str(ROOT / "qa" / "questions.yaml"))
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from kg.qa import embedding

    before = rss_mb()
    t0 = time.perf_counter()
    embedding.get_model()
    embedding.embed_query("预热")
    load_s = time.perf_counter() - t0
    after = rss_mb()
    print(f"model: {embedding.info().get('path')}")
    print(f"model load: {load_s:.2f}s   RSS +{after - before:.0f} MB (process {after:.0f} MB)")

    uri = args.store or f"embedded:{tempfile.mkdtemp(prefix='policykg-bench-')}"
    store = open_loaded_store(uri, load=not args.no_load)
    from kg.qa import answer

    questions, default_today = load_questions(Path(args.questions))
    lat = defaultdict(list)
    try:
        # warm-up: lexicon, example embeddings
        answer("矿区环保中队负责哪些任务", store, today=date(2019, 8, 15))
        for _ in range(args.repeat):
            for item in questions:
                today = date.fromisoformat(item.get("today") or default_today)
                t = time.perf_counter()
                r = answer(item["q"], store, today=today)
                lat[r["intent"]].append((time.perf_counter() - t) * 1000)
    finally:
        close = getattr(store, "close", None)
        if close:
            close()
    print(f"engine: {getattr(store, 'engine', '?')}   repeat: {args.repeat}")
    print(f"{'intent':<16} {'n':>4} {'p50 ms':>8} {'p95 ms':>8}")
    allx = []
    for k in sorted(lat):
        xs = lat[k]
        allx += xs
        print(f"{k:<16} {len(xs):>4} {statistics.median(xs):>8.1f} {pct(xs, 95):>8.1f}")
    print(f"{'all':<16} {len(allx):>4} {statistics.median(allx):>8.1f} {pct(allx, 95):>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
