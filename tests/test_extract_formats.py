"""Extraction of every format DESIGN.md lists, on short passages written in the style of real plans
(formats the five seeds do not all contain). Real seeds are covered in test_extract_seeds.py."""
from __future__ import annotations

import pytest

from kg.extract import extract_file, extract_text
from kg.extract.deadlines import find_deadlines
from kg.extract.targets import find_targets
from kg.model import document_id, normalize_doc_no


def roles(plan, heading_part):
    task = next(t for t in plan.tasks if heading_part in t.heading)
    return {(u.name, u.role) for u in task.units}


PLAN = """青川县2024年大气污染防治攻坚战实施方案

为贯彻落实《青川市人民政府办公室关于印发<青川市2024年大气污染防治攻坚战实施方案>的通知》（青政办〔2024〕5号）要求，结合我县实际，制定本方案。
一、工作目标
2024年，全县PM2.5平均浓度控制在29微克每立方米以下，优良天数达到260天以上，PM10浓度比2020年下降12%以上。
二、重点任务
（一）深化工业污染治理。2024年10月底前完成钢铁企业超低排放改造。〔县生态环境局牵头，县发展和改革局参与，各乡镇负责落实〕
（二）加强扬尘管控。9月底前建成扬尘在线监测平台。（县住房和城乡建设局牵头，县城市管理局、县交通运输局配合）
（三）推进清洁取暖。“十四五”期间新增污水处理规模3万立方米/日。（县发展和改革局、县财政局负责，排在第一位的部门为牵头部门，下同）
（四）强化监督考核。每双月5日前报送进展情况，自2024年3月1日起实行周调度。（县督查室、县生态环境局负责）
"""


@pytest.fixture(scope="module")
def plan():
    return extract_text(PLAN, "sample.txt")


def test_bracketed_national_roles(plan):
    assert roles(plan, "深化工业污染治理") == {
        ("县生态环境局", "lead"), ("县发展和改革局", "support"), ("各乡镇", "responsible")}
    assert roles(plan, "加强扬尘管控") == {
        ("县住房和城乡建设局", "lead"), ("县城市管理局", "support"), ("县交通运输局", "support")}


def test_first_listed_unit_leads_once_the_rule_is_stated(plan):
    assert roles(plan, "推进清洁取暖") == {("县发展和改革局", "lead"), ("县财政局", "responsible")}
    # `下同`: the rule applies to later brackets too
    assert roles(plan, "强化监督考核") == {("县督查室", "lead"), ("县生态环境局", "responsible")}


def test_parent_with_nested_title_and_doc_no(plan):
    assert [(p.title, p.doc_no) for p in plan.parents] == [("青川市2024年大气污染防治攻坚战实施方案", "青政办〔2024〕5号")]


def test_goal_targets(plan):
    got = {(t.indicator, t.op, t.value, t.unit, t.year) for t in plan.targets}
    assert ("PM2.5平均浓度", "<=", 29.0, "微克/立方米", 2024) in got
    assert ("优良天数", ">=", 260.0, "天", 2024) in got
    assert ("PM10浓度下降比例", ">=", 12.0, "%", 2024) in got


def test_deadline_kinds(plan):
    got = {(d.text, d.date, d.start_date, d.kind) for t in plan.tasks for d in t.deadlines}
    assert ("2024年10月底前", "2024-10-31", None, "by") in got
    assert ("9月底前", "2024-09-30", None, "by") in got  # year from the document title
    assert ("“十四五”期间", "2025-12-31", "2021-01-01", "range") in got
    assert ("每双月5日前", None, None, "recurring") in got
    assert ("自2024年3月1日起", None, "2024-03-01", "ongoing") in got


@pytest.mark.parametrize("text,date,start,kind", [
    ("2017年2月中旬前完成", "2017-02-15", None, "by"),
    ("2017年5月10前报送", "2017-05-10", None, "by"),
    ("2017年2月25日-5月10日", "2017-05-10", "2017-02-25", "range"),
    ("到2020年，全面完成", "2020-12-31", None, "by"),
    ("立行立改、长期坚持", None, None, "ongoing"),
    ("立行立改", None, None, "immediate"),
    ("每月5日前报送", None, None, "recurring"),
    ("2019年底，基本完成", "2019-12-31", None, "by"),
    ("2020年一季度完成", "2020-03-31", "2020-01-01", "range"),
    ("2021年上半年前完成", "2021-06-30", None, "by"),
    ("三年内兑现到位", None, None, "by"),
    ("每年2月底前报送", None, None, "recurring"),
    ("立即启动", None, None, "immediate"),
    ("力争三到五年时间内，基本建成", None, None, "by"),
    ("经过5—10年左右时间", None, None, "by"),
    ("2017年取得重要进展", "2017-12-31", None, "by"),
])
def test_deadline_phrases(text, date, start, kind):
    found = find_deadlines(text, 0, len(text), year_hint=None)
    assert [(d.date, d.start_date, d.kind) for d in found] == [(date, start, kind)]


def test_validity_period_counts_from_the_document_date():
    # the last day is the day before the anniversary, as plans write it (自2023年2月22日施行，有效期至2026年2月21日)
    text = "本政策自发布之日起施行，有效期3年。"
    found = find_deadlines(text, 0, len(text), 2020, doc_date="2020-06-02")
    assert [(d.date, d.start_date, d.kind) for d in found] == [("2023-06-01", "2020-06-02", "range")]


@pytest.mark.parametrize("text,date,start,kind", [
    ("本政策措施自印发之日起施行，有效期至2025年12月31日。", "2025-12-31", "2021-08-29", "range"),
    ("自2023年2月22日施行，有效期至2026年2月21日。", "2026-02-21", "2023-02-22", "range"),
    ("本政策执行期暂定为自政策发布之日起至2020年6月30日。", "2020-06-30", "2021-08-29", "range"),
    ("有效期至全省突发公共卫生事件Ⅰ级响应解除。", None, None, "by"),
    ("自国务院批准设立综合保税区之日起，对入区企业", None, None, "ongoing"),
    ("3—4月房租减半", "2021-04-30", "2021-03-01", "range"),
    ("开辟48小时内办结的审批绿色通道", None, None, "by"),
    ("原则上每5年修订1次", None, None, "recurring"),
    ("2021年2月份、3月份、4月份房租减半", "2021-04-30", "2021-02-01", "range"),
    ("（6月完成，牵头考核单位：县委网信办）", "2021-06-30", None, "by"),
])
def test_validity_ends_and_spans(text, date, start, kind):
    found = find_deadlines(text, 0, len(text), 2021, doc_date="2021-08-29")
    assert [(d.date, d.start_date, d.kind) for d in found] == [(date, start, kind)]


def test_a_rate_is_not_a_schedule():
    text = "按照每人每天100元的补贴标准发放"
    assert find_deadlines(text, 0, len(text), 2020) == []


def test_year_end_takes_the_context_year():
    text = "年底前完成全部清理。"
    assert [(d.date, d.kind) for d in find_deadlines(text, 0, len(text), 2021)] == [("2021-12-31", "by")]


def test_a_plain_date_is_not_a_deadline():
    text = "2014年以来全省新增燃煤锅炉940台，2019年5月22日印发。"
    assert find_deadlines(text, 0, len(text), None) == []


@pytest.mark.parametrize("text,expected", [
    ("覆盖率达到85%以上", ("覆盖率", ">=", 85.0, "%")),
    ("新增污水处理规模11万立方米/日", ("新增污水处理规模", "=", 11.0, "万立方米/日")),
    ("日抽检柴油车数量不低于车辆日通行量的15%", ("日抽检柴油车数量占车辆日通行量比例", ">=", 15.0, "%")),
    ("算力总规模达到12EFLOPS，", ("算力总规模", ">=", 12.0, "EFLOPS")),
    ("力争建成并开通5G基站10万个。", ("建成并开通5G基站", "=", 10.0, "万个")),
    ("谋划建设2-3个重大科技基础设施", ("重大科技基础设施", ">=", 2.0, "个")),
    ("规模以上企业工业增加值年均增长6%左右", ("规模以上企业工业增加值增长比例", "=", 6.0, "%")),
    ("贷款利率较2019年下降50个基点", ("贷款利率下降量", ">=", 50.0, "基点")),
    ("顶岗实习时间一般为6个月", ("顶岗实习时间", "=", 6.0, "个月")),
    ("开展百项云计算和大数据应用示范工程。", ("云计算和大数据应用示范工程", "=", 100.0, "项")),
    ("支持千家企业产学研协同创新，", ("企业产学研协同创新", "=", 1000.0, "家")),
    ("实践性教学课时占总课时一半以上。", ("实践性教学课时占总课时", ">=", 50.0, "%")),
    ("专利申请量比2015年翻一番。", ("专利申请量增长", ">=", 100.0, "%")),
    ("灌排机械动力达到1.3亿千瓦。", ("灌排机械动力", ">=", 1.3, "亿千瓦")),
    ("5G网络接入流量占比超50%。", ("5G网络接入流量占比", ">", 50.0, "%")),
    ("每万人拥有5G基站数超过18个。", ("每万人拥有5G基站数", ">", 18.0, "个")),  # 拥有5G is not 有5 (a past count)
    ("打造10-20个5G应用安全创新示范中心。", ("5G应用安全创新示范中心", ">=", 10.0, "个")),
    ("在重点领域选择不少于1000家企业实施专项行动。", ("企业实施专项行动", ">=", 1000.0, "家")),
])
def test_target_phrases(text, expected):
    found = find_targets(text, 0, len(text), None)
    assert [(t.indicator, t.op, t.value, t.unit) for t in found] == [expected]


def test_value_lists_share_their_indicator_words():
    """Round 9: short items before a long last one share its tail; a later value may end in 以内/以上; 亿美元, 列."""
    def read(text):
        return [(t.indicator, t.op, t.value, t.unit) for t in find_targets(text, 0, len(text), None)]
    assert read("京津冀、长三角、珠三角等区域细颗粒物浓度分别下降25%、20%、15%左右。") == [
        ("京津冀区域细颗粒物浓度下降比例", ">=", 25.0, "%"), ("长三角区域细颗粒物浓度下降比例", ">=", 20.0, "%"),
        ("珠三角区域细颗粒物浓度下降比例", ">=", 15.0, "%")]
    assert [t[2] for t in read("进口、出口整体通关时间分别压缩至30小时和1.2小时以内。")] == [30.0, 1.2]
    assert read("全年出口信用保险承保规模不低于160亿美元。") == [("全年出口信用保险承保规模", ">=", 160.0, "亿美元")]
    assert [t[2:] for t in read("中欧班列全年开行600列以上。")] == [(600.0, "列")]


def test_count_targets_and_support_caps():
    text = "到2022年，建设50所高水平高等职业学校，打造10个左右新型智能终端、超高清视频等数字产业集群。"
    found = {(t.indicator, t.op, t.value, t.unit, t.year) for t in find_targets(text, 0, len(text), None)}
    assert found == {("高水平高等职业学校", "=", 50.0, "所", 2022), ("数字产业集群", "=", 10.0, "个", 2022)}
    caps = "对新购置设备给予补助，单个项目补助金额最高不超过500万元，每家企业不超过50万元。"
    assert find_targets(caps, 0, len(caps), None) == []


def test_respectively_lists_give_one_target_per_indicator():
    text = "到2025年，与其他RCEP国家货物贸易、对外投资和实际利用外资分别占比达30%、20%和10%。"
    found = [(t.indicator, t.value) for t in find_targets(text, 0, len(text), None)]
    assert found == [("与其他RCEP国家货物贸易占比", 30.0), ("对外投资占比", 20.0), ("实际利用外资占比", 10.0)]


def test_amount_lists_and_joined_counts():
    text = "3年内建成海外科技企业孵化器8家、海外企业研发机构50家。到2022年，建设50所高水平高等职业学校和150个骨干专业（群）。"
    found = {(t.indicator, t.value, t.unit) for t in find_targets(text, 0, len(text), None)}
    assert found == {("建成海外科技企业孵化器", 8.0, "家"), ("海外企业研发机构", 50.0, "家"),
                     ("高水平高等职业学校", 50.0, "所"), ("骨干专业（群）", 150.0, "个")}


def test_words_that_are_not_counts():
    for text in ("深入千家万户，宣传政策。", "培育数百家企业。", "统筹两个市场。", "实施“万名数字专员进企业”行动。",
                 "建成一批“5G＋工业互联网”典型应用场景。"):
        assert find_targets(text, 0, len(text), None) == []


def test_respectively_by_year_gives_one_target_per_year():
    text = "全省信息技术产业营收2024年、2025年分别突破2.2万亿元、2.4万亿元。"
    found = [(t.indicator, t.value, t.year) for t in find_targets(text, 0, len(text), None)]
    assert found == [("信息技术产业营收", 2.2, 2024), ("信息技术产业营收", 2.4, 2025)]


def test_scope_thresholds_are_not_targets():
    text = "全区禁止生产、销售灰分大于32%、硫大于1%的劣质煤，拆除35蒸吨/时及以下燃煤锅炉。"
    assert find_targets(text, 0, len(text), None) == []


def test_joint_signature_line_and_ten_issuers():
    from kg.extract import extract_text
    text = ("工业和信息化部 中央网络安全和信息化委员会办公室 国家发展和改革委员会 教育部 财政部关于印发《某某行动计划（2021-2023年）》的通知\n"
            "工信部联通信〔2021〕77号\n各省、自治区、直辖市工业和信息化主管部门：\n现将《某某行动计划（2021-2023年）》印发给你们，请认真贯彻落实。\n"
            "工业和信息化部 中央网络安全和信息化委员会办公室国家发展和改革委员会 教育部财政部2021年7月5日\n"
            "某某行动计划（2021-2023年）\n一、总体要求\n到2023年，建成一批示范项目。\n")
    plan = extract_text(text)
    assert plan.issuer == "工业和信息化部、中央网络安全和信息化委员会办公室、国家发展和改革委员会、教育部、财政部"
    assert (plan.date, plan.title) == ("2021-07-05", "某某行动计划（2021-2023年）")


@pytest.mark.parametrize("variant", ["郑办〔2019〕9号", "郑办[2019]9号", "郑办(2019)9号", "郑办（2019）9號", "郑办〔2019〕09号"])
def test_doc_no_bracket_variants_are_one_document(variant):
    assert normalize_doc_no(variant) == "郑办〔2019〕9号"
    assert document_id(variant, "whatever") == document_id("郑办〔2019〕9号", None)


def test_order_style_doc_no_and_reference():
    text = "一、加强管理\n按照《煤炭经营监管办法》(国家发展和改革委员会令第13号)文件要求，落实监管责任。\n"
    plan = extract_text(text)
    refs = [(r.title, r.doc_no) for t in plan.tasks for r in t.references]
    assert refs == [("煤炭经营监管办法", "国家发展和改革委员会令第13号")]


def test_flattened_table_rows_become_tasks():
    text = ("附表\n序号 | 工作任务 | 牵头单位 | 责任单位 | 完成时限\n"
            "1 | 完成燃煤锅炉拆改 | 市生态环境局 | 市财政局、各区县 | 2019年10月底前\n"
            "2 | 建成扬尘监测平台 | 市住建局 | 市城管局 | 2019年12月底前\n")
    plan = extract_text(text)
    rows = {t.number: t for t in plan.tasks}
    assert {(u.name, u.role) for u in rows["1"].units} == {
        ("市生态环境局", "lead"), ("市财政局", "responsible"), ("各区县", "responsible")}
    assert [(d.date, d.kind) for d in rows["2"].deadlines] == [("2019-12-31", "by")]


@pytest.mark.parametrize("sep", ["\t", "   ", " ｜ "])
def test_table_cells_split_by_tabs_spaces_or_bars(sep):
    rows = [["序号", "工作任务", "牵头单位", "配合单位", "完成时限"],
            ["1", "建立企业复工服务专班", "市工信局", "市发改委、市商务局", "2020年3月底前"],
            ["2", "落实减税降费政策", "市税务局", "市财政局", "长期坚持"]]
    plan = extract_text("附件\n" + "\n".join(sep.join(r) for r in rows) + "\n")
    tasks = {t.heading: t for t in plan.tasks}
    first = tasks["建立企业复工服务专班"]
    assert {(u.name, u.role) for u in first.units} == {
        ("市工信局", "lead"), ("市发改委", "support"), ("市商务局", "support")}
    assert [(d.date, d.kind) for d in first.deadlines] == [("2020-03-31", "by")]
    assert [d.kind for d in tasks["落实减税降费政策"].deadlines] == ["ongoing"]
    assert plan.text[first.start:first.end].startswith("1")


def test_table_one_cell_per_line():
    text = "序号\n重点任务\n责任单位\n完成时间\n1\n建成智慧园区平台\n区大数据局、区财政局\n2021年6月底前\n"
    plan = extract_text(text)
    row = next(t for t in plan.tasks if t.heading == "建成智慧园区平台")
    assert {(u.name, u.role) for u in row.units} == {("区大数据局", "responsible"), ("区财政局", "responsible")}
    assert [d.date for d in row.deadlines] == ["2021-06-30"]


def test_unmapped_table_header_is_a_warning():
    plan = extract_text("序号 | 牵头单位 | 备注\n1 | 市财政局 | 无\n")
    assert any("not mapped" in w for w in plan.warnings)


def test_shared_prefix_and_typo_variants_resolve_to_one_unit():
    text = ("一、任务甲\n牵头单位:矿区工商质监所\n责任单位:矿区财政所、矿区西送表村、丁村\n"
            "二、任务乙\n牵头单位:矿区工商质监所\n"
            "三、任务丙\n牵头单位:矿区工商质检所\n责任单位:各行政村、矿区各行政村\n")
    plan = extract_text(text)
    units = {u.name: u for u in plan.units}
    assert "矿区丁村" in units and "丁村" in units["矿区丁村"].aliases
    assert "矿区工商质检所" in units["矿区工商质监所"].aliases and "矿区工商质检所" not in units
    assert "各行政村" in units["矿区各行政村"].aliases


def test_spans_quote_the_source():
    plan = extract_text(PLAN)
    for task in plan.tasks:
        assert plan.text[task.start:task.end].strip() == task.text
        for u in task.units:
            assert plan.text[u.start:u.end] in (u.name, *next(x.aliases for x in plan.units if x.name == u.name)) \
                or u.name.endswith(plan.text[u.start:u.end])
        for d in task.deadlines:
            assert plan.text[d.start:d.end] == d.text


def test_numbering_that_runs_on_in_one_line():
    """Pages that lost their line breaks: 一、 and 1. follow a sentence end on the same line."""
    text = ("关于支持企业复工的若干措施 为支持企业复工复产，制定如下措施。一、加大金融支持。1.扩大信贷投放。（市金融局负责）"
            "2.降低融资成本，贷款利率下浮10%。（人民银行市中心支行牵头，市财政局配合）二、减轻企业负担。3.减免房租。（市国资委负责）")
    plan = extract_text(text)
    assert [t.path for t in plan.tasks] == ["一、", "一、/1.", "一、/2.", "二、", "二、/3."]
    assert roles(plan, "降低融资成本") == {("人民银行市中心支行", "lead"), ("市财政局", "support")}


def test_traditional_characters_are_read_as_simplified(tmp_path):
    """A page in traditional characters: the loader converts it, every rule sees simplified text."""
    import opencc

    path = tmp_path / "trad.txt"
    path.write_text(opencc.OpenCC("s2t").convert(PLAN), encoding="utf-8")
    from kg.extract import extract_file

    trad = extract_file(path)
    assert roles(trad, "加强扬尘管控") == {
        ("县住房和城乡建设局", "lead"), ("县城市管理局", "support"), ("县交通运输局", "support")}
    assert any("traditional" in w for w in trad.warnings)


@pytest.mark.parametrize("title,expected", [
    ("登封市2019年大气污染防治攻坚战实施方案", ("登封市", "county")),  # a county-level city
    ("北京市石景山区人民政府关于印发…的通知", ("石景山区", "county")),
    ("山东省制造业创新能力提升三年行动计划", ("山东省", "province")),
    ("国务院办公厅关于…的意见", ("全国", "national")),
])
def test_region_and_level_from_the_division_list(title, expected):
    from kg.extract.metadata import region_and_level

    assert region_and_level(title, None) == expected


def test_a_clause_ending_in_a_place_suffix_is_no_region_and_the_doc_no_names_the_province():
    from kg.extract.metadata import region_and_level

    title = "关于全力支持服务业市场主体积极应对疫情若干政策措施"  # ends …服务业市(场): not a place
    assert region_and_level(title, "省发展改革委") == (None, None)
    assert region_and_level(title, "省发展改革委", "黔发改服务〔2020〕111号") == ("贵州省", "province")
    assert region_and_level("青岛市人工智能产业园发展若干政策", None, "青政办字〔2023〕13号") == ("青岛市", "city")


def test_table_keeps_empty_cells_and_reads_bare_dates():
    text = ("青川市2024年大气污染防治重点任务分工表\n序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限\n"
            "1 | 建成空气质量监测站点 | 市气象局 |  | 2024年6月30日\n")
    plan = extract_text(text)
    row = next(t for t in plan.tasks if t.heading == "建成空气质量监测站点")
    assert {(u.name, u.role) for u in row.units} == {("市气象局", "lead")}
    assert [(d.date, d.kind) for d in row.deadlines] == [("2024-06-30", "by")]
    assert plan.title == "青川市2024年大气污染防治重点任务分工表"


def test_two_fields_in_one_bracket():
    """（牵头单位：A、B，责任单位：C、D）: each label starts its own list."""
    plan = extract_text("一、建设科学城。推进重大平台落地。（牵头单位：市科技局、市发展改革委，责任单位：市工业和信息化局、市自然资源和规划局）\n")
    assert roles(plan, "建设科学城") == {("市科技局", "lead"), ("市发展改革委", "lead"),
                                     ("市工业和信息化局", "responsible"), ("市自然资源和规划局", "responsible")}


def test_mangled_notice_line_loses_to_the_full_notice():
    """A crawled page repeats the notice title, once without its issuer: the full one names plan and issuer."""
    text = ("关于印发岭应对疫情支持中小企业发展政策措施的通知 铁岭市人民政府关于印发\n铁岭市应对疫情\n支持中小企业发展政策措施的通知\n"
            "各县（市）、区人民政府：\n现将《铁岭市应对疫情支持中小企业发展政策措施》印发给你们。\n一、加大金融支持。（市金融局负责）\n")
    plan = extract_text(text)
    assert (plan.title, plan.issuer) == ("铁岭市应对疫情支持中小企业发展政策措施", "铁岭市人民政府")


def test_an_order_is_titled_by_its_issuer_and_number():
    text = ("青川县疫情防控指挥部令（第3号）\n各乡镇人民政府，县级各部门：\n"
            "一、强化排查。由乡镇（街道）牵头，对返乡人员登记造册。\n")
    p = extract_text(text, "order.txt")
    assert (p.title, p.doc_no, p.issuer) == ("青川县疫情防控指挥部令（第3号）", "第3号", "青川县疫情防控指挥部")


def test_joint_issuers_and_a_signature_that_runs_on_in_one_line():
    joint = ("青川县工业和信息化局 青川县发展和改革委员会关于加快建材行业转型的指导意见\n"
             "一、推进技改。（县工业和信息化局牵头）\n")
    assert extract_text(joint, "joint.txt").issuer == "青川县工业和信息化局、青川县发展和改革委员会"
    inline = ("青政发〔2016〕4号\n各乡镇人民政府：现将《青川县科技创新规划》印发给你们，请认真贯彻执行。"
              "青川县人民政府2016年7月28日（此件公开发布）青川县科技创新规划\n一、加强基础研究。（县科技局负责）\n")
    p = extract_text(inline, "inline.txt")
    assert (p.issuer, p.date) == ("青川县人民政府", "2016-07-28")


def test_the_signed_date_wins_over_the_date_a_site_posted_it():
    text = ("青川县促进数字经济发展的若干措施\n发文机关：青川县人民政府办公室\n发布日期：2019-01-22\n\n"
            "一、培育企业。（县经信局负责）\n\n青川县人民政府办公室 2019年１月３日印发\n")
    assert extract_text(text, "signed.txt").date == "2019-01-03"


def test_rules_numbered_in_articles_and_their_basis_in_the_first_article():
    text = ("青川县“菜篮子”考核实施细则\n第一章 总则\n"
            "第一条 根据县政府办公室《关于印发青川县“菜篮子”考核办法的通知》（青办发〔2017〕86号），结合本县实际，制定本细则。\n"
            "第二条 本细则适用于对各乡镇的考核。\n第二章 考核内容\n第三条 县农业农村局牵头，县商务局配合，于2018年6月底前完成考核。\n")
    p = extract_text(text, "rules.txt")
    assert [t.path for t in p.tasks] == ["第一章", "第一章/第一条", "第一章/第二条", "第二章", "第二章/第三条"]
    assert [r.doc_no for r in p.parents] == ["青办发〔2017〕86号"]
    third = p.tasks[-1]
    assert {(u.name, u.role) for u in third.units} == {("县农业农村局", "lead"), ("县商务局", "support")}
    assert [d.date for d in third.deadlines] == ["2018-06-30"]


def test_a_title_run_into_its_preamble_still_states_the_basis():
    text = ("青川县关爱一线医务人员的若干措施 为认真贯彻落实县应对疫情指挥部印发的《关于做好一线医务人员保障工作的通知》"
            "（青指发〔2020〕3号）精神，制定如下措施：\n一、改善工作条件。（县卫健局负责）\n")
    assert [r.doc_no for r in extract_text(text, "run-on.txt").parents] == ["青指发〔2020〕3号"]


def test_a_preamble_that_says_what_a_higher_document_demands_cites_a_parent():
    text = ("青川县规范性文件审核办法\n《中共青川县委关于全面深化改革若干问题的决定》提出，要完善审核机制。"
            "县委、县政府印发的《青川县法治政府建设实施纲要》要求落实审核制度。现就有关事项通知如下。\n"
            "一、明确审核范围。（县司法局负责）\n二、压实责任。《青川县审核工作规程》另行制定。\n")
    p = extract_text(text, "demands.txt")
    assert [r.title for r in p.parents] == ["中共青川县委关于全面深化改革若干问题的决定", "青川县法治政府建设实施纲要"]


def test_participating_units_support():
    text = "一、加快健康信息平台建设。（牵头单位：县卫生健康局，参加单位：县大数据中心、县医保局）\n"
    p = extract_text(text, "participants.txt")
    assert {(u.name, u.role) for u in p.tasks[0].units} == {
        ("县卫生健康局", "lead"), ("县大数据中心", "support"), ("县医保局", "support")}


def test_a_list_of_higher_documents_that_set_out_what_this_one_does():
    text = ("青川县行政执法三项制度的实施意见\n《中共青川县委关于依法治县的决定》和《青川县法治政府建设纲要》对全面推行三项制度"
            "作出了具体部署、提出了明确要求。现提出如下意见。\n一、推行执法公示。（县司法局负责）\n")
    assert [r.title for r in extract_text(text, "list.txt").parents] == ["中共青川县委关于依法治县的决定", "青川县法治政府建设纲要"]


def test_the_last_item_stops_at_the_closing_lines():
    from kg.extract.structure import find_items
    text = "一、深化交流合作\n组织创业大赛等活动。（省工业和信息化厅负责）\n抄送：省委各部门。\n山东省人民政府办公厅2020年12月10日印发\n"
    items = find_items(text)
    assert text[items[-1].start:items[-1].end].rstrip().endswith("（省工业和信息化厅负责）")


ROUND7_FORMATS = """桐溪县学前教育提质扩容实施方案（2024—2026年）

一、发展目标
指标名称 | 2023年基期 | 2026年目标
学前三年毛入园率（%） | 91.5 | ≥95
等级幼儿园占比（%） | 63.0 | 75
二、重点任务
第一条　扩大普惠资源。新建公办幼儿园4所。
【牵头单位】县教育局
【配合单位】县财政局、县自然资源局
第二条　提升保教质量。开展保教质量评估。
责任单位：县教育局（牵头）、县教师发展中心
第三条　规范园所管理。由县教育局会同县市场监管局、县卫生健康局负责食品安全检查。
三、职责分工
（一）县委宣传部：负责学前教育政策宣传。
（二）县财政局：落实生均公用经费保障。
"""


def test_round7_formats():
    """Formats the invented synth7 plans showed unread (boxed labels, an inline （牵头） mark, 由A会同B负责,
    unit-first duty lists, an indicator table whose base-year column is not a target)."""
    p = extract_text(ROUND7_FORMATS, "round7.txt")
    assert roles(p, "扩大普惠资源") == {("县教育局", "lead"), ("县财政局", "support"), ("县自然资源局", "support")}
    assert roles(p, "提升保教质量") == {("县教育局", "lead"), ("县教师发展中心", "responsible")}
    assert roles(p, "规范园所管理") == {("县教育局", "lead"), ("县市场监管局", "support"), ("县卫生健康局", "support")}
    assert ("县委宣传部", "responsible") in {(u.name, u.role) for t in p.tasks for u in t.units}
    assert ("县财政局", "responsible") in {(u.name, u.role) for t in p.tasks if t.number == "（二）" for u in t.units}
    goals = {(t.indicator, t.op, t.value, t.unit, t.year) for t in p.targets}
    assert {("学前三年毛入园率", ">=", 95.0, "%", 2026), ("等级幼儿园占比", "=", 75.0, "%", 2026)} <= goals
    assert not any(t.value in (91.5, 63.0) for t in p.targets)  # the base year's figures


ROUND8_FORMATS = """柘川县2025年营商环境重点任务分工方案

各乡镇人民政府，县直各有关单位：
现将方案印发给你们，请认真组织实施。

一、重点任务分工

序号    重点任务                  工作内容                                                牵头单位          责任单位                          完成时限
（一）提升政务服务效能
1       深化“一件事一次办”改革    围绕企业和个人全生命周期，新增集成服务场景8个              县行政审批局      县数据局、县人社局                2025年6月底前
2       推进联合验收              推行规划、消防、人防等事项“多验合一”，实行限时联合验收
                                  和一次性告知                                              县住建局          县自然资源局、县消防救援大队      长期坚持

二、保障措施

（一）加强统筹调度。县优化营商环境工作领导小组办公室（设在县发改局）负责统筹协调，每月10日前调度进展。
（二）强化要素保障。县人社局、县财政局按职责分工落实。新增天然气供应能力1.2亿立方米，全年执法检查企业不少于350家次。
（三）严格报送。县金融服务中心于次年1月底前报送全年工作总结。
（四）加强区域协作。会同济南、青岛、烟台市政府推进数据共享。（牵头单位：县数据局，参加单位：济南、青岛、烟台市政府）

柘川县人民政府办公室
2025年2月18日
"""


def test_round8_formats(tmp_path):
    """Formats the invented synth8 plans showed unread: a table aligned with runs of spaces (one row wrapped
    onto a second line, （一） section rows between rows), 按职责分工落实, an office 设在 another body, 次年,
    亿立方米 and 家次, places sharing one 市政府, a request to the addressees."""
    path = tmp_path / "round8.txt"
    path.write_text(ROUND8_FORMATS, encoding="utf-8")
    p = extract_file(path)
    assert roles(p, "深化“一件事一次办”改革") == {("县行政审批局", "lead"), ("县数据局", "responsible"),
                                               ("县人社局", "responsible")}
    wrapped = next(t for t in p.tasks if "推进联合验收" in t.heading)
    assert roles(p, "推进联合验收") == {("县住建局", "lead"), ("县自然资源局", "responsible"),
                                     ("县消防救援大队", "responsible")}
    assert [d.kind for d in wrapped.deadlines] == ["ongoing"]
    assert ("县优化营商环境工作领导小组办公室", "responsible") in roles(p, "加强统筹调度")
    assert roles(p, "强化要素保障") >= {("县人社局", "responsible"), ("县财政局", "responsible")}
    assert roles(p, "加强区域协作") >= {("济南市政府", "support"), ("青岛市政府", "support"), ("烟台市政府", "support")}
    report = next(t for t in p.tasks if "严格报送" in t.heading)
    assert [d.date for d in report.deadlines] == ["2026-01-31"]
    goals = {(t.indicator, t.value, t.unit) for task in p.tasks for t in task.targets}
    assert {("新增天然气供应能力", 1.2, "亿立方米"), ("全年执法检查企业", 350.0, "家次")} <= goals
    assert not any("restored" in w and "line breaks" in w for w in p.warnings)


def test_a_request_in_a_notice_is_its_addressees_duty():
    text = ("关于征求《溪山县农村供水管理办法（征求意见稿）》意见的函\n各乡镇人民政府，县直各有关单位：\n"
            "为规范农村供水管理，我局起草了征求意见稿。现印送给你们，请研究并提出书面意见，于2025年3月31日前反馈我局。\n"
            "溪山县水利局\n2025年3月1日\n")
    p = extract_text(text, "letter.txt")
    assert {(u.name, u.role) for t in p.tasks for u in t.units} >= {("各乡镇人民政府", "responsible"),
                                                                    ("县直各有关单位", "responsible")}
    assert any(d.date == "2025-03-31" for t in p.tasks for d in t.deadlines)


ROUND9_FORMATS = """栖霞县2026年安全生产专项整治方案

一、主要任务

表中责任单位列第一位的为牵头单位，其他单位按职责分工负责。

序号\t任务名称\t主要内容\t责任单位\t完成时限
1\t更新消防装备\t更新消防车辆12台\t县应急管理局 县财政局 县消防救援大队\t2026年6月底前

二、问题清单

问题1：校园周边交通秩序混乱。
整改措施：增设护栏和信号灯。
责任单位：县交通运输局牵头，县公安局交通警察大队、城关镇人民政府配合，城关派出所具体落实
整改时限：2026年9月底前

三、保障措施

（一）开展隐患排查。县安全生产委员会办公室（以下简称县安委办）负责每月组织一次排查。

（二）汇总排查结果。县安委办要按月汇总排查结果。

（三）加强宣传培训。培训网格员500人次，2026年3月9日至13日集中轮训。
"""


def test_round9_formats(tmp_path):
    """Formats the invented synth9 plans showed: a tab table whose unit cell lists bodies apart by single
    spaces, 问题1： items whose 责任单位 field has its own role clauses, a body's declared short name, duties given
    by item number in a list of their own, a range of days in one month."""
    path = tmp_path / "round9.txt"
    path.write_text(ROUND9_FORMATS, encoding="utf-8")
    p = extract_file(path)
    assert roles(p, "更新消防装备") == {("县应急管理局", "lead"), ("县财政局", "responsible"),
                                     ("县消防救援大队", "responsible")}
    assert roles(p, "校园周边交通秩序混乱") == {("县交通运输局", "lead"), ("县公安局交通警察大队", "support"),
                                           ("城关镇人民政府", "support"), ("城关派出所", "responsible")}
    assert roles(p, "开展隐患排查") == roles(p, "汇总排查结果") == {("县安全生产委员会办公室", "responsible")}
    training = next(t for t in p.tasks if "加强宣传培训" in t.heading)
    assert [(d.start_date, d.date) for d in training.deadlines] == [("2026-03-09", "2026-03-13")]


def test_duties_given_by_item_number():
    text = ("溪口镇2026年防汛工作方案\n一、重点任务\n1. 建设应急避难场所。新建避难场所3处。\n"
            "2. 开展隐患排查。汛前完成一次全面排查。\n3. 加强宣传培训。培训网格员500人次。\n"
            "二、职责分工\n（一）镇应急管理办公室：牵头第1、3项任务；参与第2项任务。\n"
            "（二）镇综合执法队：与镇应急管理办公室共同牵头第2项任务。\n（三）镇财政所：负责第1至3项任务的经费保障。\n"
            "第3项任务中涉及学校的内容，由镇中心学校负责。\n")
    p = extract_text(text, "duties.txt")
    assert roles(p, "建设应急避难场所") == {("镇应急管理办公室", "lead"), ("镇财政所", "responsible")}
    assert roles(p, "开展隐患排查") == {("镇应急管理办公室", "lead"), ("镇综合执法队", "lead"), ("镇财政所", "responsible")}
    assert roles(p, "加强宣传培训") == {("镇应急管理办公室", "lead"), ("镇财政所", "responsible"), ("镇中心学校", "responsible")}
    assert not any(t.units for t in p.tasks if "：" in t.heading)  # the duty lines give no units of their own


def test_round10_formats():
    """Formats the invented synth10 plans showed: rows of a table flattened into labelled lines after 序号：N,
    roles of a whole section in a sentence opening with 以上工作, a sector's 部门 as subject although its first
    character reads like a preposition (自然资源部门要…), and limits set by a lunar holiday."""
    text = ("青禾县冬季根治欠薪专项行动方案\n\n2025年11月20日\n\n一、整改清单\n\n序号：1\n问题清单：工程款拨付滞后。\n"
            "牵头单位：县住房和城乡建设局\n配合单位：县财政局、各乡镇（街道）\n完成时限：春节前\n\n"
            "序号：2\n问题清单：实名制管理不到位。\n牵头单位：县人力资源和社会保障局\n配合单位：/\n完成时限：2026年中秋节前\n\n"
            "二、重点任务\n（一）排查化解\n1. 全面排查在建项目。\n2. 建立欠薪台账。\n以上工作由县人力资源和社会保障局牵头，县公安局配合。\n"
            "（二）部门职责\n自然资源部门要及时办理项目用地手续。\n")
    p = extract_text(text, "round10.txt")
    assert roles(p, "工程款拨付滞后") == {("县住房和城乡建设局", "lead"), ("县财政局", "support"),
                                       ("各乡镇（街道）", "support")}
    assert roles(p, "实名制管理不到位") == {("县人力资源和社会保障局", "lead")}
    assert roles(p, "排查化解") == {("县人力资源和社会保障局", "lead"), ("县公安局", "support")}
    assert roles(p, "建立欠薪台账") == set()  # the section's roles, not its last item's
    assert roles(p, "部门职责") == {("自然资源部门", "responsible")}
    dates = {d.text: d.date for t in p.tasks for d in t.deadlines}
    assert dates["春节前"] == "2026-02-16"  # the coming Spring Festival (2026-02-17) after the plan's date
    assert dates["2026年中秋节前"] == "2026-09-24"  # 中秋 2026 is 9月25日


def test_a_limit_counted_from_the_plans_own_date():
    text = "各省、自治区、直辖市人民政府要在本意见印发之日起30日内出台具体实施办法，3个月内报送进展。"
    found = find_deadlines(text, 0, len(text), 2018, doc_date="2018-11-16")
    assert [(d.text, d.date) for d in found][0] == ("在本意见印发之日起30日内", "2018-12-16")
    assert find_deadlines(text, 0, len(text), 2018)[0].date is None  # no date of its own: the event is kept as text


def test_a_run_of_cited_titles_is_read_whole():
    """A title with no document word counts when a title next to it, before or after, has one."""
    from kg.extract.citations import find_citations

    text = ("在《内地与香港关于建立更紧密经贸关系的安排》、《内地与澳门关于建立更紧密经贸关系的安排》下放宽限制；"
            "根据《中国教育现代化2035》《加快推进教育现代化实施方案》等，制定本方案。另见《数字中国》一文。")
    assert [c.title for c in find_citations(text)] == [
        "内地与香港关于建立更紧密经贸关系的安排", "内地与澳门关于建立更紧密经贸关系的安排",
        "中国教育现代化2035", "加快推进教育现代化实施方案"]


def test_a_composite_index_is_a_target_without_unit():
    text = "到2028年，两化融合发展水平指数达到68，新建大型数据中心电能利用效率（PUE）控制在1.3以内，培育企业20家。"
    found = {(t.indicator, t.op, t.value, t.unit) for t in find_targets(text, 0, len(text), 2028)}
    assert ("两化融合发展水平指数", ">=", 68.0, None) in found
    assert ("新建大型数据中心电能利用效率（PUE）", "<=", 1.3, None) in found
    assert not any(t[0].endswith("指数") and t[3] for t in found)  # 20家 is no index's unit


def test_round10_heldout_formats():
    """Formats synth10h showed once read: duties by bracketed item number in a closing 职责分工 (第（一）（三）项,
    第（一）至（三）项, two units sharing a line), and `X为牵头单位，Y、Z为配合单位` closing an item."""
    text = ("槐安市校园安全工作方案\n二、重点任务\n（一）排查校园隐患。全面排查。\n（二）整治周边环境。集中整治。\n"
            "（三）加强宣传教育。开展宣传。\n（四）开展应急演练。每学期一次。市应急管理局为牵头单位，市教育局、市消防救援支队为配合单位。\n"
            "三、职责分工\n市教育局：牵头负责第（一）（三）项工作，配合做好第（二）项工作。\n市妇联、团市委：共同牵头第（三）项工作。\n"
            "市财政局：负责第（一）至（三）项工作的经费保障。\n")
    p = extract_text(text, "round10h.txt")
    assert roles(p, "排查校园隐患") == {("市教育局", "lead"), ("市财政局", "responsible")}
    assert roles(p, "整治周边环境") == {("市教育局", "support"), ("市财政局", "responsible")}
    assert roles(p, "加强宣传教育") == {("市教育局", "lead"), ("市妇联", "lead"), ("团市委", "lead"), ("市财政局", "responsible")}
    assert roles(p, "开展应急演练") == {("市应急管理局", "lead"), ("市教育局", "support"), ("市消防救援支队", "support")}


def test_round11_formats():
    """Formats the invented synth11 plans showed: X要会同Y对… (Y supports, the subject is read once), 镇财政所要…,
    X负责牵头…, A、B配合 with a 厂 and a 供电所, a field whose value ran into the next sentence, a place-describing
    sentence (…辖…，有…座) that holds no goals, 年中前 / 汛期前 / 截至 a past date."""
    text = ("芷溪镇2026年防汛工作方案\n"
            "一、基本情况\n全镇辖14个村、2个社区，有小型水库5座、河道堤防12.6公里。\n"
            "截至2025年底，全镇已建成村级物资储备点12个。\n"
            "二、重点任务\n"
            "（一）加强物资储备。镇应急办负责镇级物资储备，年中前储备编织袋不少于2万条、冲锋舟2艘；镇财政所要保障采购资金及时到位。\n"
            "（二）保障供水供电。镇农业综合服务中心负责水源调度，芷溪镇自来水厂、国网芷溪供电所配合。\n"
            "（三）强化督促检查。镇党政办要会同镇应急办对各村（社区）防汛准备工作进行督查，汛期前完成一轮检查。\n"
            "（四）建立工作台账。镇纪委负责牵头建立任务落实台账。\n"
            "（五）规范执法行为。对轻微违法行为先提醒、后纠正。\n责任单位：各行政执法部门 本方案自印发之日起施行，有效期至2026年12月31日。\n"
            "\n芷溪镇人民政府\n2026年3月1日\n")
    p = extract_text(text, "round11.txt")
    assert roles(p, "加强物资储备") == {("镇应急办", "responsible"), ("镇财政所", "responsible")}
    assert roles(p, "保障供水供电") == {("镇农业综合服务中心", "responsible"), ("芷溪镇自来水厂", "support"),
                                  ("国网芷溪供电所", "support")}
    assert roles(p, "强化督促检查") == {("镇党政办", "lead"), ("镇应急办", "support")}
    assert roles(p, "建立工作台账") == {("镇纪委", "lead")}
    assert roles(p, "规范执法行为") == {("各行政执法部门", "responsible")}
    reserve = next(t for t in p.tasks if "加强物资储备" in t.heading)
    assert [(d.text, d.date) for d in reserve.deadlines] == [("年中前", f"{reserve.deadlines[0].date[:4]}-06-30")]
    assert {(x.value, x.unit) for x in reserve.targets} >= {(2.0, "万条"), (2.0, "艘")}
    check = next(t for t in p.tasks if "强化督促检查" in t.heading)
    assert [(d.text, d.date, d.kind) for d in check.deadlines] == [("汛期前", None, "by")]
    described = [x for t in p.tasks for x in t.targets if x.unit in ("座", "公里", "个")] + \
        [x for x in p.targets if x.unit in ("座", "公里", "个")]
    assert not described, described  # the 基本情况 figures are what is there, not goals
    assert not any("2025" in (d.date or "") for t in p.tasks for d in t.deadlines)  # 截至2025年底: a count's date


def test_tab_table_row_continued_without_its_empty_cells():
    """A tab table's continuation row whose empty first cells were lost with its indent (synth11h, post-look): its
    cells fill the last columns and add to the row above; the rows after it are still read."""
    text = ("附件\n重点任务分工表\n序号\t重点任务\t责任领导\t牵头单位\t责任单位\t完成时限\n"
            "1\t丰富文旅产品供给\t副市长 甲\t市文化和旅游局\t市发展和改革委员会\t2026年第三季度前\n"
            "\t\t\t风景名胜区管理委员会\t市文化和旅游局\t2026年至2028年\n"
            "2\t打造夜间消费集聚区\t副市长 乙\t市商务局\t市城市管理局\t2026年9月30日前\n")
    p = extract_text(text, "tab_table.txt")
    assert {("风景名胜区管理委员会", "lead"), ("市文化和旅游局", "lead")} <= roles(p, "丰富文旅产品供给")
    assert roles(p, "打造夜间消费集聚区") == {("市商务局", "lead"), ("市城市管理局", "responsible")}
