"""Unit.workload kept at load time (store/workload.py) and the head of the ranking built on it
(store/ranking.py, what unit_workload.cypher reads) give the rows counting the role edges gives, after loads,
re-loads, a re-issued plan with fewer tasks and a recount; the persisted lexicon file
(qa/lexicon_cache.py) is read back at the same signature and dropped by the next load."""
from __future__ import annotations

import itertools

import pytest

from kg.qa.intents import template
from kg.qa.intents.base import rows_of
from kg.store import ranking, workload

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
            for limit in sorted({1, 3, ranking.SIZE}):  # the ranking answers any limit up to its size
                p = {"rels": list(rels), "limit": limit}
                assert rows_of(store.run(template("unit_workload"), p)) == store.run(COUNTED, p), (rels, limit)


# 200 (every unit of the seeds is in the head, floor 1) and a head of 4 units, whose floor a re-issued plan
# can push a listed unit below (the ranking is then counted again) or new units pass (merged in)
@pytest.mark.parametrize("size", [ranking.SIZE, 4])
def test_workload_follows_loads(graph_store, monkeypatch, size):
    from conftest import seed_plans

    monkeypatch.setattr(ranking, "SIZE", size)
    plans = seed_plans()
    graph_store.load_plan(plans[0])
    _same(graph_store)
    graph_store.load_plans(plans, batch_size=3)
    _same(graph_store)
    graph_store.load_plans(plans[:2])  # the same plans again: nothing changes
    _same(graph_store)
    p = plans[0]
    p.tasks = p.tasks[: len(p.tasks) // 2]  # re-issued with half its tasks
    graph_store.load_plan(p)
    _same(graph_store)
    graph_store.load_plans(seed_plans())  # re-issued again in full: the half comes back
    _same(graph_store)
    graph_store.write("MATCH (u:Unit) REMOVE u.workload")  # a store from before workloads were kept
    workload.ensure(graph_store)
    _same(graph_store)
    graph_store.write("MATCH (k:Ranking) DETACH DELETE k")  # ... or before the ranking was
    ranking.ensure(graph_store)
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
