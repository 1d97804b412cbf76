"""Values copied at load time for the question templates (store/copies.py): Deadline.due_key and the
owner task's id and heading on a Target stay right through loads, a re-issued plan with changed dates and
headings, and the fill-in of a store from before; the templates that read them (with their cutoffs) give
the rows of the plain queries they replaced."""
from __future__ import annotations

from kg.qa.intents import template
from kg.qa.intents.base import listed_rows, rows_of
from kg.store import copies, ranking

DEADLINE_KEYS = "MATCH (x:Deadline) RETURN x.id AS id, x.date AS date, x.doc_id AS doc_id, x.due_key AS key"
TARGET_OWNERS = """
MATCH (o)-[:HAS_TARGET]->(x:Target)
RETURN x.id AS id, x.task_id AS task_id, x.heading AS heading, o.id AS owner, o.heading AS owner_heading
"""
# the rows' order keys of the plain queries the templates replaced (ties in the order may come in either order)
DUE = """
MATCH (dl:Deadline)<-[:DUE]-(t:Task)
WHERE dl.date IS NOT NULL AND dl.date >= $start AND dl.date <= $end
RETURN dl.date AS date, t.doc_id AS doc_id, t.start AS start ORDER BY date, doc_id, start LIMIT $limit
"""
OVERDUE = """
MATCH (dl:Deadline)<-[:DUE]-(t:Task)
WHERE dl.date IS NOT NULL AND dl.date < $asof AND dl.kind IN ['by', 'range']
  AND (t.status IS NULL OR t.status <> '已完成')
RETURN dl.date AS date, t.doc_id AS doc_id, t.start AS start ORDER BY date, doc_id, start LIMIT $limit
"""
TARGETS = """
MATCH (o)-[:HAS_TARGET]->(x:Target)
WHERE ($year = 0 OR x.year = $year)
RETURN coalesce(o.doc_id, '') AS doc_id, x.start AS start, o.id AS task_id, o.heading AS heading
ORDER BY doc_id, start LIMIT $limit
"""


def _check_copies(store) -> None:
    for r in store.run(DEADLINE_KEYS):
        assert r["key"] == copies.due_key(r["date"], r["doc_id"]), r
    owners = store.run(TARGET_OWNERS)
    assert owners
    for r in owners:
        assert (r["task_id"], r["heading"]) == (r["owner"], r["owner_heading"]), r


def _keys(rows, *cols):
    return [tuple(r[c] for c in cols) for r in rows]


def _check_templates(store) -> None:
    for limit in (1, 3, 200):
        cut = {"docs": [], "skip": limit - 1}
        p = {"start": "2017-01-01", "end": "2019-12-31"}
        until = store.run(template("tasks_due_cutoff"), {**cut, "start": p["start"], "end": copies.through(p["end"])})
        got = rows_of(store.run(template("tasks_due"), {"docs": [], "limit": limit, "start": p["start"],
                                                "until": until[0]["cutoff"] if until else copies.through(p["end"])}))
        assert _keys(got, "date", "doc_id", "start") == _keys(store.run(DUE, {**p, "limit": limit}), "date", "doc_id", "start")
        for asof in ("2019-06-30", "2019-11-01", "2030-01-01"):
            until = store.run(template("overdue_tasks_cutoff"), {**cut, "asof": asof})
            got = rows_of(store.run(template("overdue_tasks"), {"docs": [], "limit": limit,
                                                        "until": until[0]["cutoff"] if until else asof}))
            want = store.run(OVERDUE, {"asof": asof, "limit": limit})
            assert _keys(got, "date", "doc_id", "start") == _keys(want, "date", "doc_id", "start"), (asof, limit)
        for year in (0, 2019):
            q = {"indicators": [], "year": year}
            until = store.run(template("targets_cutoff"), {**cut, **q})
            got = rows_of(store.run(template("targets"), {"docs": [], "limit": limit, **q,
                                                  "until": until[0]["cutoff"] if until else "\uffff"}))
            want = store.run(TARGETS, {"year": year, "limit": limit})
            assert _keys(got, "doc_id", "start") == _keys(want, "doc_id", "start"), (year, limit)
            if limit == 200:  # all of them: the same owners too (at a cut, equal keys may come in either order)
                cols = ("doc_id", "start", "task_id", "heading")
                assert sorted(_keys(got, *cols), key=str) == sorted(_keys(want, *cols), key=str), year
    _check_listed(store)


def _check_listed(store) -> None:
    """A ranking read as one list (kg.qa.intents.base.listed_rows) is the streamed template's rows in its
    order, at every cut: the list when no two rows share the sort key, the streamed template otherwise."""
    cases = [("tasks_due", {"start": "2017-01-01", "until": copies.through("2019-12-31")}),
             ("overdue_tasks", {"until": "2030-01-01"}),
             ("targets", {"indicators": [], "year": 0, "until": "\uffff"})]
    for name, p in cases:
        for limit in (1, 3, 200):
            params = {"docs": [], "limit": limit, **p}
            rows, _cypher = listed_rows(store.run, name, params)
            assert rows == rows_of(store.run(template(name), params)), (name, limit)


def test_copies_follow_loads_and_reissues(graph_store):
    from conftest import seed_plans

    plans = seed_plans()
    graph_store.load_plans(plans, batch_size=3)
    _check_copies(graph_store)
    _check_templates(graph_store)
    p = seed_plans()[0]  # re-issued: every date a year later, every heading reworded
    for t in p.tasks:
        t.heading = (t.heading or "") + "（修订）"
        for d in t.deadlines:
            if d.date:
                d.date = str(int(d.date[:4]) + 1) + d.date[4:]
    graph_store.load_plan(p)
    _check_copies(graph_store)
    _check_templates(graph_store)
    # a store from before: no copies and no ranking (which is how opening it tells, see copies.py)
    graph_store.write("MATCH (x:Deadline) REMOVE x.due_key")
    graph_store.write("MATCH (x:Target) REMOVE x.task_id, x.heading")
    graph_store.write("MATCH (k:Ranking) DETACH DELETE k")
    assert ranking.ensure(graph_store)
    copies.ensure(graph_store)
    _check_copies(graph_store)
    _check_templates(graph_store)
