"""The head of the unit-workload ranking, kept at load time, so "哪个单位任务最多" reads one small node
instead of the workload of every unit (65,000 units at 10,000 plans: ~200 ms per question on the embedded
engine, whose label scans read each whole record).

For each role set m = 1..7 (the bit mask of workload.py) one `(:Ranking {name: 'unit_workload', mask: m})`
holds, as parallel lists `names`, `tasks`, `leads`, every unit whose count workload[m - 1] is at least
`floor`, where floor is the count of the SIZE-th unit in the order count desc, name (ties are all kept),
or 1 when fewer than SIZE units have tasks; listed in that order (names compared as Python strings, by code
point, as the engines do for names without characters beyond U+FFFF). qa/templates/unit_workload.cypher
reads them as they are and answers any $limit <= SIZE with the rows counting every unit would give.

Kept right in the load transaction (update): units whose counts rose are merged in; the k-th largest count
never falls while counts only rise, so no unit outside the list can have passed one inside. When a re-load
drops a listed unit below the floor, an outsider may now rank above it: the ranking is counted again from
every unit (rebuild, one scan).
"""
from __future__ import annotations

from .cypher_files import statements

SIZE = 200  # = kg.qa.context.LIMIT, the most rows an answer lists
MASKS = range(1, 8)


def _q(name: str) -> str:
    return statements("kg.store", "ranking.cypher")[name]


def _head(counts: dict[str, tuple[int, int]], size: int) -> tuple[dict[str, tuple[int, int]], int]:
    """counts: name -> (tasks, leads). The units at or above the floor, and the floor."""
    ranked = sorted(((n, c) for n, c in counts.items() if c[0] > 0), key=lambda x: (-x[1][0], x[0]))
    floor = ranked[size - 1][1][0] if len(ranked) >= size else 1
    return {n: c for n, c in ranked if c[0] >= floor}, floor


def _rows(heads: dict[int, tuple[dict, int]]) -> list[dict]:
    out = []
    for m, (head, floor) in sorted(heads.items()):
        items = sorted(head.items(), key=lambda x: (-x[1][0], x[0]))
        out.append({"mask": m, "names": [n for n, _ in items], "tasks": [c[0] for _, c in items],
                    "leads": [c[1] for _, c in items], "floor": floor})
    return out


def _counts(workloads: list[dict], m: int) -> dict[str, tuple[int, int]]:
    return {r["name"]: (int(r["w"][m - 1]), int(r["w"][7])) for r in workloads}


def _from_all(every: list) -> list[dict]:
    return _rows({m: _head(_counts(every, m), SIZE) for m in MASKS})


def update(run, changed: list[str]) -> None:
    """After workload.ADD in the load transaction (`run(cypher, **params) -> rows`): merge in the units
    whose workload changed, or count the ranking again when that is not enough (see the module doc)."""
    if not changed:
        return
    stored = {r["mask"]: r for r in run(_q("rankings"))}
    now = run(_q("workloads_of"), names=sorted(set(changed)))
    heads = {}
    for m in MASKS:
        r = stored.get(m)
        if r is None:  # a store that never had one, or was cleared
            heads = None
            break
        head, floor = dict(zip(r["names"], zip(r["tasks"], r["leads"]))), int(r["floor"])
        new = _counts(now, m)
        # floor 1: the head is every unit with a task, none can be missing from it
        if floor > 1 and any(n in head and c[0] < floor for n, c in new.items()):
            heads = None  # a listed unit fell below the floor: an outsider may now rank above it
            break
        head.update(new)
        heads[m] = _head(head, SIZE)
    run(_q("save"), rows=_rows(heads) if heads is not None else _from_all(run(_q("all_workloads"))))


def present(store) -> bool:
    """Whether the store holds the ranking (one small count): it was written by a version that keeps it."""
    have = store.run(_q("count"), {})
    return bool(have) and int(have[0]["n"] or 0) >= len(MASKS)


def ensure(store, again: bool = False) -> bool:
    """Build the ranking of a store written before it was kept (or, `again`, after a recount). True when it
    was built: the store was written by a version before this one (see copies.ensure)."""
    if not again and present(store):
        return False
    store.write(_q("save"), {"rows": _from_all(store.run(_q("all_workloads"), {}))})
    return True
