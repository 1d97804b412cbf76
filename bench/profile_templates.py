"""Time every QA template on a loaded store with parameters drawn from the graph, median / max of N runs;
on Neo4j also the PROFILE's total db hits and the operators of its plan.

    python bench/profile_templates.py --store embedded:/tmp/big          # a store loaded beforehand
    python bench/profile_templates.py --store bolt://127.0.0.1:7687 --profile
    python bench/profile_templates.py --store ... --only task_units,unit_tasks --repeat 10

Parameters: 5 units that lead tasks, 3 task ids, 3 documents with parents, a month of deadlines, the
first overdue date, the most common target indicator (as the answering code would pass them).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALL_RELS = ["LEADS", "RESPONSIBLE_FOR", "SUPPORTS"]


def params_from(store, seed: int = 3) -> dict:
    rng = random.Random(seed)

    def pick(cypher, n):
        rows = store.run(cypher, {})
        return rng.sample(rows, min(n, len(rows)))

    units = [r["u"] for r in pick("MATCH (u:Unit)-[:LEADS]->(:Task) RETURN DISTINCT u.name AS u LIMIT 300", 1)]
    tasks = [r["t"] for r in pick("MATCH (t:Task)<-[:LEADS]-(:Unit) RETURN t.id AS t LIMIT 300", 3)]
    docs = [r["d"] for r in pick("MATCH (d:Document)-[:IMPLEMENTS]->(:Document) RETURN DISTINCT d.doc_id AS d LIMIT 300", 1)]
    parents = [r["d"] for r in pick("MATCH (:Document)-[:IMPLEMENTS]->(d:Document) WHERE d.stub = false "
                                    "RETURN DISTINCT d.doc_id AS d LIMIT 300", 1)]
    day = pick("MATCH (x:Deadline) WHERE x.date IS NOT NULL RETURN x.date AS d LIMIT 300", 1)[0]["d"]
    ind = store.run("MATCH (x:Target) RETURN x.indicator AS i, count(*) AS n ORDER BY n DESC LIMIT 1", {})
    month = day[:7]
    base = {"limit": 200, "docs": []}  # as kg.qa.context.Ctx.run passes them ($docs [] = the whole library)
    return {
        "unit_tasks": {**base, "units": units, "rels": ALL_RELS},
        "unit_partners": {**base, "units": units},
        "unit_workload": {**base, "rels": ALL_RELS},
        "unit_workload_docs": {**base, "rels": ALL_RELS, "docs": docs},
        "task_units": {**base, "tasks": tasks, "rels": ALL_RELS},
        "task_deadline": {**base, "tasks": tasks},
        "task_details": {**base, "tasks": tasks},
        "task_directive": {**base, "tasks": tasks},
        "task_references": {**base, "tasks": tasks},
        "tasks_due": {**base, "start": month + "-01", "until": month + "-31|\uffff"},
        "tasks_due_list": {**base, "start": month + "-01", "until": month + "-31|\uffff"},
        "tasks_due_cutoff": {**base, "start": month + "-01", "end": month + "-31|\uffff", "skip": 199},
        "tasks_due_unit": {**base, "units": units, "rels": ALL_RELS, "start": month + "-01", "end": month + "-31"},
        "overdue_tasks": {**base, "until": day},
        "overdue_tasks_list": {**base, "until": day},
        "overdue_tasks_cutoff": {**base, "asof": day, "skip": 199},
        "overdue_tasks_unit": {**base, "units": units, "rels": ALL_RELS, "asof": "2030-01-01"},
        "open_tasks": {**base, "asof": day, "no_progress": False},
        "open_tasks_unit": {**base, "units": units, "rels": ALL_RELS, "asof": None, "no_progress": False},
        "tasks_no_lead": {**base},
        "targets": {**base, "indicators": [ind[0]["i"]] if ind else [], "year": 0, "until": "\uffff"},
        "targets_list": {**base, "indicators": [ind[0]["i"]] if ind else [], "year": 0, "until": "\uffff"},
        "targets_cutoff": {**base, "indicators": [ind[0]["i"]] if ind else [], "year": 0, "skip": 199},
        "doc_parents": {**base, "docs": docs},
        "doc_children": {**base, "docs": parents},
        "doc_facts": {**base, "docs": docs},
        # helper lookups of kg.qa.context
        "tasks_children": {**base, "tasks": tasks},
        "tasks_text_roles": {**base, "tasks": tasks},
        "tasks_parents": {**base, "tasks": tasks},
        "tasks_next_siblings": {**base, "tasks": tasks},
        "documents_by_id": {**base, "docs": docs + parents},
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", required=True)
    ap.add_argument("--user", default=os.environ.get("KG_TEST_NEO4J_USER", "neo4j"))
    ap.add_argument("--password", default=os.environ.get("KG_TEST_NEO4J_PASSWORD"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", default="")
    ap.add_argument("--profile", action="store_true", help="Neo4j: print PROFILE db hits and operators")
    ap.add_argument("--templates", default=str(ROOT / "qa" / "templates"))
    args = ap.parse_args(argv)
    from kg.qa.intents.base import rows_of
    from kg.store import open_store

    store = open_store(args.store, user=args.user, password=args.password)
    try:
        P = params_from(store)
        names = [n for n in P if not args.only or n in args.only.split(",")]
        print(f"engine {store.engine}  load average {os.getloadavg()[0]:.2f}")
        print(f"{'template':<20} {'rows':>5} {'med ms':>8} {'max ms':>8}")
        for name in names:
            cypher = (Path(args.templates) / f"{name}.cypher").read_text(encoding="utf-8")
            ts, rows = [], []
            for _ in range(args.repeat):
                t = time.perf_counter()
                rows = rows_of(store.run(cypher, P[name]))  # (a *_list template's one row: its rows)
                ts.append((time.perf_counter() - t) * 1000)
            line = f"{name:<20} {len(rows):>5} {statistics.median(ts):>8.1f} {max(ts):>8.1f}"
            if args.profile and store.engine == "neo4j":
                line += "  " + neo4j_profile(store, cypher, P[name])
            print(line, flush=True)
    finally:
        store.close()
    return 0


def neo4j_profile(store, cypher: str, params: dict) -> str:
    with store._session(write=False) as s:
        summary = s.run("PROFILE " + cypher, params).consume()
    plan = summary.profile or {}
    hits, ops = 0, []

    def walk(p):
        nonlocal hits
        hits += int(p.get("dbHits", 0) or 0)
        ops.append(p.get("operatorType", "?").split("@")[0])
        for c in p.get("children", []):
            walk(c)

    walk(plan)
    return f"dbhits={hits} ops={'<'.join(ops)}"


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
