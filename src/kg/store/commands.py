"""`policykg stats`: the store's own sub-command. Commands that also use loaders, extraction, the
ontology or QA (load, export, validate, analytics) live in kg.app_commands, above the layers."""
from __future__ import annotations

import json
import sys

STORE_HELP = "embedded:PATH or bolt://… / neo4j://… / neo4j+s://… (default: KG_STORE or embedded:./.policykg)"


def register(subparsers) -> None:
    s = subparsers.add_parser("stats", help="图谱统计 / node and relationship counts")
    s.add_argument("--store", help=STORE_HELP)
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(func=cmd_stats)


def cmd_stats(args) -> int:
    from kg.store import StoreError, open_store

    try:
        store = open_store(args.store)
    except StoreError as exc:
        print(f"policykg stats: {exc}", file=sys.stderr)
        return 1
    try:
        st = store.stats()
    finally:
        store.close()
    if args.json:
        print(json.dumps(st, ensure_ascii=False, indent=2))
        return 0
    d = st["documents"]
    print(f"documents: {d['loaded']} loaded, {d['stub']} stub (cited only)")
    print("nodes:")
    for k, n in st["nodes"].items():
        print(f"  {k:<16}{n:>10}")
    print("relationships:")
    for k, n in st["relationships"].items():
        print(f"  {k:<16}{n:>10}")
    return 0
