"""Paraphrase retrieval hit@1: which task does a rewording find first, per embedding method.

    python bench/eval_retrieval.py            # both query sets, every method
    python bench/eval_retrieval.py --json

Two query sets, both from data that existed before this bench (nothing here was tuned on them):
- paraphrase: the child tasks of qa/alignment_gold.yaml that must link to a parent task; the query is the
  child task's text (a county/township rewording of a city task), searched over every task of the
  loaders/samples plans except the child's own plan. Right when the first task is one of its gold parents.
- questions: the seed questions of qa/questions*.yaml whose intent names a task (task_units,
  task_deadline, open_question; follow-ups left out), searched over every task of the seed plans.
  Right when the first task carries the answer: an `expect` string in its text, an expected unit among
  its units, or an expected date among its deadlines.
Methods (vector side only, brute-force cosine over the plans' tasks, no store):
- e5: the transformer ("query: " / "passage: ") - what retrieval and alignment used before;
- static: the distilled static model (static_model.py) on both sides;
- static→e5@K: the static model's top K, re-ranked by e5 (what retrieval does now, K = retrieval.RERANK).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_qa import DEFAULT_QUESTIONS, SAMPLES, SEEDS, load_alignment_gold, load_questions  # noqa: E402

TASK_INTENTS = {"task_units", "task_deadline", "open_question"}


def _plans(files: list[Path]):
    from kg.extract import extract_file

    return [extract_file(str(p)) for p in files]


def _rows(plans) -> list[dict]:
    from kg.qa.indexing import passage_text

    out = []
    for pl in plans:
        for t in pl.tasks:
            out.append({"id": t.id, "doc": pl.doc_id, "path": t.path, "passage": passage_text(t.heading, t.text),
                        "units": {u.name for u in t.units}, "dates": {d.date for d in t.deadlines if d.date}})
    return out


def paraphrase_set() -> tuple[list[dict], list[dict]]:
    tasks = _rows(_plans(sorted(p for p in SAMPLES.iterdir() if p.name[:2].isdigit())))
    by_key = {(t["doc"], t["path"]): t for t in tasks}
    queries = []
    for pair in load_alignment_gold():
        for cpath, acc in pair["gold"].items():
            acc = [a for a in (acc or []) if a is not None]
            child = by_key.get((pair["child"], cpath))
            if not acc or child is None:
                continue
            right = {by_key[(pair["parent"], a)]["id"] for a in acc if (pair["parent"], a) in by_key}
            queries.append({"q": child["passage"], "skip_doc": pair["child"],
                            "right": lambda t, right=right: t["id"] in right})
    return queries, tasks


def question_set() -> tuple[list[dict], list[dict]]:
    tasks = _rows(_plans(sorted(SEEDS.glob("0*.txt"))))
    queries = []
    for qf in DEFAULT_QUESTIONS:
        items, _today = load_questions(qf)
        for it in items:
            if it["intent"] not in TASK_INTENTS or it.get("context_from"):
                continue
            want = [str(s) for s in (it.get("expect") or []) + (it.get("expect_any") or [])]

            def right(t, want=want):
                return any(w in t["passage"] or w in t["units"] or w in t["dates"] for w in want)
            queries.append({"q": it["q"], "skip_doc": None, "right": right})
    return queries, tasks


def hit_at_1(queries: list[dict], tasks: list[dict], rank) -> dict:
    hits = 0
    for i, q in enumerate(queries):
        order = [j for j in rank(i) if tasks[j]["doc"] != q["skip_doc"]]
        hits += bool(order) and q["right"](tasks[order[0]])
    return {"n": len(queries), "hits": hits, "hit@1": round(hits / max(len(queries), 1), 3)}


def evaluate(queries: list[dict], tasks: list[dict], ks: list[int]) -> dict:
    from kg.qa import embedding

    qs = [q["q"] for q in queries]
    E_q = np.asarray(embedding.embed_queries(qs), dtype="float32")
    E_t = np.asarray(embedding.embed_passages([t["passage"] for t in tasks]), dtype="float32")
    S_q = embedding.embed_index(qs)
    S_t = embedding.embed_index([t["passage"] for t in tasks])
    E, S = E_q @ E_t.T, S_q @ S_t.T
    out = {"e5": hit_at_1(queries, tasks, lambda i: np.argsort(-E[i])),
           "static": hit_at_1(queries, tasks, lambda i: np.argsort(-S[i]))}
    for k in ks:
        def rerank(i, k=k):
            top = np.argsort(-S[i])[:k]
            return top[np.argsort(-E[i, top])]
        out[f"static→e5@{k}"] = hit_at_1(queries, tasks, rerank)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--k", type=int, action="append", help="re-rank depth (repeatable; default 10, 30)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    ks = args.k or [10, 30]
    res = {"paraphrase": evaluate(*paraphrase_set(), ks), "questions": evaluate(*question_set(), ks)}
    if args.json:
        print(json.dumps(res, ensure_ascii=False, indent=2))
        return 0
    for name, r in res.items():
        print(f"{name}:")
        for method, v in r.items():
            print(f"  {method:<14} hit@1 {v['hit@1']:>6.1%}  ({v['hits']}/{v['n']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
