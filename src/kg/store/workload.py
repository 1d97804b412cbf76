"""Unit workload kept at load time, so "哪个单位牵头任务最多" does not count ~1,000,000 role edges per
question (1.5 s on a 10,000-plan graph).

`Unit.workload` is a list of 8 integers:
  workload[m - 1], m = 1..7: the number of distinct tasks the unit is named on with a role in the set m,
                             a bit mask over LEADS = 1, RESPONSIBLE_FOR = 2, SUPPORTS = 4;
  workload[7]:               the number of LEADS edges of the unit.
That is exactly what qa/templates/unit_workload.cypher used to count for `$rels` (count(DISTINCT t),
sum of LEADS edges), now read from one property. A task belongs to one document, so a unit's counts are
sums over documents: loading a plan adds its contribution, re-loading it first subtracts the old one
(computed from the roles revisions.before() snapshots), all inside the load transaction.
Stores written before this existed are counted once when opened (`ensure`).
"""
from __future__ import annotations

from . import ranking

BITS = {"LEADS": 1, "RESPONSIBLE_FOR": 2, "SUPPORTS": 4}
ZERO = [0] * 8

ADD = """
UNWIND $rows AS r
MATCH (u:Unit {name: r.name})
SET u.workload = [i IN range(0, 7) | coalesce(u.workload[i], 0) + r.v[i]]
"""
MISSING = "MATCH (u:Unit) WHERE u.workload IS NULL RETURN count(u) AS n"
COUNT_ALL = """
MATCH (u:Unit)-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)
WITH u, t, collect(type(r)) AS ts
WITH u, 'LEADS' IN ts AS l, 'RESPONSIBLE_FOR' IN ts AS f, 'SUPPORTS' IN ts AS s,
     size([x IN ts WHERE x = 'LEADS']) AS nl
WITH u, sum(CASE WHEN l THEN 1 ELSE 0 END) AS c1, sum(CASE WHEN f THEN 1 ELSE 0 END) AS c2,
     sum(CASE WHEN l OR f THEN 1 ELSE 0 END) AS c3, sum(CASE WHEN s THEN 1 ELSE 0 END) AS c4,
     sum(CASE WHEN l OR s THEN 1 ELSE 0 END) AS c5, sum(CASE WHEN f OR s THEN 1 ELSE 0 END) AS c6,
     count(*) AS c7, sum(nl) AS c8
SET u.workload = [c1, c2, c3, c4, c5, c6, c7, c8]
"""
ZERO_REST = "MATCH (u:Unit) WHERE u.workload IS NULL SET u.workload = $zero"


def vector(rels: set[str], lead_edges: int) -> list[int]:
    mask = 0
    for rel in rels:
        mask |= BITS.get(rel, 0)
    v = [1 if mask & m else 0 for m in range(1, 8)]
    return v + [lead_edges]


def _add(acc: dict[str, list[int]], name: str, v: list[int], sign: int) -> None:
    cur = acc.setdefault(name, [0] * 8)
    for i, x in enumerate(v):
        cur[i] += sign * x


def deltas(old_tasks: dict, batch) -> list[dict]:
    """Rows for ADD: the new plans' contribution minus the contribution of the tasks they replace.
    `old_tasks`: revisions.before() output {doc_id: {task_id: OldTask(roles={(unit, rel)})}};
    `batch`: PlanRows."""
    acc: dict[str, list[int]] = {}
    for tasks in old_tasks.values():
        for t in tasks.values():
            per_unit: dict[str, set[str]] = {}
            for unit, rel in t.roles:
                per_unit.setdefault(unit, set()).add(rel)
            for unit, rels in per_unit.items():
                _add(acc, unit, vector(rels, 1 if "LEADS" in rels else 0), -1)
    for rows in batch:
        per: dict[tuple[str, str], set[str]] = {}
        for rel, items in rows.roles.items():
            for x in items:
                per.setdefault((x["unit"], x["task"]), set()).add(rel)
        for (unit, _task), rels in per.items():
            _add(acc, unit, vector(rels, 1 if "LEADS" in rels else 0), +1)
    return [{"name": n, "v": v} for n, v in acc.items() if any(v)]


def recount(store) -> None:
    """Count every unit's workload from its edges (a store written before workloads were kept)."""
    store.write(COUNT_ALL)
    store.write(ZERO_REST, {"zero": ZERO})
    ranking.ensure(store, again=True)


def ensure(store) -> None:
    """Count workloads when some unit has none (a store from before, or units made by another version)."""
    rows = store.run(MISSING, {})
    if rows and int(rows[0]["n"] or 0) > 0:
        recount(store)
