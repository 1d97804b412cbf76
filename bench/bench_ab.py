"""Two versions of the code answering the same questions in turn, so both see the same machine load (on 2
shared cores the load moves more between two whole `bench_qa.py` runs than most changes do).

    python bench/bench_ab.py --before /tmp/base:embedded:/tmp/s10k_a --after .:embedded:/tmp/s10k_b \
        --repeat 6 --out bench/results/ab.json

Each side is SOURCE_TREE:STORE_URI: a long-lived worker process runs that tree's code (its src/ first on the
path) on that store (a copy of the same store for each side: an embedded store is one process's), builds
bench_qa.py's synthetic questions, warms up as `policykg serve` does, then answers question k when told.
Question by question the two workers answer in turn, the pair's order flipping each time; the answer and
query-embedding caches are cleared before each answer, as in bench_qa.py. Prints and writes p50 / p95 per
intent for each side, and the 1-minute load average after each round.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_qa import pct  # noqa: E402

WORKER = r'''
import json, os, sys, time
sys.path.insert(0, os.path.join(os.environ["AB_TREE"], "bench"))
from bench_qa import synthetic_questions
from kg.qa import answer, answer_cache, embedding
from kg.qa.linking import lexicon_for
from kg.qa.warmup import warm_up
from kg.store import open_store

store = open_store(sys.argv[1])
lexicon_for(store)
questions = synthetic_questions(store)
warm_up(store)
print(json.dumps([[i, q, str(t)] for i, q, t in questions], ensure_ascii=False), flush=True)
for line in sys.stdin:
    intent, q, today = questions[int(line)]
    embedding._query_cache.clear()
    answer_cache.clear()
    t = time.perf_counter()
    r = answer(q, store, today=today)
    print(json.dumps({"ms": (time.perf_counter() - t) * 1000, "intent": r["intent"]}), flush=True)
store.close()
'''


def start(side: str) -> tuple[subprocess.Popen, list]:
    tree, _, uri = side.partition(":")
    tree = str(Path(tree).resolve())
    env = dict(os.environ, AB_TREE=tree, PYTHONPATH=os.path.join(tree, "src"), KG_PROGRESS="0",
               HF_HUB_OFFLINE="1")
    p = subprocess.Popen([sys.executable, "-c", WORKER, uri], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         text=True, env=env, cwd=tree)
    return p, json.loads(p.stdout.readline())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", required=True, help="SOURCE_TREE:STORE_URI")
    ap.add_argument("--after", required=True, help="SOURCE_TREE:STORE_URI")
    ap.add_argument("--repeat", type=int, default=6)
    ap.add_argument("--out", help="write the results as JSON here")
    args = ap.parse_args(argv)
    sides = {"before": start(args.before), "after": start(args.after)}
    questions = sides["before"][1]
    if sides["after"][1] != questions:
        raise SystemExit("the two stores give different synthetic questions: use copies of one store")
    lat: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
    load = [round(os.getloadavg()[0], 2)]
    for rep in range(args.repeat):
        for k, (intent, _q, _t) in enumerate(questions):
            order = ["before", "after"] if (rep + k) % 2 == 0 else ["after", "before"]
            for name in order:
                p = sides[name][0]
                p.stdin.write(f"{k}\n")
                p.stdin.flush()
                lat[name].setdefault(intent, []).append(json.loads(p.stdout.readline())["ms"])
        load.append(round(os.getloadavg()[0], 2))
    for p, _ in sides.values():
        p.stdin.close()
        p.wait()
    res = {"before": args.before, "after": args.after, "repeat": args.repeat, "loadavg": load, "latency_ms": {}}
    for name, per in lat.items():
        allx = [x for xs in per.values() for x in xs]
        res["latency_ms"][name] = {k: {"n": len(v), "p50": round(statistics.median(v), 1), "p95": round(pct(v, 95), 1)}
                                   for k, v in sorted(per.items())}
        res["latency_ms"][name]["all"] = {"n": len(allx), "p50": round(statistics.median(allx), 1),
                                          "p95": round(pct(allx, 95), 1)}
    print(f"{'intent':<16} {'before p50 / p95':>18} {'after p50 / p95':>18}   load average {load}")
    for k, b in res["latency_ms"]["before"].items():
        a = res["latency_ms"]["after"][k]
        print(f"{k:<16} {b['p50']:>8.1f} / {b['p95']:>7.1f} {a['p50']:>8.1f} / {a['p95']:>7.1f}")
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
