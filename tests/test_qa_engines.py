"""One Cypher template set, the same rows on both engines: every template in qa/templates runs on the seeded
embedded store and the seeded Neo4j store with the same parameters, and the rows must be equal (compared as
sorted lists: engines may order ties differently). The run on the second engine compares with the first;
without Neo4j the test still checks that every template runs on the embedded engine and returns rows."""
from __future__ import annotations

import json

import pytest

from kg.qa.intents import template
from kg.qa.intents.base import rows_of

ALL = ["LEADS", "RESPONSIBLE_FOR", "SUPPORTS"]
T_BOILER = "no:送管发〔2019〕18号#三、/（一）/4."          # 加快燃煤锅炉拆改
T_COAL = "no:送管发〔2019〕18号#三、/（一）/1./（1）"      # 严控煤炭消费总量
T_WATER = "title:永安镇污染防治百日攻坚行动工作方案#三、/（四）"  # 健全市政排水系统
SEND = "no:送管发〔2019〕18号"
CASES = {
    "unit_tasks": {"units": ["矿区环保中队", "综合行政执法大队"], "rels": ALL},
    "task_units": {"tasks": [T_BOILER, T_COAL, T_WATER], "rels": ALL},
    "task_deadline": {"tasks": [T_BOILER, T_COAL, T_WATER]},
    "task_details": {"tasks": [T_BOILER, T_COAL, T_WATER]},
    "tasks_text_roles": {"tasks": [T_BOILER, T_COAL, T_WATER]},
    "tasks_due": {"start": "2019-01-01", "until": "2019-12-31|\uffff"},
    "tasks_due_until": ("tasks_due", {"start": "2019-01-01", "until": "2019-10-31|no:送管发〔2019〕18号"}),
    "tasks_due_list": {"start": "2019-01-01", "until": "2019-12-31|\uffff"},
    "tasks_due_cutoff": {"start": "2019-01-01", "end": "2019-12-31|\uffff", "skip": 2},
    "tasks_due_unit": {"units": ["矿区环保中队", "矿区煤炭科"], "rels": ALL, "start": "2017-01-01", "end": "2020-12-31"},
    "overdue_tasks": {"until": "2019-11-01"},
    "overdue_tasks_until": ("overdue_tasks", {"until": "2019-06-30|\uffff"}),
    "overdue_tasks_list": {"until": "2019-11-01"},
    "overdue_tasks_cutoff": {"asof": "2019-11-01", "skip": 0},
    "overdue_tasks_unit": {"units": ["矿区煤炭科", "州环境监察支队"], "rels": ALL, "asof": "2020-01-01"},
    "doc_parents": {"docs": [SEND]},
    "doc_children": {"docs": ["no:郑办〔2019〕9号", "no:登办〔2019〕10号"]},
    "doc_facts": {"docs": [SEND, "no:郑办〔2019〕9号"]},
    "task_directive": {"tasks": [T_BOILER, T_WATER]},
    "task_references": {"tasks": [f"{SEND}#三、/（一）/3./（1）"]},
    "targets": {"indicators": [], "year": 0, "until": "\uffff"},
    "targets_pm25_2019": ("targets", {"indicators": ["PM2.5平均浓度", "PM10平均浓度"], "year": 2019, "until": "\uffff"}),
    "targets_until": ("targets", {"indicators": [], "year": 0, "until": SEND}),
    "targets_list": {"indicators": [], "year": 0, "until": "\uffff"},
    "targets_cutoff": {"indicators": [], "year": 0, "skip": 3},
    "unit_partners": {"units": ["矿区环保中队"]},
    "unit_workload": {"rels": ALL},
    "unit_workload_lead": ("unit_workload", {"rels": ["LEADS"]}),
    "unit_workload_responsible": ("unit_workload", {"rels": ["RESPONSIBLE_FOR", "SUPPORTS"], "limit": 3}),
    "tasks_children": {"tasks": [f"{SEND}#三、/（一）/1."]},
    "tasks_parents": {"tasks": [T_COAL, T_BOILER]},
    "tasks_next_siblings": {"tasks": [T_COAL]},
    "documents_by_id": {"docs": [SEND, "no:郑办〔2019〕9号"]},
    "evidence_quotes": {"groups": [{"d": SEND, "spans": [{"a": 0, "n": 20}, {"a": 100, "n": 30}]},
                                   {"d": "no:郑办〔2019〕9号", "spans": [{"a": 5, "n": 10}]}]},
    "unit_workload_docs": {"rels": ALL, "docs": [SEND]},
    "tasks_no_lead": {},
}
_seen: dict[str, dict[str, list]] = {}


def _canon(rows: list[dict]) -> list[str]:
    def norm(v):
        if isinstance(v, float) and v.is_integer():
            return int(v)
        if isinstance(v, list):
            return sorted((norm(x) for x in v), key=lambda x: json.dumps(x, ensure_ascii=False, sort_keys=True))
        if isinstance(v, dict):
            return {k: norm(x) for k, x in v.items()}
        return v

    return sorted(json.dumps(norm(r), ensure_ascii=False, sort_keys=True) for r in rows)


@pytest.mark.parametrize("case", sorted(CASES))
def test_template_rows_equal_on_both_engines(seeded_store, case):
    spec = CASES[case]
    name, params = spec if isinstance(spec, tuple) else (case, spec)
    rows = rows_of(seeded_store.run(template(name), {"limit": 1000, "docs": [], **params}))  # [] = the whole library
    assert rows, f"{name}: no rows on {seeded_store.engine} for {params}"
    got = _canon(rows)
    mine = _seen.setdefault(case, {})
    mine[seeded_store.engine] = got
    others = {e: r for e, r in mine.items() if e != seeded_store.engine}
    for engine, theirs in others.items():
        assert got == theirs, f"{name}: {seeded_store.engine} and {engine} differ"
