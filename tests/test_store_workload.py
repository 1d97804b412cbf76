"""Unit.workload kept at load time (store/workload.py) gives the numbers counting the role edges gives,
after loads, re-loads, a re-issued plan with fewer tasks and a recount; the persisted lexicon file
(qa/lexicon_cache.py) is read back at the same signature and dropped by the next load."""
from __future__ import annotations

import itertools

from kg.qa.intents import template
from kg.store import workload

RELS = ["LEADS", "RESPONSIBLE_FOR", "SUPPORTS"]
COUNTED = """
MATCH (u:Unit)-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)
WHERE type(r) IN $rels
RETURN u.name AS unit, count(DISTINCT t) AS tasks,
       sum(CASE WHEN type(r) = 'LEADS' THEN 1 ELSE 0 END) AS leads
ORDER BY tasks DESC, unit
LIMIT $limit
"""


def _same(store) -> None:
    for k in range(1, 4):
        for rels in itertools.combinations(RELS, k):
            p = {"rels": list(rels), "limit": 100000, "min": 1}
            assert store.run(template("unit_workload"), p) == store.run(COUNTED, p), rels


def test_workload_follows_loads(graph_store):
    from conftest import seed_plans

    plans = seed_plans()
    graph_store.load_plans(plans, batch_size=3)
    _same(graph_store)
    graph_store.load_plans(plans[:2])  # the same plans again: nothing changes
    _same(graph_store)
    p = plans[0]
    p.tasks = p.tasks[: len(p.tasks) // 2]  # re-issued with half its tasks
    graph_store.load_plan(p)
    _same(graph_store)
    graph_store.write("MATCH (u:Unit) REMOVE u.workload")  # a store from before workloads were kept
    workload.ensure(graph_store)
    _same(graph_store)


def test_lexicon_file_roundtrip_and_dropped_by_a_load(graph_store, tmp_path, monkeypatch):
    from conftest import seed_plans

    from kg.qa import lexicon_cache
    from kg.qa.linking import Lexicon, store_signature

    monkeypatch.setenv("KG_MODEL_CACHE", str(tmp_path))
    plans = seed_plans()
    graph_store.load_plans(plans[:2])
    sig = store_signature(graph_store)
    built = []

    def build(store):
        built.append(1)
        return Lexicon.from_store(store)

    a = lexicon_cache.load_or_build(graph_store, sig, build)
    b = lexicon_cache.load_or_build(graph_store, sig, build)
    assert len(built) == 1 and set(a.surfaces) == set(b.surfaces) and set(a.units) == set(b.units)
    assert graph_store.lexicon_cache_path().exists()
    graph_store.load_plan(plans[2])
    assert not graph_store.lexicon_cache_path().exists()
