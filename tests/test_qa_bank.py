"""The blind question banks over the whole library (../shared seeds + corpus + corpus_local), asked on the
embedded engine as `bench/eval_qa.py --bank` does. Bars sit just under the measured accuracy, so a
change that breaks answering on real documents fails here; the numbers themselves are in README."""
from __future__ import annotations

import sys

import pytest

from conftest import ROOT, need_shared

sys.path.insert(0, str(ROOT / "bench"))


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    from eval_qa import SHARED, library_files, open_loaded_store

    need_shared(SHARED / "corpus_local")
    store = open_loaded_store(f"embedded:{tmp_path_factory.mktemp('library')}", load=True, files=library_files())
    try:
        yield store
    finally:
        store.close()


@pytest.fixture(scope="module")
def bank_result(library):
    from eval_qa import evaluate_bank

    return evaluate_bank(library)


def _ask(store, question: str):
    from datetime import date

    from kg.qa import answer

    return answer(question, store, today=date(2026, 12, 1))


def test_a_documents_validity_is_its_closing_limit(library):
    a = _ask(library, "黔发改服务〔2020〕111号这些政策管到什么时候？")
    assert a["intent"] == "task_deadline" and "2020-06-30" in a["text"] and "文件有效期" in a["text"]
    assert a["answers"][0]["evidence"], "the validity sentence is quoted"


def test_a_plan_known_by_its_place_and_kind(library):
    a = _ask(library, "江西20条里，困难企业返还稳岗政策执行到哪一天？")
    assert "20条政策措施" in a["entities"]["documents"][0]["key"] and "2020-12-31" in a["text"]


def test_what_a_passage_follows_is_read_from_the_body(library):
    a = _ask(library, "山东工业大数据实施方案里，工业数据分类分级管理是落实国家哪份指南？")
    assert a["intent"] == "doc_parents" and "工业数据分类分级指南" in a["text"]
    a = _ask(library, "国办发〔2019〕3号要求小区依标配建幼儿园，要遵循哪部法律和哪个标准？")
    assert "城乡规划法" in a["text"] and "城市居住区规划设计标准" in a["text"]


def test_round11_answers_on_real_plans(library):
    """Round 11's general fixes, each on the real plan that showed it."""
    def said(a):  # what the reader sees: the text and every quote
        return a["text"] + "".join(e.get("quote") or "" for r in a["answers"] for e in r.get("evidence", []))
    a = _ask(library, "皖开放办〔2022〕6号，人行合肥中心支行负责的是哪些事？")  # a bracketed role quotes what it follows
    assert "创新金融产品和服务" in said(a) and "出口信保覆盖面" not in said(a)
    a = _ask(library, "汽车产品生产者责任延伸试点方案，重点部件再生原料利用比例最低要多少？")  # the one target named
    assert "不低于5%" in said(a) and "75%" not in said(a)
    a = _ask(library, "科技厅等十八部门那个AI行动计划，到2027年在原创成果、创新平台和核心产业规模上要实现什么？")
    assert not a["entities"]["units"] and "10项以上原创性重大科技成果" in said(a)  # 科技厅等十八部门: the issuers
    a = _ask(library, "山东十四五教育规划，到2025年学前、乡村义务教育和特殊教育各要达到什么程度？")
    assert "学前教育实现普及普惠" in said(a) and "特殊教育达到全国领先水平" in said(a)
    a = _ask(library, "企业委托科研单位做的横向项目，经费按国办发〔2018〕127号该怎么管？")  # how: the passage answers
    assert a["intent"] == "open_question"


def test_tuned_bank(bank_result):
    """The first bank's tuned part, blind2-10 (blind10 joined it in round 11, its failures read at the end of round
    10), tune8, tune9, tune10, tune10b and tune11 (development banks written without the QA code; first runs 52/80,
    52/80, 33/60 and 51/80): 805/887 at the end of round 10; with blind10 and tune11, 929/1027 at the end of round 11."""
    assert bank_result["tuned"]["accuracy"] >= 0.88, bank_result["tuned"]["failed"]


def test_first_heldout_bank(bank_result):
    assert bank_result["heldout"]["accuracy"] >= 0.95, bank_result["heldout"]["failed"]


def test_newest_blind_bank(bank_result):
    """blind11.yaml: held out through round 11, on documents at positions 1–2 mod 4 of the library's file order
    (43/60 on its first run with the round's start code, 43/60 at the end of the round, untouched; 46/60 after
    the general fixes its failures prompted, read at the end of the round)."""
    assert bank_result["heldout2"]["accuracy"] >= 0.73, bank_result["heldout2"]["failed"]
