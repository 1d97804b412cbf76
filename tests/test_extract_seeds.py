"""Extraction on the five real seed plans (../shared/seeds), checked against what the text says,
plus the gold-annotation quality bar and a pass over the real corpus."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT, need_shared, seed
from kg.extract import extract_file


@pytest.fixture(scope="module")
def plans():
    return {n: extract_file(seed(n)) for n in ("000", "001", "002", "003", "004")}


def task(plan, heading_part):
    return next(t for t in plan.tasks if heading_part in t.heading)


def units_of(plan, heading_part):
    return {(u.name, u.role) for u in task(plan, heading_part).units}


def test_seed_001_metadata_and_parents(plans):
    p = plans["001"]
    # the plan's own title line (the notice names it without 登封市)
    assert (p.title, p.doc_no, p.date) == ("登封市送表矿区2019年大气污染防治攻坚战实施方案", "送管发〔2019〕18号", "2019-05-22")
    assert p.issuer == "登封市送表矿区管理委员会"
    assert [r.doc_no for r in p.parents] == ["郑办〔2019〕9号", "登办〔2018〕69号", "登办〔2019〕10号"]


def test_seed_001_lead_and_responsible_lines(plans):
    p = plans["001"]
    assert units_of(p, "加快燃煤锅炉拆改") == {
        ("矿区煤炭科", "lead"), ("矿区财政所", "responsible"), ("矿区环保中队", "responsible"),
        ("矿区工商质监所", "responsible"), ("矿区各行政村", "responsible")}
    deadlines = [(d.text, d.date, d.kind) for d in task(p, "加快燃煤锅炉拆改").deadlines]
    assert deadlines == [("2019年10月底前", "2019-10-31", "by")]
    # two leads on one line; a shared prefix 矿区西送表村、丁村
    assert {("矿区煤炭科", "lead"), ("矿区工商质监所", "lead")} <= units_of(p, "推进煤炭清洁利用")
    assert ("矿区丁村", "responsible") in units_of(p, "积极推动太阳能资源综合利用")


def test_seed_001_typo_variant_is_an_alias(plans):
    units = {u.name: u for u in plans["001"].units}
    assert "矿区工商质检所" in units["矿区工商质监所"].aliases
    assert "矿区工商质检所" not in units


def test_seed_001_goal_targets(plans):
    got = {(t.indicator, t.op, t.value, t.unit, t.year) for t in plans["001"].targets}
    assert {("PM10平均浓度", "<=", 91.0, "微克/立方米", 2019), ("PM2.5平均浓度", "<=", 52.0, "微克/立方米", 2019),
            ("优良天数", ">=", 241.0, "天", 2019)} <= got


def test_seed_002_prose_roles_and_phase_dates(plans):
    p = plans["002"]
    assert ("州环境监察支队", "lead") in units_of(p, "清理整治阶段")
    assert ("各县市环保部门", "responsible") in units_of(p, "清理整治阶段")
    got = {(d.text, d.date, d.start_date, d.kind) for t in p.tasks for d in t.deadlines}
    assert ("2017年2月中旬前", "2017-02-15", None, "by") in got
    assert ("2017年2月25日-5月10日", "2017-05-10", "2017-02-25", "range") in got
    assert ("每双月5日前", None, None, "recurring") in got
    assert [r.doc_no for r in p.parents] == ["新环发〔2017〕10号"]


def test_seed_003_blocks_mojibake_and_spam(plans):
    p = plans["003"]
    assert "?#" not in p.text and "时时彩" not in p.text
    assert "持续改善" in p.text
    problem = task(p, "环境保护工作统筹力度不够")
    assert {(u.name, u.role) for u in problem.units} == {("党政综合办公室", "responsible"), ("环保分局", "responsible")}
    assert [(d.text, d.kind) for d in problem.deadlines] == [("立行立改、长期坚持", "ongoing")]
    assert p.parents and "反馈意见" in p.parents[0].title
    assert p.date == "2018-06-21"


def test_seed_004_inline_units_and_yearless_steps(plans):
    p = plans["004"]
    assert p.date == "2023-03-17"
    assert units_of(p, "加强吸污车作业管理") == {
        ("自然资源和生态环境办公室", "responsible"), ("城镇建设管理办公室", "responsible"),
        ("重点项目建设服务中心", "responsible"), ("市交通运输综合行政执法大队园区中队", "responsible")}
    assert ("自然资源和生态环境办公室", "responsible") in units_of(p, "严格裸露地块扬尘污染管控")
    steps = [(d.date, d.start_date) for d in task(p, "动员摸底阶段").deadlines]
    assert steps == [("2023-03-18", "2023-03-14")]


def test_seed_000_prose_lead(plans):
    assert ("区环保所", "lead") in units_of(plans["000"], "加强组织领导")


def test_every_fact_quotes_its_source(plans):
    for p in plans.values():
        for t in p.tasks:
            assert p.text[t.start:t.end].strip() == t.text
            for d in t.deadlines:
                assert p.text[d.start:d.end] == d.text
            for u in t.units:  # the unit as written, at its span
                assert p.text[u.start:u.end] == u.raw


def gold_scores(name: str, shared: Path) -> tuple[dict, float]:
    """F1 per kind and the share of right metadata fields on one gold set (bench/eval_extract.py)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from eval_extract import evaluate, gold_set, prf

    need_shared(shared)
    result = evaluate(gold_set(name))
    f1 = {k: prf(*v)[2] for k, v in result["totals"].items()}
    meta = sum(ok for ok, _ in result["meta"].values()) / sum(n for _, n in result["meta"].values())
    return f1, meta


def test_gold_quality_bar():
    """Precision/recall against the hand-checked gold annotation of the seeds."""
    f1, _ = gold_scores("seeds", seed("000").parent)
    assert f1["assignments"] >= 0.95 and f1["deadlines"] >= 0.97 and f1["parents"] >= 0.95, f1
    assert f1["targets"] >= 0.90, f1


def test_corpus_gold_quality_bar():
    """The 25 corpus documents the extractor was tuned on (tests/gold/corpus, in neither held-out list)."""
    f1, meta = gold_scores("dev", CORPUS)
    assert f1["assignments"] >= 0.93 and f1["parents"] >= 0.95, f1
    assert f1["deadlines"] >= 0.78 and f1["targets"] >= 0.79, f1
    assert meta >= 0.97, meta


def test_corpus_heldout_quality_bar():
    """The 15 corpus documents set aside in the first round (tests/gold/heldout.txt); bars below the
    measured values so that a regression fails."""
    f1, meta = gold_scores("heldout", CORPUS)
    assert f1["assignments"] >= 0.95 and f1["parents"] >= 0.93, f1
    assert f1["deadlines"] >= 0.79 and f1["targets"] >= 0.88, f1
    assert meta >= 0.97, meta


def test_corpus_second_heldout_quality_bar():
    """The 16 documents drawn before the second round (tests/gold/heldout2.txt), read at its end and tuned
    on since."""
    f1, meta = gold_scores("heldout2", CORPUS)
    assert f1["assignments"] >= 0.93 and f1["parents"] >= 0.95, f1
    assert f1["deadlines"] >= 0.82 and f1["targets"] >= 0.79, f1
    assert meta >= 0.97, meta


def test_corpus_third_heldout_quality_bar():
    """The 16 documents drawn before round 3 (tests/gold/heldout3.txt); untouched at the end of round 3:
    assignments .896, deadlines .774, targets .721, parents .909, metadata .906; read at its end and
    tuned on since."""
    f1, meta = gold_scores("heldout3", CORPUS)
    assert f1["assignments"] >= 0.93 and f1["parents"] >= 0.95, f1
    assert f1["deadlines"] >= 0.76 and f1["targets"] >= 0.74, f1
    assert meta >= 0.93, meta


def test_corpus_fourth_heldout_quality_bar():
    """The 12 documents drawn before round 4 (tests/gold/heldout4.txt); untouched at the end of round 4:
    assignments .932, deadlines .421, targets .547, parents .857, metadata .875; bars under the measures
    after the post-look fixes."""
    f1, meta = gold_scores("heldout4", CORPUS)
    assert f1["assignments"] >= 0.92 and f1["parents"] >= 0.85, f1
    assert f1["deadlines"] >= 0.44 and f1["targets"] >= 0.67, f1
    assert meta >= 0.9, meta


def test_invented_plans_quality_bar():
    """tests/gold/synth5: 10 plans a helper invented in the style of real ones (tables with | and spaces,
    整改方案, many targets, a one-line web page, township prose, provincial collectives), with their gold;
    shipped with the tests, so this runs without ../shared. Untouched through round 5: assignments .968,
    deadlines .952, targets .819, parents 1.0, metadata .95."""
    f1, meta = invented_scores("synth5")
    assert f1["assignments"] >= 0.95 and f1["parents"] >= 0.95, f1
    assert f1["deadlines"] >= 0.93 and f1["targets"] >= 0.80, f1
    assert meta >= 37, meta


def test_invented_plans_round7_tuned_half():
    """tests/gold/synth7 minus its heldout.txt: 5 invented plans in styles synth5 lacks (第N条 articles with
    【牵头单位】 lines, 由A会同B负责 prose, a Markdown table under 排在第一位的为牵头单位，其他为配合单位, a 巡察整改方案
    with 牵头科室/配合科室 blocks, a web capture with （责任单位：…；完成时限：…）). First run .426 assignments;
    tuned on in round 7 to .965."""
    f1, meta = invented_scores("synth7")
    assert f1["assignments"] >= 0.95 and f1["parents"] >= 0.9, f1
    assert f1["deadlines"] >= 0.9 and f1["targets"] >= 0.95, f1
    assert meta >= 19, meta


def test_invented_plans_round7_heldout_half():
    """tests/gold/synth7/heldout.txt (synth7h): 5 invented plans set aside in round 7 (an inline （牵头） mark and
    an indicator table, sector lists, a tab table, a notice with prose roles, a unit-first duty list). First run
    .798 assignments; untouched at the end of round 7 .825; .919 after the post-look fixes (targets .847 ->
    .957)."""
    f1, meta = invented_scores("synth7h")
    assert f1["assignments"] >= 0.90 and f1["parents"] >= 0.95, f1
    assert f1["deadlines"] >= 0.95 and f1["targets"] >= 0.93, f1
    assert meta >= 19, meta


def test_invented_plans_round8_tuned_half():
    """tests/gold/synth8 minus its heldout.txt: 5 invented plans (a 分工表 aligned with runs of spaces with a
    wrapped row, 若干措施 with 按职责分工落实 and 由X负责, a provincial 实施意见 with people's organisations, a
    traditional-character plan, a 专班办公室设在… notice). First run .593 assignments; tuned on in round 8."""
    f1, meta = invented_scores("synth8")
    assert f1["assignments"] >= 0.95 and f1["parents"] >= 0.95, f1
    assert f1["deadlines"] >= 0.9 and f1["targets"] >= 0.87, f1
    assert meta >= 19, meta


def test_invented_plans_round8_heldout_half():
    """tests/gold/synth8/heldout.txt (synth8h): 5 invented plans set aside in round 8 (a notice with one-line
    task items and mixed punctuation, a county audit 整改方案 with persons named, items opened by 第一，…, a
    target-heavy plan, 一是…二是… on one line). First run .975 assignments; .978 at the end of round 8, untouched
    (targets .930; .947 after one post-look fix)."""
    f1, meta = invented_scores("synth8h")
    assert f1["assignments"] >= 0.95 and f1["parents"] >= 0.95, f1
    assert f1["deadlines"] >= 0.95 and f1["targets"] >= 0.9, f1
    assert meta >= 19, meta


def test_invented_plans_round9_tuned_half():
    """tests/gold/synth9 minus its heldout.txt: 5 invented plans (a tab 分工表 whose unit cell lists bodies apart by
    spaces, a 问题1： 整改 list whose 责任单位 fields hold role clauses, a 街道 plan with declared short names, a city
    plan numbered inline, duties given by item number in a list of their own). First run .533 assignments; tuned on
    in round 9."""
    f1, meta = invented_scores("synth9")
    assert f1["assignments"] >= 0.95 and f1["parents"] >= 0.95, f1
    assert f1["deadlines"] >= 0.95 and f1["targets"] >= 0.88, f1
    assert meta >= 19, meta


def test_invented_plans_round9_heldout_half():
    """tests/gold/synth9/heldout.txt (synth9h): 5 invented plans set aside in round 9 (a | table whose cells span
    several lines, a notice forwarding a plan with prose roles, a provincial 若干措施 under 列第一位的为牵头单位，下同,
    a target-heavy three-year plan, a joint plan signed at its end). First run .924 assignments; the same untouched
    at the end of round 9 (deadlines .931, targets .865); .989 / .954 / .918 after the post-look fixes."""
    f1, meta = invented_scores("synth9h")
    assert f1["assignments"] >= 0.97 and f1["parents"] >= 0.85, f1
    assert f1["deadlines"] >= 0.93 and f1["targets"] >= 0.9, f1
    assert meta >= 19, meta


def test_invented_plans_round10_tuned_half():
    """tests/gold/synth10 minus its heldout.txt: 5 invented plans (a 整改方案 whose rows are flattened into labelled
    lines after 序号：N, a 根治欠薪 plan with 此项工作由A牵头 and 春节前 limits, a target-heavy three-year plan with
    composite indices, a 若干措施 mixing numbering styles, a plan whose sections close with 以上工作由X牵头).
    First run .816 assignments; tuned on in round 10."""
    f1, meta = invented_scores("synth10")
    assert f1["assignments"] >= 0.95 and f1["parents"] >= 0.95, f1
    assert f1["deadlines"] >= 0.90 and f1["targets"] >= 0.92, f1
    assert meta >= 19, meta


def test_invented_plans_round10_heldout_half():
    """tests/gold/synth10/heldout.txt (synth10h): 5 invented plans set aside in round 10 (roles only in a closing
    职责分工 by bracketed item number, stage blocks whose items say X为牵头单位, a joint provincial notice, a plan
    of 挂牌 names and short forms, a notice forwarding a plan). First run .712 assignments; .726 untouched at the
    end of round 10; .924 after the post-look fixes (bracketed item numbers, X为牵头单位)."""
    f1, meta = invented_scores("synth10h")
    assert f1["assignments"] >= 0.90 and f1["parents"] >= 0.6, f1
    assert f1["deadlines"] >= 0.93 and f1["targets"] >= 0.95, f1
    assert meta >= 19, meta


def test_invented_plans_round11_tuned_half():
    """tests/gold/synth11 minus its heldout.txt: 5 invented plans (a city task table with `|` columns and the
    deadline before the task, a township flood-control plan with prose roles, a city plan in traditional characters
    with 主責單位/協辦單位, a city ozone plan with 〔X牵头，Y参与，Z负责落实〕, a village plan with no 文号). First run
    .884 assignments, .910 deadlines, .838 targets; tuned on in round 11 (主責單位 stays lead: the gold says
    responsible)."""
    f1, meta = invented_scores("synth11")
    assert f1["assignments"] >= 0.90 and f1["parents"] >= 0.95, f1
    assert f1["deadlines"] >= 0.92 and f1["targets"] >= 0.92, f1
    assert meta >= 19, meta


def test_invented_plans_round11_heldout_half():
    """tests/gold/synth11/heldout.txt (synth11h): 5 invented plans set aside in round 11. First run .839
    assignments, .909 deadlines, .788 targets; .841 / .973 / .788 untouched at the end of round 11; .988 / .973 /
    .844 after the post-look fixes (a 列首位 rule stated in the notice before the items, a tab table's continuation
    rows, 批次 and other units)."""
    f1, meta = invented_scores("synth11h")
    assert f1["assignments"] >= 0.97 and f1["parents"] >= 0.85, f1
    assert f1["deadlines"] >= 0.95 and f1["targets"] >= 0.82, f1
    assert meta >= 17, meta


def invented_scores(name: str) -> tuple[dict, int]:
    """F1 per field and the metadata fields right, for an invented gold set shipped with the tests."""
    sys.path.insert(0, str(ROOT / "bench"))
    from eval_extract import evaluate, gold_set, prf

    result = evaluate(gold_set(name))
    return {k: prf(*v)[2] for k, v in result["totals"].items()}, sum(ok for ok, _ in result["meta"].values())


def test_corpus_national_markers():
    corpus = need_shared(CORPUS)
    p = extract_file(corpus / "gov_zhou_05.txt")  # （税务总局、财政部、海关总署负责，排在第一位的部门为牵头部门，下同）
    first = next(t for t in p.tasks if any(u.raw == "税务总局" for u in t.units))
    # short forms are canonicalised through the gazetteer in a national document; the surface stays in raw
    assert {(u.name, u.raw, u.role) for u in first.units} == {
        ("国家税务总局", "税务总局", "lead"), ("财政部", "财政部", "responsible"), ("海关总署", "海关总署", "responsible")}
    assert "税务总局" in next(u for u in p.units if u.name == "国家税务总局").aliases
    p = extract_file(corpus / "gov_zhou_15.txt")  # …等负责。列第一位者为牵头单位，下同
    assert any(u.role == "lead" and u.name == "工业和信息化部" for t in p.tasks for u in t.units)
    assert (p.doc_no, p.date) == ("国发〔2018〕42号", "2018-12-21")


def test_cli_extract_json_contract(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    out = subprocess.run([sys.executable, "-m", "kg.cli", "extract", str(seed("004")), str(bad), "--json"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr  # one good file: the batch succeeds
    data = json.loads(out.stdout)
    assert [bool(d["error"]) for d in data] == [False, True]
    assert "empty.txt" in data[1]["error"]
    keys = {"source", "title", "doc_no", "issuer", "date", "level", "region", "parents", "targets", "tasks", "units", "warnings"}
    assert keys <= set(data[0])
    t = data[0]["tasks"][0]
    assert {"id", "parent_id", "number", "path", "heading", "text", "start", "end", "units", "deadlines", "targets",
            "references"} <= set(t)
    only_bad = subprocess.run([sys.executable, "-m", "kg.cli", "extract", str(bad)], capture_output=True, text=True)
    assert only_bad.returncode != 0 and "empty.txt" in only_bad.stderr


def test_corpus_bracket_with_people_organisations_and_regulators():
    """gov_zhou_34: （体育总局、人民银行、银保监会、证监会、财政部负责） — 证监会 and 银保监会 end in 会, which
    once dropped the whole bracket; each paragraph with its own bracket is its own sub-task."""
    p = extract_file(need_shared(CORPUS) / "gov_zhou_34.txt")
    task = next(t for t in p.tasks if "进一步拓宽体育竞赛表演机构的融资渠道" in t.text and t.units)
    assert {u.raw for u in task.units} == {"体育总局", "人民银行", "银保监会", "证监会", "财政部"}
    assert {u.role for u in task.units} == {"responsible"}
    # the closing paragraph after the last item states its own role: a sub-task of its own
    closing = next(t for t in p.tasks if t.text.startswith("各地区、各有关部门要充分认识"))
    assert ("体育总局", "lead") in {(u.raw, u.role) for u in closing.units}
    # （十）: three role brackets on one line → three sub-tasks, each with its own units
    parts = [t for t in p.tasks if t.path.startswith("三、/（十）/¶")]
    assert [sorted(u.raw for u in t.units) for t in parts] == [
        ["市场监管总局"], ["体育总局", "教育部"], ["体育总局", "工业和信息化部", "科技部", "网信办"]]


def test_corpus_local_lead_then_verbless_list_then_support():
    """ncp2020/0011: （省财政厅…牵头，省工业和信息化厅、人行南昌中心支行，各市、县〔区〕人民政府、赣江新区管委会配合）:
    the middle list takes the role of the next verb; 各市、县〔区〕人民政府 is one collective body."""
    p = extract_file(need_shared(CORPUS.parent / "corpus_local") / "ncp2020" / "0011.txt")
    task = next(t for t in p.tasks if "省工业和信息化厅、省科技厅、省人力资源社会保障厅" in t.text)
    roles = {(u.raw, u.role) for u in task.units}
    assert {("省财政厅", "lead"), ("省国资委", "lead"), ("省科技厅", "support"),
            ("各市、县〔区〕人民政府", "support"), ("赣江新区管委会", "support")} <= roles


def test_corpus_together_with_makes_a_lead():
    """odkg_test3_147: 发展改革委要会同有关部门对本意见的落实情况进行跟踪分析 → 发展改革委 leads."""
    p = extract_file(need_shared(CORPUS) / "odkg_test3_147.txt")
    assert any(u.raw == "发展改革委" and u.role == "lead" and u.name == "国家发展和改革委员会"
               for t in p.tasks for u in t.units)


def test_corpus_one_cell_per_line_table():
    """gov_zhou_10's 推广清单 arrives one cell per line (序号/改革举措/主要内容/指导部门/推广范围)."""
    p = extract_file(need_shared(CORPUS) / "gov_zhou_10.txt")
    rows = [t for t in p.tasks if t.path.startswith("表")]
    assert len(rows) == 17  # every numbered row of the list as published (本文有删减)
    first = next(t for t in rows if "三合一" in t.heading)
    assert {u.raw for u in first.units} == {"最高人民法院", "最高人民检察院", "国家知识产权局"}


def test_a_count_opening_its_clause_is_a_target_of_the_goal_after_it():
    corpus = need_shared(CORPUS)
    p = extract_file(corpus / "odkg_test5_209.txt")  # 到2025年，…，3~5家企业进入全球产业用纺织品第一梯队。
    got = [(t.op, t.value, t.unit, t.year) for task in p.tasks for t in task.targets if "第一梯队" in t.indicator]
    assert got == [(">=", 3.0, "家", 2025)]
