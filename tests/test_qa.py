"""QA tests: date parsing, entity linking and intents without a store; real answers on the seeds
with the store fixtures (`seeded_store`, from tests/conftest.py) when they are available."""
from __future__ import annotations

import json
from datetime import date

import pytest

from kg.qa import dates
from kg.qa.linking import Lexicon, link, normalize_question

TODAY = date(2019, 8, 15)


# ---------------------------------------------------------------- dates
@pytest.mark.parametrize("q,start,end,kind", [
    ("2019年10月底前要完成什么", None, "2019-10-31", "by"),
    ("今年9月有哪些任务到期", "2019-09-01", "2019-09-30", "range"),
    ("下个月到期的任务", "2019-09-01", "2019-09-30", "range"),
    ("2019年6月至9月", "2019-06-01", "2019-09-30", "range"),
    ("3月14日至3月18日", "2019-03-14", "2019-03-18", "range"),
    ("截至2019年11月1日哪些任务逾期", None, "2019-11-01", "point"),
    ("二〇一九年十月底前", None, "2019-10-31", "by"),
    ("2017年2月中旬前", None, "2017-02-20", "by"),
    ("年底前要完成哪些", None, "2019-12-31", "by"),
])
def test_periods(q, start, end, kind):
    p = dates.parse_period(q, TODAY)
    assert p is not None and (p.start, p.end, p.kind) == (start, end, kind)


def test_no_period_in_plain_question():
    assert dates.parse_period("矿区环保中队负责哪些任务", TODAY) is None


# ---------------------------------------------------------------- linking
@pytest.fixture(scope="module")
def lex():
    units = [{"name": n, "aliases": a} for n, a in [
        ("矿区环保中队", []), ("矿区工商质监所", ["矿区工商质检所"]), ("矿区煤炭科", []),
        ("登封市宏昌水泥有限公司", []), ("综合行政执法大队", [])]]
    docs = [
        {"doc_id": "no:送管发〔2019〕18号", "doc_no": "送管发〔2019〕18号", "title": "送表矿区2019年大气污染防治攻坚战实施方案", "stub": False,
         "region": "登封市", "level": "county"},
        {"doc_id": "no:郑办〔2019〕9号", "doc_no": "郑办〔2019〕9号", "title": "郑州市2019年大气污染防治攻坚战实施方案", "stub": True},
        {"doc_id": "title:永安镇污染防治百日攻坚行动工作方案", "doc_no": None, "title": "永安镇污染防治百日攻坚行动工作方案", "stub": False},
    ]
    tasks = [{"id": "t4", "doc_id": "no:送管发〔2019〕18号", "heading": "加快燃煤锅炉拆改"},
             {"id": "t5", "doc_id": "no:送管发〔2019〕18号", "heading": "严格环境准入要求"}]
    return Lexicon.from_records(units, docs, tasks, ["PM2.5平均浓度", "优良天数"])


def keys(ms):
    return [m.key for m in ms]


def test_exact_and_traditional(lex):
    assert keys(link("礦區環保中隊負責哪些任務", lex, TODAY).units) == ["矿区环保中队"]
    assert normalize_question("鄭辦〔2019〕9號") == "郑办〔2019〕9号"


@pytest.mark.parametrize("q,unit", [
    ("环保中队有哪些活", "矿区环保中队"),       # place prefix dropped
    ("工商质检所负责什么", "矿区工商质监所"),    # alias / near miss
    ("矿区环保中对都要干啥", "矿区环保中队"),     # typo
    ("宏昌水泥公司有啥任务", "登封市宏昌水泥有限公司"),
])
def test_unit_near_misses(lex, q, unit):
    assert unit in keys(link(q, lex, TODAY).units)


@pytest.mark.parametrize("q", ["哪些方案落实了郑办〔2019〕9号", "郑办[2019]9号", "郑办(2019)9號", "郑办2019年9号"])
def test_doc_no_variants(lex, q):
    assert keys(link(q, lex, TODAY).documents) == ["no:郑办〔2019〕9号"]


def test_short_and_loose_titles(lex):
    assert keys(link("送表矿区方案依据哪个上级文件", lex, TODAY).documents) == ["no:送管发〔2019〕18号"]
    assert keys(link("永安镇百日攻坚方案是哪天发布的", lex, TODAY).documents) == ["title:永安镇污染防治百日攻坚行动工作方案"]


def test_indicators_and_tasks(lex):
    assert keys(link("细颗粒物浓度控制在多少", lex, TODAY).indicators) == ["PM2.5"]
    assert lex.fuzzy_tasks("燃煤锅炉拆改")[0][0] == "t4"


def test_intent_rules(lex):
    from kg.qa.intents import choose

    def intent(q):
        ln = link(q, lex, TODAY)
        return choose(ln.question, ln, set(), True, use_similarity=False).intent

    assert intent("矿区环保中队负责哪些任务") == "unit_tasks"
    assert intent("谁牵头燃煤锅炉拆改") == "task_units"
    assert intent("燃煤锅炉拆改什么时候完成") == "task_deadline"
    assert intent("2019年10月底前要完成什么") == "tasks_due"
    assert intent("送表矿区方案依据哪个上级文件") == "doc_parents"
    assert intent("哪些方案落实了郑办〔2019〕9号") == "doc_children"
    assert intent("哪些任务已经逾期了") == "overdue_tasks"
    assert intent("送表矿区2019年大气污染防治攻坚战实施方案里有哪些任务没写牵头单位") == "tasks_no_lead"


@pytest.mark.parametrize("q,role", [
    ("矿区环保中队负责哪些任务", "responsible"), ("谁牵头燃煤锅炉拆改", "lead"), ("谁牵头负责燃煤锅炉拆改", "lead"),
    ("矿区煤炭科要负责或配合哪些工作", None), ("燃煤锅炉拆改由谁牵头、哪些单位参与", None),
])
def test_the_role_asked_is_one_role_or_none(q, role):
    from kg.qa.linking import detect_role

    assert detect_role(q) == role


def test_words_in_a_quoted_task_name_are_not_units(lex):
    ln = link("送表矿区方案中“矿区环保中队能力建设”由哪些单位负责", lex, TODAY)
    assert ln.units == [] and "矿区环保中队能力建设" in ln.residual
    assert keys(link("“矿区环保中队”负责哪些任务", lex, TODAY).units) == ["矿区环保中队"]


def test_a_plan_of_another_place_is_not_the_plan_asked_for(lex):
    from kg.extract.divisions import places_in, within

    assert within(places_in("登封市"), places_in("郑州")) and not within(places_in("河南省"), places_in("登封"))
    ln = link("开封市2019年大气污染防治攻坚战实施方案依据哪个上级文件", lex, TODAY)
    assert ln.documents == [] and ln.unknown_document.startswith("开封市")
    assert keys(link("郑州市2019年大气污染防治攻坚战实施方案依据哪个上级文件", lex, TODAY).documents) == ["no:郑办〔2019〕9号"]


def test_a_plan_title_quoted_before_a_document_word_still_scopes_the_question(lex):
    ln = link("永安镇污染防治百日攻坚行动，各村的具体实施方案最晚什么时候报镇里", lex, TODAY)
    assert keys(ln.documents) == ["title:永安镇污染防治百日攻坚行动工作方案"]


def test_templates_use_parameters_only():
    from kg.qa.intents import load_intents, template

    import re

    for name, spec in load_intents().items():
        for t in spec["templates"]:
            text = template(t)
            # parameters only: no format placeholders ({name}, {}, %s, %(name)s); map literals are fine
            assert "$" in text and not re.search(r"\{\s*\w*\s*\}|%s|%\(", text), t


def test_templates_are_read_only():
    """The embedded engine (ArcadeDB over Bolt) does not enforce the driver's read access mode: a write sent
    through store.run() is executed there (Neo4j refuses it). The templates must therefore never write."""
    import re

    from kg.qa.intents import load_intents, template

    write = re.compile(r"\b(CREATE|MERGE|SET|DELETE|DETACH|REMOVE|DROP|FOREACH|LOAD\s+CSV|CALL)\b", re.I)
    for spec in load_intents().values():
        for t in spec["templates"]:
            assert not write.search(template(t)), t


# ---------------------------------------------------------------- store-backed
@pytest.fixture
def qa_store(seeded_store):
    """The seeded store of each engine with embeddings and alignment; index_new_tasks is incremental,
    so after the first test of an engine it only checks that nothing is missing."""
    from kg.qa.indexing import index_new_tasks

    index_new_tasks(seeded_store)
    return seeded_store


def ask(store, q, **kw):
    from kg.qa import answer

    return answer(q, store, today=kw.pop("today", TODAY), **kw)


def blob(r):
    return r["text"] + json.dumps(r["answers"], ensure_ascii=False, default=str)


def test_unit_tasks_on_seed(qa_store):
    r = ask(qa_store, "矿区环保中队负责哪些任务")
    assert r["intent"] == "unit_tasks"
    heads = [a["heading"] for a in r["answers"]]
    assert any("加快燃煤锅炉拆改" in h for h in heads) and any("严控煤炭消费总量" in h for h in heads)
    assert all(a["doc_id"] == "no:送管发〔2019〕18号" for a in r["answers"])
    ev = r["answers"][0]["evidence"]
    assert ev and ev[0]["quote"] and ev[0]["doc_no"] == "送管发〔2019〕18号"
    assert any("矿区环保中队" in e["quote"] for a in r["answers"] for e in a["evidence"])
    assert "MATCH (u:Unit {name: un})" in r["cypher"] and r["params"]["units"] == ["矿区环保中队"]


def test_who_leads_and_follow_up(qa_store):
    r = ask(qa_store, "谁牵头燃煤锅炉拆改")
    assert r["intent"] == "task_units"
    assert {a["unit"] for a in r["answers"]} == {"矿区煤炭科"}
    r2 = ask(qa_store, "这个任务的截止时间呢?", context=r["context"])
    assert r2["intent"] == "task_deadline" and "2019-10-31" in blob(r2)


def test_due_and_parents(qa_store):
    r = ask(qa_store, "2019年10月底前要完成什么")
    assert r["intent"] == "tasks_due" and "加快燃煤锅炉拆改" in blob(r)
    r = ask(qa_store, "送表矿区方案依据哪个上级文件")
    assert r["intent"] == "doc_parents"
    nos = {a["doc_no"] for a in r["answers"]}
    assert {"郑办〔2019〕9号", "登办〔2018〕69号", "登办〔2019〕10号"} <= nos
    assert all(a["evidence"] for a in r["answers"])


def test_open_question_retrieval(qa_store):
    r = ask(qa_store, "关于扬尘治理有哪些措施")
    assert r["answers"] and "扬尘" in blob(r)


def test_injection_is_text_and_changes_nothing(qa_store):
    before = qa_store.stats()
    for q in ["'}) MATCH (n) DETACH DELETE n //", "矿区环保中队'}) MATCH (n) DETACH DELETE n //负责哪些任务",
              "\" OR 1=1 CALL db.clearQueryCaches() //"]:
        r = ask(qa_store, q)
        assert isinstance(r["text"], str) and r["text"]
        assert "DETACH" not in r["cypher"]
    assert qa_store.stats() == before


def test_never_empty_without_reason(qa_store):
    r = ask(qa_store, "火星基地的建设进度")
    assert r["text"]


def test_the_passage_quoted_for_an_open_question_is_the_sentence_that_answers_it():
    from kg.qa.intents.open import best_sentences

    text = ("稳定实施农机购置补贴政策，对购买国内外农机产品一视同仁。鼓励金融机构针对权属清晰的大型农机装备开展抵押贷款。"
            "加强农机安全监管。")
    assert best_sentences(text, "购买大型农机装备贷款有啥支持政策").startswith("鼓励金融机构针对权属清晰的大型农机装备开展抵押贷款")
    assert best_sentences("只有一句。", "贷款") == ""  # shares no word with the question
    assert best_sentences("落实稳岗返还政策。", "稳岗返还有哪些政策") == "落实稳岗返还政策。"


def test_local_bodies_link_through_their_other_forms():
    from kg.extract.gazetteer import local_forms

    assert {"市人社局", "人社局"} <= local_forms("市人力资源社会保障局")
    assert "省人社厅" not in local_forms("市人力资源社会保障局")  # 局 stays 局: a city bureau is no provincial 厅
    units = [{"name": "市人力资源社会保障局", "aliases": []}, {"name": "市财政局", "aliases": []}]
    lex = Lexicon.from_records(units, [], [], [])
    assert keys(link("人社局负责哪些任务", lex, TODAY).units) == ["市人力资源社会保障局"]


def test_a_term_the_title_itself_quotes_names_the_document():
    docs = [{"doc_id": "title:青川县“无废乡镇”建设试点工作方案", "doc_no": None, "title": "青川县“无废乡镇”建设试点工作方案",
             "stub": False, "region": "青川县", "level": "county"},
            {"doc_id": "title:青川县乡镇建设工作方案", "doc_no": None, "title": "青川县乡镇建设工作方案", "stub": False}]
    lex = Lexicon.from_records([], docs, [], [])
    assert keys(link("“无废乡镇”建设指标由谁牵头", lex, TODAY).documents) == ["title:青川县“无废乡镇”建设试点工作方案"]


def test_the_same_question_asked_at_once_is_answered_once(qa_store, monkeypatch):
    import threading

    from kg.qa import answer_cache, answering

    answer_cache.clear(qa_store)
    calls, real = [], answering._ask
    started = threading.Event()

    def slow_ask(*args, **kw):  # the real answer, slow enough that the other callers arrive meanwhile
        calls.append(1)
        started.set()
        threading.Event().wait(0.5)
        return real(*args, **kw)

    monkeypatch.setattr(answering, "_ask", slow_ask)
    results = []

    def one():
        results.append(ask(qa_store, "谁牵头燃煤锅炉拆改"))

    threads = [threading.Thread(target=one) for _ in range(4)]
    threads[0].start()
    started.wait(5)
    for t in threads[1:]:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 4 and len(calls) == 1
    assert len({r["text"] for r in results}) == 1 and results[0]["intent"] == "task_units"


def test_the_years_in_a_named_plans_title_are_not_the_period_asked():
    docs = [{"doc_id": "title:青川县数字乡村行动计划（2023—2025年）", "doc_no": None, "title": "青川县数字乡村行动计划（2023—2025年）",
             "stub": False, "region": "青川县", "level": "county"}]
    lex = Lexicon.from_records([{"name": "县农业农村局", "aliases": []}], docs, [], [])
    assert link("青川县数字乡村行动计划（2023—2025年）中县农业农村局牵头的任务有哪些", lex, TODAY).period is None
    p = link("青川县数字乡村行动计划（2023—2025年）中，到2024年要完成的任务有哪些", lex, TODAY).period
    assert p is not None and p.end == "2024-12-31"


def test_a_date_that_describes_the_task_does_not_make_a_question_about_a_period(lex):
    from kg.qa.intents import choose

    ln = link("2019年1月申报的燃煤锅炉拆改补助最晚什么时候支付", lex, TODAY)
    assert choose(ln.question, ln, set(), True, use_similarity=False).intent == "task_deadline"


def test_lexicon_out_of_the_cyclic_collector(qa_store):
    """A lexicon read or built is frozen out of Python's cyclic collector (a full collection walked its ~800,000
    objects at 10,000 plans: ~300 ms, interpreter lock held), and it still frees by reference counting alone."""
    import gc
    import weakref

    from kg.qa import linking

    linking.invalidate(qa_store)
    lex = linking.lexicon_for(qa_store)
    assert gc.get_freeze_count() > 0
    gone = weakref.ref(lex)
    linking.invalidate(qa_store)
    del lex
    assert gone() is None  # no reference cycle keeps a replaced lexicon alive
    linking.lexicon_for(qa_store)
