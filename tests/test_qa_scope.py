"""Issue 9: questions over the whole library. Document scope (a document named by 文号, title, short
title or a loose paraphrase), unit linking through the organisation gazetteer, task counts, periods
relative to the document's year, precise "not found", and the eval's not_answerable check."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import CORPUS, SHARED, need_shared
from kg.qa.dates import parse_period
from kg.qa.linking import Lexicon, link

TODAY = date(2026, 12, 1)
ROOT = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------- without a store
def test_quarter_half_year_and_year_end_relative_to_the_documents_year():
    p = parse_period("2019年一季度要完成哪些工作", TODAY)
    assert (p.start, p.end) == ("2019-01-01", "2019-03-31")
    p = parse_period("2020年一季度前要完成什么", TODAY)
    assert (p.start, p.end, p.kind) == (None, "2020-03-31", "by")
    p = parse_period("上半年要完成什么", TODAY, ref_year=2022)
    assert (p.start, p.end) == ("2022-01-01", "2022-06-30")
    assert parse_period("年底前要办完的事", TODAY, ref_year=2019).end == "2019-12-31"
    assert parse_period("4月底前要完成什么", TODAY, ref_year=2022).end == "2022-04-30"
    assert parse_period("年底前要办完的事", TODAY).end == "2026-12-31"  # no document: today's year


def _lex():
    docs = [{"doc_id": "a", "title": "国务院关于促进综合保税区高水平开放高质量发展的若干意见", "doc_no": "国发〔2019〕3号",
             "date": "2019-01-12"},
            {"doc_id": "b", "title": "国务院办公厅关于深入开展消费扶贫助力打赢脱贫攻坚战的指导意见",
             "doc_no": "国办发〔2018〕129号", "date": "2018-12-30"},
            {"doc_id": "c", "title": "铁岭市应对新型冠状病毒感染的肺炎疫情支持中小企业发展政策措施", "date": "2020-02-07"},
            {"doc_id": "d", "title": "陕西省人民政府办公厅关于印发应对新冠肺炎疫情支持中小微企业稳定健康发展若干措施的通知",
             "date": "2020-02-16"},
            {"doc_id": "e", "title": "大气污染防治行动计划", "doc_no": "国发〔2013〕37号", "date": "2013-09-10"},
            {"doc_id": "f", "title": "国务院关于印发国家职业教育改革实施方案的通知", "doc_no": "国发〔2019〕4号",
             "date": "2019-01-24"},
            {"doc_id": "g", "title": "国务院关于做好当前和今后一个时期促进就业工作的若干意见", "doc_no": "国发〔2018〕39号",
             "date": "2018-11-16"},
            {"doc_id": "h", "title": "实施方案", "stub": True}]
    units = [{"name": "人力资源社会保障部"}, {"name": "发展改革委"}, {"name": "商务部"}, {"name": "市营商环境建设局"},
             {"name": "国务院"}]
    return Lexicon.from_records(units=units, docs=docs)


def test_document_named_by_a_loose_title_and_its_year_dates_the_period():
    lex = _lex()
    ln = link("铁岭那个支持中小企业发展的政策措施，市营商环境建设局都要干啥？", lex, TODAY)
    assert [m.key for m in ln.documents][:1] == ["c"]
    ln = link("大气十条里京津冀细颗粒物浓度要下降多少", lex, TODAY)
    assert [m.key for m in ln.documents][:1] == ["e"]
    ln = link("职业教育改革实施方案里年底前要完成什么", lex, TODAY)
    assert [m.key for m in ln.documents][:1] == ["f"]
    assert ln.period.end == "2019-12-31"  # the document's year, not today's
    # a question about a task names no document
    assert link("谁牵头燃煤锅炉拆改", lex, TODAY).documents == []


def test_words_of_the_named_title_are_not_units_and_generic_citations_name_nothing():
    lex = _lex()
    ln = link("国务院促进就业若干意见（国发〔2018〕39号）里人社部牵头干哪些事？", lex, TODAY)
    assert [m.key for m in ln.documents] == ["g"]
    assert [m.key for m in ln.units] == ["人力资源社会保障部"]  # 国务院 is part of the title
    # a cited 《实施方案》 with no other words is too vague to scope a question
    assert "h" not in [m.key for m in link("试点地区的具体实施方案最晚什么时候报备", lex, TODAY).documents]


def test_a_body_after_the_named_document_is_asked_about_even_when_the_title_holds_its_words():
    lex = Lexicon.from_records(units=[{"name": "省卫生健康委"}, {"name": "卫生健康委"}, {"name": "公安部"}],
                               docs=[{"doc_id": "w", "date": "2020-02-01",
                                      "title": "省卫生健康委、人力资源社会保障厅、财政厅关于做好一线医务人员及其家属保障工作若干措施"},
                                     {"doc_id": "f", "title": "国务院关于印发国家职业教育改革实施方案的通知",
                                      "doc_no": "国发〔2019〕4号"}])
    ln = link("关于做好一线医务人员及其家属保障工作的若干措施里卫生健康委要做什么？", lex, TODAY)
    assert [m.key for m in ln.documents][:1] == ["w"] and "卫生健康委" in [m.surface for m in ln.units]
    # a name in the actor slot that is no unit of the graph is kept for a search of the document's text
    ln = link("国发〔2019〕4号里地方政府要做什么？", lex, TODAY)
    assert ln.units == [] and ln.unknown_unit == "地方政府"
    ln = link("国发〔2019〕4号里各地公安部门负责哪些？", lex, TODAY)
    assert ln.units == [] and ln.unknown_unit == "各地公安部门"  # a sector, not 公安部
    assert link("国发〔2019〕4号的负责部门是哪个？", lex, TODAY).unknown_unit is None
    assert link("国发〔2019〕4号里联席会议办公室是哪几条的责任单位？", lex, TODAY).unknown_unit == "联席会议办公室"
    assert link("地方政府要做什么？", lex, TODAY).unknown_unit is None  # no document to search
    lex = Lexicon.from_records(units=[{"name": "国务院办公厅"}],
                               docs=[{"doc_id": "e", "title": "关于深化高等学校创新创业教育改革的实施意见"}])
    ln = link("国务院办公厅关于深化高等学校创新创业教育改革的实施意见里2020年底前要完成什么？", lex, TODAY)
    assert [m.key for m in ln.documents][:1] == ["e"] and ln.units == []  # X关于…: the document's issuer


def test_a_document_word_is_read_whole():
    from kg.qa.linking import doc_mention

    q = "青岛AI产业园政策实施细则里，从2024年起每年市工信局要做什么？"  # 政策 + 实施细则: the 细则, not the 政策
    a, b = doc_mention(q)
    assert q[a:b] == "青岛AI产业园政策实施细则"


def test_an_announcement_number_typed_with_spaces_names_its_document():
    no = "no:公告2020年第54号"  # the store's id of a document with a 文号
    lex = Lexicon.from_records(docs=[{"doc_id": no, "title": "关于发布《矿产资源开发利用辐射环境监督管理名录》的公告",
                                      "doc_no": "公告2020年第54号"}])
    assert [m.key for m in link("公告 2020年 第54号里生态环境部参与了多少项工作？", lex, TODAY).documents][:1] == [no]


def test_short_forms_of_national_bodies_link_to_the_graphs_name():
    lex = _lex()
    ln = link("人社部牵头干哪些事", lex, TODAY)
    assert [(m.key, m.surface) for m in ln.units] == [("人力资源社会保障部", "人社部")]
    assert [m.key for m in link("发改委负责什么", lex, TODAY).units] == ["发展改革委"]


def test_eval_not_answerable_needs_no_rows_and_a_not_found_text():
    sys.path.insert(0, str(ROOT / "bench"))
    from eval_qa import check

    item = {"id": "x", "kind": "not_answerable", "intent": "not_answerable", "intent_any": ["open_question"],
            "expect": [], "not": ["亿元"]}
    assert check(item, {"intent": "not_answerable", "answers": [], "text": "图中没有找到相关内容。"})[0]
    assert not check(item, {"intent": "open_question", "answers": [{"task_id": "t"}], "text": "相关的任务："})[0]
    assert not check(item, {"intent": "not_answerable", "answers": [], "text": "补贴10亿元"})[0]
    assert not check(item, {"intent": "unit_tasks", "answers": [], "text": "没有找到"})[0]


# ---------------------------------------------------------------- on a store with corpus documents
@pytest.fixture
def corpus_store(graph_store):
    from kg.extract import extract_file

    need_shared(CORPUS)
    for f in [CORPUS / "gov_zhou_05.txt", CORPUS / "gov_zhou_57.txt", SHARED / "corpus_local" / "ncp2020" / "0002.txt",
              CORPUS / "gov_zhou_02.txt", CORPUS / "odkg_test4_156.txt"]:
        graph_store.load_plan(extract_file(str(f)))
    from kg.qa import linking

    linking.invalidate(graph_store)
    yield graph_store
    linking.invalidate(graph_store)  # the next test reloads the seeds: no cached corpus lexicon may survive


def _doc_of(store, title_part: str) -> str:
    rows = store.run("MATCH (d:Document) WHERE d.stub = false AND d.title CONTAINS $t RETURN d.doc_id AS id",
                     {"t": title_part})
    assert rows, title_part
    return rows[0]["id"]


def test_a_document_named_by_its_title_answers_from_that_document_only(corpus_store):
    from kg.qa import ask

    zone = _doc_of(corpus_store, "综合保税区")
    r = ask("综合保税区那个意见里，商务部牵头的任务有哪些？", corpus_store, today=TODAY, use_similarity=False)
    assert r.intent == "unit_tasks"
    assert r.answers and {a["doc_id"] for a in r.answers} == {zone}
    heads = " ".join(a["heading"] for a in r.answers)
    assert "促进内销便利" in heads and "拓展两个市场" not in heads
    assert all(e.quote for e in r.evidence)  # answers still quote their evidence
    # the same unit without the document: tasks of the other document too
    r2 = ask("商务部负责哪些任务？", corpus_store, today=TODAY, use_similarity=False)
    assert len({a["doc_id"] for a in r2.answers}) > 1


def test_short_form_links_to_the_canonical_unit_and_the_answer_names_it(corpus_store):
    from kg.qa import ask

    r = ask("国发〔2019〕3号里发改委牵头哪些任务？", corpus_store, today=TODAY, use_similarity=False)
    linked = [u["key"] for u in r.entities["units"]]
    assert linked and linked[0] in ("发展改革委", "国家发展和改革委员会", "国家发展改革委")
    assert linked[0] in r.text and "发改委" in r.text  # says what it linked the short form to
    assert "建设创新高地" in " ".join(a["heading"] for a in r.answers)


def test_task_count_of_a_document_and_of_a_unit_in_it(corpus_store):
    from kg.qa import ask

    r = ask("国发〔2019〕3号综合保税区意见一共有多少条主要任务？", corpus_store, today=TODAY, use_similarity=False)
    assert r.intent == "task_count" and "21" in r.text
    r = ask("综合保税区那个意见里商务部负责了几条？", corpus_store, today=TODAY, use_similarity=False)
    assert r.intent == "task_count" and r.answers and r.answers[0]["count"] == len(r.answers)


def test_unit_without_task_in_the_named_document_is_told_so_and_where_it_has_tasks(corpus_store):
    from kg.qa import ask

    r = ask("铁岭那个支持中小企业发展的政策措施里，商务部负责哪些任务？", corpus_store, today=TODAY,
            use_similarity=False)
    assert r.intent == "not_answerable" and r.answers == []
    assert "没有找到" in r.text and "综合保税区" in r.text  # where it does have tasks


def test_a_body_the_graph_holds_no_unit_for_is_answered_from_the_items_naming_it(corpus_store):
    from kg.qa import ask

    r = ask("国办发〔2019〕6号里中央财政承担哪些工作？", corpus_store, today=TODAY, use_similarity=False)
    assert r.intent == "unit_tasks" and "没有把“中央财政”记为单位" in r.text
    heads = " ".join(a["heading"] for a in r.answers)
    assert "加大奖补支持力度" in heads and "完善资金补充机制" in heads
    assert all("中央财政" in e.quote for e in r.evidence)  # each item quoted, and it names the body
    r = ask("国办发〔2019〕6号里中国气象局承担哪些工作？", corpus_store, today=TODAY, use_similarity=False)
    assert r.answers == [] and "中国气象局" in r.text and "没有" in r.text
    # a unit of the graph with no role in the named document, made the subject of a duty in its prose
    r = ask("工信厅联通装函〔2020〕180号里市场监管总局要做什么？", corpus_store, today=TODAY, use_similarity=False)
    assert r.intent == "unit_tasks" and "严格督查督办" in " ".join(a["heading"] for a in r.answers)
    assert "没有记录" in r.text and all(e.quote for e in r.evidence)


def test_a_passage_beside_targets_keeps_the_asked_years_sentences_with_their_spans():
    from kg.qa.asked import grams
    from kg.qa.intents.statistics import _sentences_with_numbers

    need_shared(CORPUS)
    text = (CORPUS / "gov_zhou_15.txt").read_text(encoding="utf-8")
    start = text.index("（二）发展目标")
    end = text.index("二、", start)
    said = _sentences_with_numbers(text[start:end], start, end, grams("农作物耕种收综合机械化率"), 2025)
    quotes = [t for t, _, _ in said]
    assert any("75%" in t for t in quotes) and not any("70%" in t for t in quotes)  # 2020's goal left out
    assert all(text[a:b] == t for t, a, b in said)  # each sentence quoted from its own span


def test_a_short_name_of_many_bodies_asks_which_one(graph_store):
    """In a library of many places, 市生态环境局 with no place and no document stands for every city's bureau:
    their tasks together answer nobody, so the answer asks for the place and names the busiest ones."""
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import synth_plans

    from kg.qa import ask, linking

    for plan in synth_plans(120, seed=3):
        graph_store.load_plan(plan)
    linking.invalidate(graph_store)
    try:
        r = ask("生态环境局负责哪些任务", graph_store, today=TODAY, use_similarity=False)
        assert r.answers == [] and "请写明地方" in r.text and "个不同地方的单位" in r.text
        named = r.text.split("任务最多的是：")[1].split("；")[0].split("（")[0]
        r = ask(f"{named}负责哪些任务", graph_store, today=TODAY, use_similarity=False)  # one of them, by its name
        assert r.intent == "unit_tasks" and r.answers
    finally:
        linking.invalidate(graph_store)
