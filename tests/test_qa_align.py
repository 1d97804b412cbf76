"""Cross-level alignment (ALIGNS_WITH) and incremental indexing on the real store, both engines, with the
sample chain in loaders/samples: 青川市 city plan 青政办〔2024〕5号 → 潭溪县 county plan 潭政办〔2024〕8号 →
柳溪镇 township plan. The gold for the whole chain is qa/alignment_gold.yaml (bench/eval_qa.py --align)."""
from __future__ import annotations

import dataclasses
import json
import sys
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "loaders" / "samples"
CITY, COUNTY = "no:青政办〔2024〕5号", "no:潭政办〔2024〕8号"
TOWN = "title:柳溪镇2024年大气污染防治工作方案"


@lru_cache(maxsize=None)
def sample(prefix: str):
    from kg.extract import extract_file

    return extract_file(next(SAMPLES.glob(f"{prefix}_*")))


def links(store, child_doc: str) -> dict[str, str]:
    rows = store.run("MATCH (t:Task)-[a:ALIGNS_WITH]->(p:Task) WHERE t.doc_id = $d "
                     "RETURN t.id AS c, p.id AS p, a.score AS s", {"d": child_doc})
    return {r["c"].split("#", 1)[1]: r["p"] for r in rows}


def test_county_tasks_align_with_city_tasks_incrementally(graph_store):
    from kg.qa.indexing import index_new_tasks

    store = graph_store
    store.load_plan(sample("01"))
    store.load_plan(sample("02"))
    info = index_new_tasks(store)
    assert info["embedded"] == len(sample("01").tasks) + len(sample("02").tasks)
    assert info["aligned_pairs"] == 1

    got = links(store, COUNTY)
    assert got["二、/（一）"] == CITY + "#二、/（一）/2."            # 燃煤锅炉清零 -> 加快燃煤锅炉拆改
    assert got["二、/（二）"] == CITY + "#二、/（二）"               # 工业企业深度治理 -> 深化工业污染治理
    assert got["二、/（二）/2."] == CITY + "#二、/（二）/2./（1）"     # 涉VOCs企业台账 -> 涉VOCs企业清单
    assert got["二、/（四）"].startswith(CITY + "#二、/（五）")        # 秸秆禁烧
    assert got["二、/（五）"] == CITY + "#二、/（四）"               # 柴油货车
    assert got["三、/（一）"] == CITY + "#三、/（一）"               # 加强领导 -> 加强组织领导
    assert "表/1" not in got                                     # 餐饮油烟: nothing in the city plan
    scores = store.run("MATCH (:Task)-[a:ALIGNS_WITH]->(:Task) RETURN a.score AS s, a.margin AS m", {})
    assert scores and all(0 < r["s"] <= 1 and r["m"] is not None for r in scores)

    # nothing new: nothing embedded, no pair recomputed
    again = index_new_tasks(store)
    assert (again["embedded"], again["aligned_pairs"]) == (0, 0)

    # a new township plan: only its own tasks are embedded and only its pair is aligned
    store.load_plan(sample("03"))
    town = index_new_tasks(store)
    assert town["embedded"] == len(sample("03").tasks) and town["aligned_pairs"] == 1
    assert links(store, COUNTY) == got
    assert links(store, TOWN)["二、/（一）"] == COUNTY + "#二、/（四）"   # 秸秆禁烧 -> 秸秆禁烧
    assert links(store, TOWN)["二、/（四）/1."] == COUNTY + "#表/1"      # 餐饮油烟 -> 表 row 1

    # re-loading the county plan unchanged keeps its embeddings; its IMPLEMENTS edge is new, so its one
    # pair is aligned again (with the same result); the town's pair is left alone
    store.load_plan(sample("02"))
    re = index_new_tasks(store)
    assert (re["embedded"], re["aligned_pairs"]) == (0, 1)
    assert links(store, COUNTY) == got

    # the county plan re-issued without its citation: its links to the city plan go
    store.load_plan(dataclasses.replace(sample("02"), parents=[]))
    index_new_tasks(store)
    assert links(store, COUNTY) == {}
    assert links(store, TOWN)


def test_directive_answer_shows_the_aligned_city_task(graph_store):
    from kg.qa import answer
    from kg.qa.indexing import index_new_tasks

    store = graph_store
    for p in ("01", "02"):
        store.load_plan(sample(p))
    index_new_tasks(store)
    r = answer("燃煤锅炉清零是落实上级哪项任务", store, today=date(2024, 5, 1))
    assert r["intent"] == "task_directive"
    blob = r["text"] + json.dumps(r["answers"], ensure_ascii=False)
    assert "青政办〔2024〕5号" in blob and "加快燃煤锅炉拆改" in r["text"]
    assert any(e.get("what") == "aligned_task" for a in r["answers"] for e in a["evidence"])


def test_alignment_gold_on_the_sample_chain(graph_store):
    """The matcher on the whole chain (48 child tasks): the bar is below the measured 85.4% (static index
    model; 87.5% with e5 vectors) so that a different CPU's float noise does not fail it, but well above
    raw cosine (65%) and the static model without its fitted map (69%)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from eval_qa import load_alignment_gold, score_alignment, stored_alignment

    from kg.qa.indexing import index_new_tasks

    store = graph_store
    for p in ("01", "02", "03", "04"):
        store.load_plan(sample(p))
    index_new_tasks(store)
    res = score_alignment(stored_alignment(store), load_alignment_gold())
    assert res["per_pair"][f"{COUNTY} -> {CITY}"]["right"] == 14
    assert res["accuracy"] >= 0.8 and res["precision"] >= 0.8, res["wrong"]
