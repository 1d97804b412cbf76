"""Deadlines: Chinese time limits → ISO dates with a kind (by, range, recurring, ongoing, immediate).

`2019年10月底前` → by 2019-10-31; `9月底前` → year from context; `2017年2月中旬前` → by 2017-02-15;
`2017年2月25日-5月10日` / `3月14日至3月18日` → range; `到2020年` → by 2020-12-31;
`“十三五”期间` → range 2016..2020; `每月5日前` → recurring; `立行立改`, `立即` → immediate;
`长期坚持` → ongoing; `自2019年3月1日起` → ongoing from that date.
"""
from __future__ import annotations

import calendar
import datetime
import re

import cn2an

from kg.extract.festivals import HOLIDAY, eve
from kg.model import Deadline

# one date: optional year, month, optional day or part of month
DATE = (r"(?:(?P<{p}y>(?:19|20)\d{{2}})年)?(?:(?P<{p}m>1[0-2]|0?[1-9])月"
        r"(?:(?P<{p}d>[12]\d|3[01]|0?[1-9])[日号]?|(?P<{p}part>底|末|中旬|上旬|下旬|初|中))?)?")
D1, D2 = DATE.format(p="a"), DATE.format(p="b")
FIVE_YEAR = {"十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026}

CN_DIGITS = "一二三四五六七八九十两"
ISSUED = "(?:政策)?(?:印发|发布|公布|下发)之日"  # the day a plan is issued, from which it runs
ACHIEVE = "完成|完工|建成|实现|到位|取得|完善|上线"  # 10月底完善…, 6月份取得明显成效: a month with what is due then
DONE = "完成|办结|办理完毕|兑现|到位|清偿|清零|支付|拨付|审结|答复|反馈|整改|报告|上报|报送|清理|处置"
QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

PATTERNS = [
    # a validity that ends on a date: 自印发之日起施行，有效期至2025年12月31日 / 自2023年2月22日施行，有效期至… /
    # 即日起至2025年12月31日
    ("valid_until", re.compile(rf"(?:自(?:{ISSUED}|(?=\d){D1})|(?:自|从)?即日)起?暂?(?:施行|实施|执行|生效)?[，,]?\s*"
                               rf"(?:(?:有效期|执行期|施行期)(?:暂定)?为?)?(?:至|到)\s*(?=\d){D2}(?!\d)")),
    # the document's own validity: 自印发之日起施行，有效期3年 / 施行期暂定为6个月 / 自发布之日起三个月
    ("validity", re.compile(rf"自{ISSUED}起(?:施行|实施|执行|生效)?"
                            rf"(?:[，,]\s*(?:有效期|施行期|执行期)(?:暂定)?为?)?(?:(?P<vn>\d{{1,2}}|[{CN_DIGITS}]{{1,3}})(?P<vu>年|个月))?")),
    # a validity that ends with an event: 有效期至全省突发公共卫生事件Ⅰ级响应解除
    ("until_event", re.compile(r"(?:有效期|执行期限?|施行期)(?:暂定)?为?(?:至|到)[^，,。；;\n\d]{2,30}?(?:解除|结束|终止|为止)")),
    # quarters and halves: 2020年一季度, 二季度末前, 上半年
    ("quarter", re.compile(rf"(?=\d|第|[一二三四1-4]季|[上下]半年)(?:(?P<qy>(?:19|20)\d{{2}})年)?(?:第?(?P<q>[一二三四1-4])季度|(?P<half>上|下)半年)(?P<qpost>末|底)?(?P<qbefore>前|之前)?")),
    # days of one month: 2020年10月26日至30日
    ("day_range", re.compile(rf"(?<![\d年])(?=\d){D1}(?<=[日号])\s*(?:[-—–~～]|至|到)\s*(?P<dd>[12]\d|3[01]|0?[1-9])[日号](?:期间|内)?")),
    # ranges: 2017年2月25日-5月10日, 3月14日至3月18日, 2018—2020年
    ("range", re.compile(rf"(?<![\d年])(?=\d){D1}\s*(?:[-—–~～]|至|到)\s*{D2}(?!\d)(?:期间|内)?")),
    # a list of months with their year: 2020年2月份、3月份、4月份 (first to end of last; 1月、2月应缴… is a scope)
    ("month_list", re.compile(r"(?<![\d年])(?P<ly>(?:19|20)\d{2})年(?P<l1>1[0-2]|0?[1-9])月份?(?:[、和及](?:1[0-2]|0?[1-9])月份?)+")),
    # a span of months, in the document's year unless given: 3—4月, 3至5月份, 2020年7-8月
    ("months", re.compile(r"(?:(?P<my>(?:19|20)\d{2})年|(?<![\d年月]))(?P<m1>1[0-2]|0?[1-9])\s*[-—–~～至到]\s*(?P<m2>1[0-2]|0?[1-9])月份?")),
    ("five", re.compile(r"[“\"「]?(?P<plan>十[一二三四五]五)[”\"」]?(?:期间|时期|末)")),
    # a schedule: 每月5日前, 每季度末, 每年, 每5年修订1次 (not a rate such as 每人每天100元)
    ("recurring", re.compile(rf"(?<!每[人户家名])每(?:\d{{1,2}}|[{CN_DIGITS}]{{1,2}})?个?(?P<every>双月|月|季度|季|半年|年|周|旬|天|日)(?:(?P<rm>\d{{1,2}})月)?(?:(?P<rd>\d{{1,2}})[日号]|底|末|中旬)?(?:前|之前|以前)?")),
    ("holiday", HOLIDAY),  # 春节前, 2026年元旦前
    # mid-year: 年中前, 2026年年中 (not 年中央, 今年中, 一年中)
    ("midyear", re.compile(r"(?:(?P<hy>(?:19|20)\d{2})年)?(?<![\d今全一每当去明半])年中(?![央国华心期小学间])(?:前|之前|以前)?")),
    # the flood season, whose dates each place sets: 汛期前, 主汛期前, 汛前
    ("flood", re.compile(r"(?:主汛期|汛期|汛)(?:到来)?(?:前|之前)")),
    ("immediate", re.compile(r"立行立改(?:[、，,]\s*长期坚持)?|立即|即知即改|第一时间|即[到接收来报][即速][提办改审批]")),
    ("ongoing", re.compile(r"长期坚持|常态化开展|持续(?:开展|推进|推动)")),
    # a limit counted from an event: 在执法决定作出之日起20个工作日内 (the act is the event: no verb needed)
    ("after_event", re.compile(rf"(?:[在于从]|自(?!治))[^，,。；;\n\d]{{2,24}}?之日起\s*(?:\d{{1,3}}|[{CN_DIGITS}]{{1,3}})个?"
                               r"(?:工作日|日|天|小时|周|个月|年)内")),
    # from an event on: 自国务院批准设立综合保税区之日起
    ("from_event", re.compile(r"(?=[自从即])(?:自[^，,。；;\n\d]{2,24}?之日起|(?:自|从)?即日起)")),  # 自即日起: from the day it is issued
    # a time to achieve, with no date: 力争三到五年时间内, 经过5—10年左右时间, 再用五年或更长时间, 到本世纪中叶
    ("span", re.compile(rf"(?=[用利经再\d{CN_DIGITS}到])(?:(?:再?用|利用|经过)?(?<![\d{CN_DIGITS}])(?:\d{{1,2}}|[{CN_DIGITS}]{{1,3}})"
                        rf"(?:[—\-～~到至](?:\d{{1,2}}|[{CN_DIGITS}]{{1,3}}))?年(?:左右)?(?:或更长)?时间内?|到本世纪中叶)")),
    # a limit counted from now or from an event: 三年内, 2—3年内, 疫情解除后三个月内; in hours or days
    # only with the act it limits (48小时内办结), since 14天内 is mostly a scope (14天内有旅居史)
    ("within", re.compile(rf"(?=[\d{CN_DIGITS}])(?<!\d)(?:\d{{1,3}}|[{CN_DIGITS}]{{1,3}})(?:[—\-～~](?:\d{{1,3}}|[{CN_DIGITS}]{{1,3}}))?(?:个)?"
                          rf"(?:(?:年|个月|周)内|(?:小时|天|日|个?工作日)内(?=[\u4e00-\u9fff]{{0,2}}(?:{DONE})))")),
    # 年底前, 今年年底, 年内 (this year: not 三年内, 半年内)  — (?=…): fail fast
    ("yearend", re.compile(r"(?=[到至今年])(?:(?<![\d年月])(?:到|至)?(?:今年|年)(?:底|末)(?:前|之前)?"
                           r"|(?<![\d年月一二三四五六七八九十两半几数多])年内)")),
    ("fullyear", re.compile(r"(?P<fy>(?:19|20)\d{2})年(?:全年|内|度内)")),
    ("since", re.compile(rf"(?=[自从\d])(?=[自从]?\d)(?:自|从)?{D1}(?:起|开始)")),
    ("by", re.compile(rf"(?=[到至于在截次翌\d\s])(?=(?:到|至|于|在|截至|截止)?\s*(?:次年|翌年)?\d)(?:(?P<pre>到|至|于|在|截至|截止)\s*)?(?P<next>次年|翌年)?{D1}(?P<post>(?:年?(?:底|末))?(?:前|之前|以前|前后)|年?(?:底|末)(?=[，,。；;\s）)]|{ACHIEVE})|(?<=[底末])(?=[，,。；;\s）)]|{ACHIEVE})|(?<=[月])(?=(?:份)?(?:{ACHIEVE}))|(?<=\d年)(?=(?:基本|初步|全面)?(?:{ACHIEVE})))?")),
]


DIGIT = re.compile(r"\d")
NEEDS_DIGIT = {"valid_until", "day_range", "range", "month_list", "months", "fullyear", "since", "by"}
# words without one of which a pattern cannot match: a substring test skips it (most items hold none)
NEEDS_WORD = {
    "valid_until": ("至", "到"), "validity": ("之日",), "until_event": ("有效期", "执行期", "施行期"),
    "quarter": ("季", "半年"), "day_range": ("至", "到", "-", "—", "–", "~", "～"),
    "range": ("至", "到", "-", "—", "–", "~", "～"), "month_list": ("月",), "months": ("月",), "five": ("五",),
    "recurring": ("每",), "midyear": ("年中",), "flood": ("汛",), "holiday": ("春节", "元宵", "端午", "中秋", "元旦", "五一", "国庆"),
    "immediate": ("立", "即", "第一时间"), "ongoing": ("长期坚持", "常态化开展", "持续"), "after_event": ("之日起",),
    "from_event": ("自", "从", "即日"), "span": ("年", "世纪"), "within": ("内",), "yearend": ("年",),
    "fullyear": ("年",), "since": ("起", "开始"),
}


def _iso(y: int, m: int, d: int) -> str:
    return f"{y:04d}-{m:02d}-{d:02d}"


def _resolve(y, m, d, part, year_hint, end_of_period=True) -> str | None:
    """A (possibly partial) date as ISO; the end of the month/year when only those are known."""
    year = int(y) if y else year_hint
    if not year:
        return None
    if not m:
        return _iso(year, 12, 31) if end_of_period else _iso(year, 1, 1)
    month = int(m)
    last = calendar.monthrange(year, month)[1]
    if d:
        return _iso(year, month, min(int(d), last))
    return _iso(year, month, {"中旬": 15, "上旬": 10, "中": 15, "初": 1}.get(part, last if end_of_period else 1))


def _groups(m, p):
    return m.group(p + "y"), m.group(p + "m"), m.group(p + "d"), m.group(p + "part")


def find_deadlines(text: str, start: int, end: int, year_hint: int | None, doc_date: str | None = None) -> list[Deadline]:
    """Deadlines inside text[start:end]; `year_hint` supplies the year of `9月底前`, `doc_date` the
    start of `自印发之日起`."""
    found: list[Deadline] = []
    taken: list[tuple[int, int]] = []

    def free(s, e):
        return all(e <= a or s >= b for a, b in taken)

    digits = bool(DIGIT.search(text, start, end))
    part = text[start:end]
    for kind, rx in PATTERNS:
        if kind in NEEDS_DIGIT and not digits:
            continue  # most items write no number: skip the patterns that need one (~15% of extraction time)
        if kind in NEEDS_WORD and not any(w in part for w in NEEDS_WORD[kind]):
            continue
        for m in rx.finditer(text, start, end):
            s, e = m.start(), m.end()
            if e == s or not free(s, e):
                continue
            item = _interpret(kind, m, year_hint, text, doc_date)
            if item is None:
                continue
            if item.date and item.date[:4].isdigit():
                year_hint = int(item.date[:4]) if kind != "range" else year_hint
            item.start, item.end = s, e
            found.append(item)
            taken.append((s, e))
    found.sort(key=lambda f: f.start)
    for before, item in zip(found, found[1:]):  # 每年2月底前…，3月底前…: the sentence's yearly schedule goes on
        if before.kind == "recurring" and before.text.startswith("每年") and item.kind == "by" \
                and "年" not in item.text and not re.search(r"[。；;\n]", text[before.end:item.start]):
            item.kind, item.date = "recurring", None
    return found


def _after(iso: str, n: int, unit: str) -> str | None:
    """The day `n` days, weeks, months or years after the date `iso` (印发之日起30日内 → date + 30 days)."""
    try:
        day = datetime.date.fromisoformat(iso[:10])
    except ValueError:
        return None
    if unit in ("日", "天", "周"):
        return (day + datetime.timedelta(days=n * (7 if unit == "周" else 1))).isoformat()
    return (datetime.date.fromisoformat(_add_period(day.isoformat(), n, "年" if unit == "年" else "月"))
            + datetime.timedelta(days=1)).isoformat()


def _add_period(iso: str, n: int, unit: str) -> str:
    """`iso` + n years/months − 1 day: the last day of a validity period that starts on `iso`, as the
    plans themselves write it (自2023年2月22日施行，有效期至2026年2月21日)."""
    y, mo, d = int(iso[:4]), int(iso[5:7]), int(iso[8:10])
    months = n * 12 if unit == "年" else n
    y, mo = y + (mo - 1 + months) // 12, (mo - 1 + months) % 12 + 1
    day = min(d, calendar.monthrange(y, mo)[1])
    return (datetime.date(y, mo, day) - datetime.timedelta(days=1)).isoformat()


def _number(s: str) -> int:
    if s.isdigit():
        return int(s)
    return int(cn2an.cn2an(s.replace("两", "二"), "smart"))


def _interpret(kind, m, year_hint, text, doc_date=None) -> Deadline | None:
    t = m.group(0)
    if kind == "valid_until":
        ay, am, ad, ap = _groups(m, "a")
        start = _resolve(ay, am, ad, ap, year_hint, end_of_period=False) if am or ay else doc_date
        end = _resolve(*_groups(m, "b"), int(start[:4]) if start else year_hint)
        return Deadline(t, end, start, "range", 0, 0) if end else None
    if kind == "day_range":
        ay, am, ad, _ = _groups(m, "a")
        year = int(ay) if ay else year_hint
        if not (year and am and ad) or int(m.group("dd")) <= int(ad):
            return None
        start = _resolve(year, am, ad, None, year_hint)
        return Deadline(t, _resolve(year, am, m.group("dd"), None, year_hint), start, "range", 0, 0)
    if kind == "midyear":
        year = int(m.group("hy")) if m.group("hy") else year_hint
        return Deadline(t, _iso(year, 6, 30), None, "by", 0, 0) if year else None
    if kind == "flood":
        return Deadline(t, None, None, "by", 0, 0)
    if kind == "holiday":
        day = eve(m, year_hint, doc_date)
        return Deadline(t, day, None, "by", 0, 0) if day else None
    if kind == "until_event":
        return Deadline(t, None, None, "by", 0, 0)
    if kind == "from_event":
        return Deadline(t, None, None, "ongoing", 0, 0)
    if kind == "after_event":  # 自本意见印发之日起30日内: counted from the document's own date, when it has one
        n = re.search(r"(\d{1,3}|[一二三四五六七八九十两]{1,3})个?(日|天|周|个月|月|年)内$", t)
        if n and doc_date and re.search(ISSUED, t):
            count = int(n.group(1)) if n.group(1).isdigit() else cn2an.cn2an(n.group(1), "smart")
            return Deadline(t, _after(doc_date, int(count), n.group(2)), None, "by", 0, 0)
        return Deadline(t, None, None, "by", 0, 0)
    if kind == "month_list":
        year = int(m.group("ly"))
        months = [int(x) for x in re.findall(r"(\d{1,2})月", t[len(m.group("ly")) + 1:])]
        if months != sorted(months):
            return None
        last = months[-1]
        return Deadline(t, _iso(year, last, calendar.monthrange(year, last)[1]), _iso(year, months[0], 1), "range", 0, 0)
    if kind == "months":
        year = int(m.group("my")) if m.group("my") else year_hint
        if not year or int(m.group("m2")) < int(m.group("m1")):
            return None
        m1, m2 = int(m.group("m1")), int(m.group("m2"))
        return Deadline(t, _iso(year, m2, calendar.monthrange(year, m2)[1]), _iso(year, m1, 1), "range", 0, 0)
    if kind == "validity":
        if m.group("vn") and doc_date:
            return Deadline(t, _add_period(doc_date, _number(m.group("vn")), m.group("vu")), doc_date, "range", 0, 0)
        return Deadline(t, None, doc_date, "ongoing", 0, 0)
    if kind == "quarter":
        year = int(m.group("qy")) if m.group("qy") else year_hint
        if not year:
            return None
        if m.group("q"):
            q = QUARTER[m.group("q")]
            first, last = 3 * q - 2, 3 * q
        else:
            first, last = (1, 6) if m.group("half") == "上" else (7, 12)
        end = _iso(year, last, calendar.monthrange(year, last)[1])
        if m.group("qbefore") or m.group("qpost"):
            return Deadline(t, end, None, "by", 0, 0)
        return Deadline(t, end, _iso(year, first, 1), "range", 0, 0)
    if kind in ("within", "span"):
        return Deadline(t, None, None, "by", 0, 0)
    if kind == "yearend":  # 年内, 年底前 with no year: the year the plan was issued, when it is known
        year = int(doc_date[:4]) if doc_date and doc_date[:4].isdigit() else year_hint
        return Deadline(t, _iso(year, 12, 31), None, "by", 0, 0) if year else None
    if kind == "range":
        ay, am, ad, ap = _groups(m, "a")
        by, bm, bd, bp = _groups(m, "b")
        if not (am or ay) or not (bm or by) or (not ay and not by and not year_hint):
            return None
        if not am and not bm and not (ay and by):
            return None
        if ay and not am and not by and bm:  # 2018年-5月: not a range
            return None
        if not ay and not am:
            return None
        y1 = int(ay) if ay else (int(by) if by else year_hint)
        if ay and not am and by and not bm:  # 2018—2020年
            return Deadline(t, _iso(int(by), 12, 31), _iso(int(ay), 1, 1), "range", 0, 0)
        start = _resolve(str(y1), am, ad, ap, None, end_of_period=False)
        end = _resolve(by or str(y1), bm or am, bd, bp, None)
        if not start or not end or end < start:
            return None
        return Deadline(t, end, start, "range", 0, 0)
    if kind == "five":
        first = FIVE_YEAR[m.group("plan")]
        return Deadline(t, _iso(first + 4, 12, 31), _iso(first, 1, 1), "range", 0, 0)
    if kind == "recurring":
        return Deadline(t, None, None, "recurring", 0, 0)
    if kind == "immediate":
        if "长期坚持" in t:
            return Deadline(t, None, None, "ongoing", 0, 0)
        return Deadline(t, None, None, "immediate", 0, 0)
    if kind == "fullyear":
        y = int(m.group("fy"))
        return Deadline(t, _iso(y, 12, 31), _iso(y, 1, 1), "range", 0, 0)
    if kind == "ongoing":
        return Deadline(t, None, None, "ongoing", 0, 0)
    y, mo, d, part = _groups(m, "a")
    if not (y or mo):
        return None
    if kind == "since":
        start = _resolve(y, mo, d, part, year_hint, end_of_period=False)
        return Deadline(t, None, start, "ongoing", 0, 0) if start else None
    # kind "by": needs a marker of a limit (前, 底, 到…), otherwise it is just a date in the text
    pre, post = m.group("pre"), m.group("post")
    if post is None and not (pre in ("到", "至", "截至", "截止") and ((y and not mo) or d)):  # 到2020年, 延长至2月24日
        return None
    if post == "前后":
        return None
    if not y and not mo:
        return None
    if m.group("next") and not y and year_hint:  # 次年1月底前: the year after the one the plan works in
        year_hint += 1
    date = _resolve(y, mo, d, part, year_hint)
    if date and pre in ("截至", "截止") and doc_date and date < doc_date[:10]:
        return None  # 截至2025年底，全市已建成…: the date of a count before the plan, not a limit
    return Deadline(t, date, None, "by", 0, 0) if date else None
