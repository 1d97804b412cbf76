"""Quantitative targets: indicator, comparison, value, unit and year.

`PM10平均浓度不高于91微克/立方米` → (PM10平均浓度, <=, 91, 微克/立方米);
`优良天数达到241天以上` → >=; `控制在29微克每立方米以下` → <=;
`比2015年下降22%以上` → (…下降比例, >=, 22, %); `新增污水处理规模11万立方米/日` → =;
`推动全省100家企业实施…` and `专精特新“小巨人”企业1000家左右，` → counts. Conditions, aid and past
figures (现有…, 2015年…达…) are dropped.
"""
from __future__ import annotations

import re

import cn2an

from kg.extract.units import sentence_start
from kg.model import Target

HAN_UNITS = ("万亿元|亿千瓦时|亿千瓦|亿吨|亿人次|亿人|亿户|个月|个基点|个工作日|工作日|基点|万个|万家|万人次|人次|人年|万件|万名|微克/立方米|微克每立方米|毫克/立方米|"
             "毫克每立方米|个百分点|百分点|万立方米/日|万吨/日|立方米/日|吨/日|亿立方米|万立方米|立方米|蒸吨/小时|蒸吨/时|万千瓦时|万千瓦|千瓦|兆瓦|"
             "万吨标准煤|吨标准煤|万吨|吨|万辆|辆次|辆|万台|台|万亩|亩|公顷|万平方米|平方米|平方公里|公里|千米|米|万人|人|万户|户|"
             "家次|家|个|座|处|万条|条|所|套|项|批次|批|件|名|场次|万场|场|公斤|万只|只|张|把|种|位|艘|盏|部(?![门署分委长级属])|天|小时|分贝|万元|亿元|元|亿美元|万美元|美元|列|倍|亿")  # 用户数超过5.6亿
UNITS = (HAN_UNITS + "|%|％|‰"
         # a Latin unit (EFLOPS, PFlops, EB, M, Gbps) ends where Latin ends, before 以上 or punctuation, not
         # before a Han character: 5G基站 is a thing, not 5 G
         r"|[A-Za-z]{1,8}(?:/[A-Za-z]{1,4})?(?![A-Za-z0-9])(?=以上|以下|以内|左右|及|[^\u4e00-\u9fff]|$)")
# a value, or a span of values (2-3个, 60%—70%): the span's lower end is the target, at least
NUM = r"(?P<value>\d+(?:\.\d+)?)(?P<upper>\s*[%％]?\s*[-—–~～至到]\s*\d+(?:\.\d+)?)?"
OPS_BEFORE = [  # phrase before the number → op
    ("压缩至", "<="), ("压缩到", "<="), ("缩短至", "<="), ("缩短到", "<="), ("缩小至", "<="), ("缩小到", "<="), ("保持在", ">="), ("保持", ">="), ("稳定在", ">="),
    ("不得高于", "<="), ("不得超过", "<="), ("不得低于", ">="), ("不得少于", ">="), ("不高于", "<="), ("不超过", "<="), ("不大于", "<="), ("控制在", "<="), ("降至", "<="), ("降到", "<="),
    ("下降到", "<="), ("进入前", "<="), ("低于", "<"), ("突破", ">"), ("优于", "<"), ("小于", "<"), ("少于", "<"),
    ("不低于", ">="), ("不少于", ">="), ("达到", ">="), ("达", ">="), ("提高到", ">="), ("提升到", ">="),
    ("提高至", ">="), ("提升至", ">="), ("增加到", ">="), ("高于", ">"), ("超过", ">"), ("超", ">"), ("大于", ">"),
    ("下降", ">="), ("下浮", ">="), ("再降", ">="), ("减少", ">="), ("削减", ">="), ("降低", ">="), ("提高", ">="), ("增长", ">="),
    ("为", "="),
]
_OPS = "|".join(sorted((o for o, _ in OPS_BEFORE), key=len, reverse=True))
OP_OF = dict(OPS_BEFORE)
AFTER = r"(?P<after>以上|以下|以内|左右|及以上|及以下)?"
# `不低于91微克/立方米`, or a share: `不低于车辆日通行量的15%`
_OP_FIRST = "".join(sorted({o[0] for o, _ in OPS_BEFORE}))  # (?=[…]): fail fast
TARGET_RX = re.compile(
    rf"(?=[{_OP_FIRST}])(?P<op>{_OPS})\s*(?:(?P<base>[\u4e00-\u9fff]{{2,14}})的|每[十百千万]?[人户家名])?{NUM}\s*(?P<unit>{UNITS}){AFTER}")
# no comparison word: `新增污水处理规模11万立方米/日`, `完成新造林300亩以上`, `累计创建绿色工厂1家`,
# `力争建成并开通5G基站10万个`, `新培育技术经纪人1000人`
GOAL_VERB = "累计|新增|完成|新建|建成|创建|淘汰|开通|新培育|培育|引进|揭榜|形成"
AMOUNT_RX = re.compile(rf"(?P<ind>(?:{GOAL_VERB})(?:[\u4e00-\u9fffA-Za-z“”+]|\d+[A-Za-z]){{2,16}}?|[\u4e00-\u9fff]{{2,16}}?(?:规模|能力|面积|可用性|总量))"
                       rf"(?<![\dA-Za-z.]){NUM}\s*(?P<unit>{UNITS}){AFTER}")
AMOUNT_AT = re.compile(rf"(?<![\dA-Za-z.“]){NUM}\s*(?:{UNITS})")
AMOUNT_WORDS = re.compile(rf"(?:(?:{GOAL_VERB})(?:[\u4e00-\u9fffA-Za-z“”+]|\d+[A-Za-z]){{2,16}}?|[\u4e00-\u9fff]{{2,16}}?"
                          r"(?:规模|能力|面积|可用性|总量))$")
# the further items of an amount list: `建成海外科技企业孵化器8家、海外企业研发机构50家`
NEXT_AMOUNT = re.compile(rf"[、和及]\s*(?P<ind>[\u4e00-\u9fffA-Za-z“”+]{{2,16}}?){NUM}\s*(?P<unit>{UNITS}){AFTER}")
# a count of things to build, before the things: `建设50所高水平高等职业学校`, `培育10个左右工业互联网产业园区`,
# `推动全省100家企业实施…`; with no such verb only an approximate or minimum count (`在10个以上领域实现…`):
# a bare count (`26个指标为国家监测指标`, `8个改革试验区域`) describes more often than it sets a goal
COUNT_UNITS = "万个|万家|万名|万人|万户|万套|个|家|所|项|座|条|批|处|只|支|名|位|件|场|种|台|户|人|套|列"
COUNT_UNIT_SET = frozenset(COUNT_UNITS.split("|"))
COUNT_VERB = ("建设|建成|打造|培育|推出|创建|形成|开展|新建|认定|遴选|优选|布局|发展|引进|招引|实施|建立|组建|扶持|落地|开发|选择|"
              "选取|揭榜|推动|引导|带动|支持|面向|发布|推广|联通|覆盖|服务|举办|组织|制定|修订|攻克|突破|储备|争创|新增|"
              "配备|配置|完成")
# (matched from the number; the verb is looked for just before it: an optional leading group tried every position)
# a count in Chinese numerals of ten or more (开展百项, 支持千家企业, 建设二十个): one, two, three are as often
# descriptive (两个市场) as goals, and 数百/上千 are not values
CN_COUNT = r"(?<![第数上几一二两三四五六七八九十百千万“\"每])(?P<cn>[一二两三四五六七八九]?[十百千万][一二三四五六七八九十百千万]{0,3})(?!万户)"
COUNT_RX = re.compile(rf"(?:(?<![第\d.]){NUM}|{CN_COUNT})\s*(?P<unit>{COUNT_UNITS})"
                      r"(?!月|工作日|小时|百分点|基点|以内|以下)(?P<after>左右|以上|及以上)?的?(?!左右|以上)(?P<thing>[^，,。；;：:\n\t|｜]{2,40})")
# an amount that closes its clause, the thing measured before it: `专精特新“小巨人”企业1000家左右，`,
# `新增国家、省级高层次人才2400人；`, `每年推广应用工业机器人8000台以上，`, `医用N95日产量100万个、`. Only Han
# units: a closing share (`其中前两年100%`) is an aid rate or a weight, a closing `5G、` a technology
# (found from the amount, then read backwards: a pattern that starts anywhere tried every position)
CLOSING_AMOUNT = re.compile(rf"(?<![\dA-Za-z.]){NUM}\s*(?!天|小时|个月|个工作日|工作日)(?P<unit>{HAN_UNITS})"
                            r"(?P<after>以上|左右)?(?=[，,。；;、）)（(]|$)")
MEASURED_CHARS = re.compile(r"[\u4e00-\u9fff“”+、（）()A-Za-z]")
# what opens or closes a closing amount's clause but is not the thing measured
CLOSING_HEAD = re.compile(r"^(?:其中|力争|确保|争取|努力|到\d{4}年|\d{4}年|每年|全年|年均|累计|共|总计|合计|达到|实现)+")
CLOSING_TAIL = re.compile(r"(?:扩大至|扩大到|提高到|提高至|达到|实现|每年|力争|约|共|累计)+$")
# support measures are not goals: 最高不超过500万元, 按不超过实际投入的30%, 补助, 贴息
VERB_BEFORE = re.compile(rf"(?:{COUNT_VERB})[\u4e00-\u9fff“”]{{0,6}}$")
NOT_A_GOAL = re.compile(r"最高|最长|最多|补助|奖补|补贴|奖励|贴息|额度|按不超过|给予|资助|减免|免收|免征|缓缴|返还|顺延|[《》]|\d+条(?:政策)?措施"
                        r"|^(?:对|凡|且|申报|如|若|每家|每户|每人|每笔|单个|单户|单家|单笔|单项)"  # conditions, per-beneficiary caps
                        r"|每(?:降低|提高|增加|减少|超过|下降)[\d.]+")  # a scoring step: 每降低1个百分点扣1分
# a clause that tells what exists, not what is to be reached: `全区现有10蒸吨以下燃煤锅炉940台`, `仅金华市就新增315台`
# a sentence that describes a place (全镇辖14个村、2个社区，有小型水库5座…): its figures are what is there, not goals
DESCRIBES = re.compile(r"\s*[\u4e00-\u9fff]{1,12}?辖(?![区内])")
HISTORY = re.compile(r"现有|目前|已有|已经|已达|已建成|已完成|已实现|共有|共\d|(?<![拥具])有\d+(?![\d.]*[A-Za-z])|仅.{1,8}就|截至|截止|以来|去年|当前")
NEXT_VALUE = re.compile(r"[、和及]\s*(?P<value>\d+(?:\.\d+)?)\s*(?:[%％]|[\u4e00-\u9fff]{1,3}?)(?:以内|以上|以下|左右)?(?=[、和及，,。；;\s])")
CHANGE_OPS = ("下浮", "再降", "下降", "减少", "削减", "降低", "提高", "增长")
# the cuts of an indicator list (A、B和C分别达到…): not the 及 of 普及, 涉及, 惠及
LIST_CUT = re.compile(r"、|和|(?<![普涉危波惠顾以])及")
DOWN_OPS = ("下浮", "再降", "下降", "减少", "削减", "降低")
CHANGED_THING = re.compile(r"(?:降低|下降|减少|削减|压减|提高|提升|增长|增加)[\u4e00-\u9fff]{2,8}$")
LEFT_STOP = re.compile(r"[。；;，,：:\n、]")
STRONG_STOP = re.compile(r"[。；;，,：:\n]")
REGION_HEAD = re.compile(r"^(?:(?:19|20)\d{2}年(?:底|末)?)?(?:全区|全市|全县|全州|全省|全国|全镇|全乡|我区|我市|我县|我州|我镇|辖区|各县市区?|)\s*")
YEAR_RX = re.compile(r"(?:(?:到|至|于)\s*)?((?:19|20)\d{2})年")
BASE_YEAR = re.compile(r"(?:比|较)((?:19|20)\d{2})年")
BASE = re.compile(r"(?:比|较)(?:(?:19|20)\d{2}年|上年|去年|上一年)(?:同期|底|末)?")  # 较2019年 / 比上年同期: a base, not the indicator
BASE_BEFORE = re.compile(BASE.pattern + "$")
YEAR_LIST = re.compile(r"(?P<ind>.*?)(?P<years>(?:(?:19|20)\d{2}年[、和及]?){2,})$")


def _unit(u: str) -> str:
    return u.replace("每立方米", "/立方米").replace("％", "%").replace("个基点", "基点")


def _plain_op(m) -> str:
    """The comparison of a value stated without a comparison word: 以上/以下/以内 after it, a span
    (2-3个: at least the lower end), else exact (左右 too)."""
    after = m.group("after") or ""
    if after in ("以上", "及以上") or (m.group("upper") and after != "左右"):
        return ">="
    return "<=" if after in ("以下", "以内", "及以下") else "="


def find_targets(text: str, start: int, end: int, year_hint: int | None, issued: int | None = None) -> list[Target]:
    """Targets in text[start:end]; `year_hint` is the year of the context, `issued` the year the plan was issued
    (a value the text ties to an earlier year is a past figure: `2015年，…经费支出达14220亿元`)."""
    out = []
    for m in TARGET_RX.finditer(text, start, end):
        out += _comparison(text, m, start, year_hint)
    for m in COUNT_RX.finditer(text, start, end):
        verb = VERB_BEFORE.search(text, max(start, m.start() - 10), m.start())
        if (verb or m.group("after")) and not any(t.start <= m.start() < t.end for t in out):
            out += _counts(text, m, start, end, year_hint, verb.start() if verb else m.start())
        elif (sub := COUNT_SUBJECT.match(m.group("thing"))) and (m.start() == start or text[m.start() - 1] in CLAUSE_OPEN) \
                and not any(t.start <= m.start() < t.end for t in out) and (value := _count_value(m)) is not None:
            # `3~5家企业进入全球…第一梯队`: a count opening its clause, the goal in the verb after the thing counted
            ind_end = m.start("thing") + sub.end()
            out.append(Target(f"{sub.group('goal')}的{sub.group('thing')}", _plain_op(m), value, m.group("unit"),
                              _year(text, m.start(), m.start(), start, year_hint), text[m.start():ind_end],
                              m.start(), ind_end))
    prev = start
    for at in AMOUNT_AT.finditer(text, start, end):  # found from the amount, its words read backwards
        words = AMOUNT_WORDS.search(text, max(prev, at.start() - 40), at.start()) if at.start() >= prev else None
        m = AMOUNT_RX.match(text, words.start(), end) if words else None
        if not m:
            continue
        prev = m.end()
        if any(t.start <= m.start() < t.end or m.start() <= t.start < m.end() for t in out):
            continue
        while m and text[m.end():m.end() + 1] != "的" and not (m.group("after") or "").startswith("及"):
            out.append(Target(m.group("ind"), _plain_op(m), float(m.group("value")), _unit(m.group("unit")),
                              _year(text, m.start(), m.start(), start, year_hint), m.group(0), m.start(), m.end()))
            m = NEXT_AMOUNT.match(text, m.end(), end)
    prev_end = start  # an amount's words start after the amount before it (1000万元、5000万元)
    for m in CLOSING_AMOUNT.finditer(text, start, end):
        ind_start, prev_end = _measured_start(text, m.start(), prev_end), m.end()
        if any(t.start <= m.start("value") < t.end for t in out):
            continue
        indicator = _closing_indicator(text[ind_start:m.start()])
        if indicator:
            # `降低综合费率0.5个百分点`: a change the verb before the thing names, by at least the amount
            op = ">=" if CHANGED_THING.search(indicator) and _plain_op(m) == "=" \
                and _unit(m.group("unit")) in ("%", "百分点", "个百分点", "基点") else _plain_op(m)
            out.append(Target(indicator, op, float(m.group("value")), _unit(m.group("unit")),
                              _year(text, ind_start, ind_start, start, year_hint), text[ind_start:m.end()],
                              ind_start, m.end()))
    for m in WORD_SHARE.finditer(text, start, end):
        base = BASE_BEFORE.search(text, max(start, m.start() - 12), m.start())  # 比2015年翻一番: measured before the base
        ind_end = base.start() if base else m.start()
        ind_start = _measured_start(text, ind_end, start)
        indicator = _closing_indicator(text[ind_start:ind_end])
        if indicator and not any(t.start <= m.start() < t.end for t in out):
            op = ">" if m.group("op") == "超过" else ">=" if m.group("op") or m.group("after") or m.group("double") else "="
            out.append(Target(indicator + ("增长" if m.group("double") else ""), op, SHARE_OF[m.group("share") or m.group("times")], "%",
                              _year(text, ind_start, ind_start, start, year_hint), text[ind_start:m.end()],
                              ind_start, m.end()))
    for m in INDEX_RX.finditer(text, start, end):  # a composite index has no unit: 发展水平指数达到68, PUE控制在1.3以内
        ind_start = _measured_start(text, m.start("op"), start)
        indicator = _closing_indicator(text[ind_start:m.start("op")])
        if indicator and indicator.count("（") > indicator.count("）"):
            indicator += "）"  # （PUE）控制在…: the bracket closes the name
        if indicator and INDEX_WORD.search(indicator) and not any(t.start <= m.start("value") < t.end for t in out):
            op = OP_OF[m.group("op")] if not m.group("after") else _plain_op(m)
            out.append(Target(indicator, op, float(m.group("value")), None,
                              _year(text, ind_start, ind_start, start, year_hint), text[ind_start:m.end()], ind_start, m.end()))
    out = [t for t in out if not NOT_A_GOAL.search(clause := _clause(text, t.start, t.end, start, end))
           and not HISTORY.search(clause) and not _past(text, t, start, issued)
           and not DESCRIBES.match(text, sentence_start(text, t.start, start))]
    out.sort(key=lambda t: t.start)
    return out


# an index's value: a comparison word, a bare number and no unit after it (…指数达到68，)
INDEX_RX = re.compile(rf"(?P<op>{_OPS})\s*{NUM}{AFTER}(?![\d.%％‰A-Za-z\u4e00-\u9fff])")
INDEX_WORD = re.compile(r"指数|系数|PUE")
AT_LEAST = re.compile(r"至少|不少于|不低于")
# a count that opens its clause (`，3~5家企业进入…`): the thing counted, then the goal it reaches
CLAUSE_OPEN = "，,。；;：:\n"
COUNT_SUBJECT = re.compile(r"(?P<thing>[\u4e00-\u9fff]{1,8}?)(?P<goal>(?:进入|成为|入选|跻身|迈入|获评|通过)[^，,。；;]{2,30})")
COUNTED_AFTER = re.compile(rf"(?:{COUNT_VERB}|{GOAL_VERB})$")
HAN_NEXT = re.compile(r"的?[\u4e00-\u9fff“\"]")
# a share in words: `实践性教学课时原则上占总课时一半以上`, `超过一半`, `专利申请量比2015年翻一番` (+100%)
SHARE_OF = {"一半": 50.0, "一番": 100.0, "两番": 300.0}
WORD_SHARE = re.compile(r"(?P<op>超过|达到)?(?:(?P<share>一半)(?P<after>以上)?|(?P<double>翻)(?P<times>一番|两番))")
# the further items of a count list: `建设100家智慧农业应用基地、16家以上智能牧场`
NEXT_COUNT = re.compile(rf"[、和及]\s*{NUM}\s*(?P<unit>{COUNT_UNITS})"
                        r"(?P<after>左右|以上|及以上)?(?P<thing>[^，,。；;：:、\n\t|｜]{2,40})")


def _measured_start(text: str, pos: int, floor: int, most: int = 30) -> int:
    """Where the words before a clause-closing amount start (at most `most` characters back); digits count
    only inside a Latin token (医用N95日产量), a number of their own ends the words."""
    i, lo = pos, max(floor, pos - most)
    while i > lo:
        if text[i - 1].isdigit() or text[i - 1] == ".":
            j = i - 1
            while j > lo and (text[j - 1].isdigit() or text[j - 1] == "."):
                j -= 1
            if j > lo and text[j - 1].isascii() and text[j - 1].isalpha():
                i = j
                continue
            break
        if not MEASURED_CHARS.match(text, i - 1):
            break
        i -= 1
    return i


def _closing_indicator(ind: str) -> str | None:
    """The thing a clause-closing amount measures: the clause before it, less openers; None when
    nothing measurable is left (a bare verb, a date)."""
    ind = REGION_HEAD.sub("", CLOSING_HEAD.sub("", ind.strip("、（）()"))).strip("、（）()")
    ind = CLOSING_TAIL.sub("", ind)
    if len(ind) < 2 or re.search(r"(?:为|是|有)$|期限|有效期|施行期", ind):
        return None
    return ind


def _counts(text, m, start, end, year_hint, opens: int) -> list[Target]:
    """A count and the further items of its list; `opens` is where its verb (or the number) starts."""
    out, year = [], _year(text, opens, opens, start, year_hint)
    while m:
        own = re.split(r"[、和及](?=\d)", m.group("thing"))[0]  # 50所A和150个B: A here, B is the next item
        thing = own.split("的")[-1]
        if "、" in thing and "等" in thing:  # 10个左右A、B等数字产业集群 (not the 等 of 高等)
            thing = thing.rsplit("等", 1)[-1]
        quoted = thing.startswith("“")  # 20个“5G+工业互联网”应用示范场景
        thing = thing.split("、")[0].strip("“”")
        if len(thing) < 2 or (re.match(r"[\d.]*[%％]|\d+(?![\d.]*[A-Za-z])", thing) and not quoted):  # 5G基站 is a thing
            break
        if re.search(r"(?:任务|工作)$", thing) and not m.group("after"):
            break  # 完成10个行业超标企业清理整治任务: the number scopes a task (完成1个以上…任务 sets a floor)
        value = _count_value(m)
        if value is None:
            break
        op = ">=" if AT_LEAST.search(text, max(opens - 3, 0), m.start()) else _plain_op(m)  # 至少配备1名
        value_end = m.start("thing") + len(own.split("、")[0])
        out.append(Target(thing, op, value, m.group("unit"), year,
                          text[opens:value_end], opens, value_end))
        m = NEXT_COUNT.match(text, value_end, end)
        opens = m.start() if m else opens
    return out


def _count_value(m) -> float | None:
    if cn := m.groupdict().get("cn"):
        try:  # 百项 is 一百项 (cn2an wants the leading 一)
            return float(cn2an.cn2an(("一" + cn if cn[0] in "百千万" else cn).replace("两", "二"), "strict"))
        except ValueError:  # 千百 and the like: not a number
            return None
    return float(m.group("value"))


def _past(text: str, t: Target, floor: int, issued: int | None) -> bool:
    """Whether the sentence of a target ties it only to years before the plan was issued (a past figure)."""
    sentence_start = max(text.rfind("。", floor, t.start) + 1, text.rfind("\n", floor, t.start) + 1, floor)
    years = [int(y.group(1)) for y in YEAR_RX.finditer(text, sentence_start, t.end)
             if text[max(y.start() - 1, 0):y.start()] not in ("比", "较")]
    return bool(issued and years and max(years) < issued)


def _clause(text: str, s: int, e: int, floor: int, ceil: int) -> str:
    """The clause around a target (between ，。； marks), to judge whether it is a goal at all."""
    left = max(text.rfind(c, floor, s) for c in "，。；;,\n") + 1
    right = min([i for i in (text.find(c, e, ceil) for c in "，。；;,\n") if i >= 0] or [ceil])
    return text[max(left, floor):right]


def _year(text: str, clause_start: int, pos: int, floor: int, year_hint: int | None) -> int | None:
    """The year a target is for: one named in its clause (not a 比2015年 base year), else the
    year that opens its sentence or its paragraph, else the context year."""
    clause = text[clause_start:pos]
    base = BASE_YEAR.search(clause)
    years = [int(y) for y in YEAR_RX.findall(clause) if not (base and y == base.group(1))]
    if years:
        return years[0]
    sentence_start = max(text.rfind("。", floor, clause_start) + 1, text.rfind("\n", floor, clause_start) + 1, floor)
    lead_year = YEAR_RX.match(text, sentence_start)
    if lead_year:
        return int(lead_year.group(1))
    near = [y for y in YEAR_RX.finditer(text, sentence_start, pos) if text[y.start() - 1:y.start()] not in ("比", "较")]
    if near:
        return int(near[-1].group(1))
    # `到2025年，…。全国…综合机械化率达到75%`: the year that opens the paragraph
    lead_year = YEAR_RX.match(text, max(text.rfind("\n", floor, clause_start) + 1, floor))
    return int(lead_year.group(1)) if lead_year else year_hint


MEASURE_END = re.compile(r"(?:率|额|量|数|比例|比重|浓度|指数|规模|面积|强度|时间|系数)$")


def _share_tail(names: list[str]) -> list[str]:
    """`京津冀、长三角、珠三角等区域细颗粒物浓度`, `加工贸易、服务贸易进出口额`: short items before a long last one
    share what the last adds after its own opening."""
    k = len(names[0]) if names else 0
    if len(names) < 2 or any(len(n) > 4 or MEASURE_END.search(n) for n in names[:-1]) or len(names[-1]) <= k + 1:
        return names
    tail = re.sub(r"^等", "", names[-1][k:])
    return [n + tail for n in names[:-1]] + [names[-1][:k] + tail]


def _previous_subject(text: str, stop: int, start: int) -> str:
    """What the clause before `stop` measures (全省营收年均增长10%以上 → 营收)."""
    a = stop - 1
    while a > start and not STRONG_STOP.match(text, a - 1):
        a -= 1
    m = TARGET_RX.search(text, a, max(stop - 1, a))
    subject = REGION_HEAD.sub("", text[a:m.start()]) if m else ""
    return re.sub(r"(?:要|应|力争|确保|累计|平均|年均)+$", "", subject).strip()


def _comparison(text, m, start, year_hint) -> list[Target]:
    """A target stated with a comparison word (不高于, 达到…以上, 下降…)."""
    op_word, after = m.group("op"), m.group("after") or ""
    # `35蒸吨/时及以下燃煤锅炉`: a scope, not a target
    if after.startswith("及") and re.match(r"[\u4e00-\u9fff]", text[m.end():m.end() + 1] or "。"):
        return []
    clause_end = re.search(r"[，,。；;\n]", text[m.end():m.end() + 30])
    if "的" in text[m.end():m.end() + (clause_end.start() if clause_end else 30)][:12]:
        return []  # `灰分大于32%、硫大于1%的劣质煤`: describes a thing, not a goal
    # indicator: the noun phrase left of the comparison, within the clause
    left = m.start()
    stop = left
    while stop > start and not LEFT_STOP.match(text, stop - 1):
        stop -= 1
    clause = text[stop:left]
    if "分别" in clause:  # the indicators of 分别 are a 、 list: take all of it
        while stop > start and not STRONG_STOP.match(text, stop - 1):
            stop -= 1
        clause = text[stop:left]
    base = BASE_YEAR.search(clause)
    # `支持比例上限由原50%提高至70%`: a setting changed from one value to another — the new value, exactly
    changed = re.search(r"由(?:原来?的?)?[^，,。；;]{0,12}?\d+(?:\.\d+)?\s*(?:[%％]|[\u4e00-\u9fff]{1,3})?$", clause) \
        if op_word in ("提高至", "提高到", "提升至", "提升到", "增加到", "降至", "降到", "下降到", "压缩至", "压缩到") else None
    if changed:
        clause = clause[:changed.start()]
    indicator = BASE.sub("", clause)
    indicator = REGION_HEAD.sub("", indicator).strip()
    indicator = re.sub(r"在[^，。]{0,20}?(?:基础上|水平上|上)$", "", indicator)  # 利率在原有贷款利率水平上下浮10%
    indicator = re.sub(r"(?:要|应|须|力争|确保|基本|全部|累计|平均|年均|一般|原则上)+$", "", indicator) or indicator
    if m.group("base"):  # a share of something: X不低于Y的15% → X占Y比例
        indicator = f"{indicator}占{m.group('base')}比例"
    elif op_word in CHANGE_OPS:
        indicator = (indicator + op_word + ("比例" if _unit(m.group("unit")) == "%" else "量")).strip()
    if COUNTED_AFTER.search(indicator) and m.group("unit") in COUNT_UNIT_SET and HAN_NEXT.match(text, m.end()):
        # 形成不少于100个行业数字化转型优秀案例, 在…领域选择不少于1000家企业实施…: a verb before the number
        # measures nothing, the thing after it is counted
        thing = re.match(r"的?([^，,。；;：:\n\t|｜]{2,30})", text[m.end():])
        indicator = thing.group(1) if thing else indicator
    if len(indicator) < 2 or len(indicator) > 40 or not re.search(r"[\u4e00-\u9fffA-Za-z]", indicator):
        return []
    if op_word == "为" and not re.search(r"(?:率|比例|浓度|天数|指数|强度|总量|规模|面积|数量|时间)$", indicator):
        return []
    op = "=" if changed and not after else OP_OF[op_word]
    if after in ("以下", "以内", "及以下"):
        op = "<="
    elif after in ("以上", "及以上") and op == "=":
        op = ">="
    elif after == "左右" and op_word not in DOWN_OPS and op_word != "控制在":  # 年均增长6%左右: about, not at least
        op = "="  # (下降20%左右 still falls by at least; 控制在60左右 still caps)
    elif m.group("upper") and op == "=":
        op = ">="
    year = _year(text, stop, left, start, year_hint)
    value, unit = float(m.group("value")), _unit(m.group("unit"))
    # `A、B和C分别占比达30%、20%和10%`: one target per indicator, each with its own value
    if "分别" in indicator:
        head, tail = indicator.split("分别", 1)
        names = [n + tail for n in _share_tail([n for n in LIST_CUT.split(head) if n])]
        values, pos = [(value, m.end())], m.end()
        while nxt := NEXT_VALUE.match(text, pos):
            values.append((float(nxt.group("value")), nxt.end()))
            pos = nxt.end()
        # `营收2024年、2025年分别突破2.2万亿元、2.4万亿元`: one indicator, a value per year (read before the
        # clause's leading year was cut as a heading); `营收年均增长10%，2024年、2025年分别突破…`: the
        # previous clause's subject
        by_year = YEAR_LIST.match(BASE.sub("", clause).split("分别", 1)[0])
        if by_year and len(years := YEAR_RX.findall(by_year.group("years"))) == len(values) > 1:
            name = (REGION_HEAD.sub("", by_year.group("ind")).strip() or _previous_subject(text, stop, start)) + tail
            if len(name) >= 2:
                return [Target(name, op, v, unit, int(y), text[stop:e].strip(), stop, e)
                        for y, (v, e) in zip(years, values)]
        if len(values) == len(names) > 1:
            return [Target(name, op, v, unit, year, text[stop:e].strip(), stop, e)
                    for name, (v, e) in zip(names, values)]
        indicator = head + tail
    # `A和B均达到92%以上`: one target per indicator
    names = LIST_CUT.split(indicator[:-1]) if indicator.endswith("均") else [indicator]
    return [Target(name, op, value, unit, year, text[stop:m.end()].strip(), stop, m.end())
            for name in names if len(name) >= 2]
