"""Accuracy of `kg.qa.answer` on qa/questions.yaml over the seed plans, per intent.

    python bench/eval_qa.py                       # embedded store in a temp folder, seeds loaded
    python bench/eval_qa.py --store bolt://localhost:7687   # Neo4j (KG_USER / KG_PASSWORD), wiped + loaded
    python bench/eval_qa.py --store embedded:./.policykg --no-load   # an already loaded store
    python bench/eval_qa.py -v                    # print every failure

A question passes when the intent is right and every expected string occurs in the answer
(text, rows and evidence), at least one of `expect_any` does, and none of `not` does.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def load_questions(path: Path) -> tuple[list[dict], str]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data["questions"], data.get("default_today", "2019-08-15")


def check(item: dict, result: dict) -> tuple[bool, str]:
    blob = result.get("text", "") + "\n" + json.dumps(result.get("answers", []), ensure_ascii=False, default=str)
    want = [item["intent"]] + list(item.get("intent_any") or [])
    if result["intent"] not in want:
        return False, f"intent {result['intent']} != {item['intent']}"
    missing = [s for s in item.get("expect") or [] if str(s) not in blob]
    if missing:
        return False, f"missing {missing}"
    anys = item.get("expect_any") or []
    if anys and not any(str(s) in blob for s in anys):
        return False, f"none of {anys}"
    bad = [s for s in item.get("not") or [] if str(s) in blob]
    if bad:
        return False, f"unexpected {bad}"
    return True, ""


def open_loaded_store(uri: str | None, load: bool):
    from kg.store import open_store

    store = open_store(uri)
    if load:
        from kg.extract import extract_file

        if hasattr(store, "clear"):
            store.clear()
        plans = [extract_file(str(p)) for p in sorted(SEEDS.glob("0*.txt"))]
        store.load_plans(plans)
        from kg.qa.indexing import index_new_tasks

        index_new_tasks(store)  # load_plans may already have run it; embedding only missing tasks is idempotent
    return store


def evaluate(store, questions: list[dict], default_today: str, verbose: bool = False) -> dict:
    from kg.qa import answer

    per = defaultdict(lambda: [0, 0])
    failures = []
    by_q = {}
    t0 = time.perf_counter()
    for item in questions:
        today = date.fromisoformat(item.get("today") or default_today)
        ctx = None
        if item.get("context_from"):
            prev = answer(item["context_from"], store, today=today)
            ctx = prev["context"]
        r = answer(item["q"], store, today=today, context=ctx)
        ok, why = check(item, r)
        per[item["intent"]][1] += 1
        if ok:
            per[item["intent"]][0] += 1
        else:
            failures.append((item, why, r))
        by_q[item.get("id", item["q"])] = ok
    elapsed = time.perf_counter() - t0
    total_ok = sum(v[0] for v in per.values())
    total = sum(v[1] for v in per.values())
    if verbose:
        for item, why, r in failures:
            print(f"FAIL {item.get('id')}: {item['q']} -> {why}\n     {r['text'][:160]!r}", file=sys.stderr)
    return {"per_intent": {k: {"ok": v[0], "n": v[1], "acc": round(v[0] / v[1], 3)} for k, v in sorted(per.items())},
            "ok": total_ok, "n": total, "accuracy": round(total_ok / max(total, 1), 4), "seconds": round(elapsed, 1),
            "failed": [item.get("id") for item, _w, _r in failures]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", help="store URI (default: a fresh embedded store in a temp folder)")
    ap.add_argument("--no-load", action="store_true", help="use the store as it is")
    ap.add_argument("--questions", default=str(ROOT / "qa" / "questions.yaml"))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    questions, default_today = load_questions(Path(args.questions))
    tmp = None
    uri = args.store
    if not uri:
        tmp = tempfile.mkdtemp(prefix="policykg-eval-")
        uri = f"embedded:{tmp}"
    store = open_loaded_store(uri, load=not args.no_load)
    try:
        res = evaluate(store, questions, default_today, args.verbose)
    finally:
        close = getattr(store, "close", None)
        if close:
            close()
    res["engine"] = getattr(store, "engine", "?")
    if args.json:
        print(json.dumps(res, ensure_ascii=False, indent=2))
    else:
        print(f"engine: {res['engine']}   questions: {res['n']}   time: {res['seconds']}s")
        print(f"{'intent':<16} {'ok':>4} {'n':>4} {'acc':>7}")
        for k, v in res["per_intent"].items():
            print(f"{k:<16} {v['ok']:>4} {v['n']:>4} {v['acc']:>7.1%}")
        print(f"{'overall':<16} {res['ok']:>4} {res['n']:>4} {res['accuracy']:>7.1%}")
        if res["failed"]:
            print("failed:", " ".join(map(str, res["failed"])))
    return 0 if res["accuracy"] >= 0.9 else 1


if __name__ == "__main__":
    sys.exit(main())
