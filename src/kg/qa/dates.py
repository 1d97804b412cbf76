"""Dates and periods named in a question, resolved against `today`.

`parse_period(question, today)` finds the first date expression and returns a `Period`:
    2019年10月底前   -> by   (None .. 2019-10-31)
    2019年10月       -> range (2019-10-01 .. 2019-10-31)
    今年9月 / 9月份   -> range in today's year
    下个月 / 本月 / 上个月, 今年 / 明年 / 去年, 本周 / 下周, 年底前, 近30天 / 未来两周 …
    2019年6月至9月 / 2019年6月1日到7月15日 -> range
    截至2019年11月1日 / 2019-11-01 -> point (used for "overdue as of")
All results are ISO strings so they compare with the graph's Deadline.date.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

CN_NUM = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
          "八": 8, "九": 9, "十": 10}


def cn_to_int(s: str) -> int | None:
    """'12' / '十二' / '二十一' / '三十' -> int."""
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if all(c in CN_NUM for c in s):
        if "十" in s:
            head, _, tail = s.partition("十")
            tens = CN_NUM[head] if head else 1
            ones = CN_NUM[tail] if tail else 0
            return tens * 10 + ones
        # 二〇一九 style
        return int("".join(str(CN_NUM[c]) for c in s))
    return None


@dataclass
class Period:
    start: str | None  # ISO inclusive; None = open (anything before end)
    end: str | None  # ISO inclusive
    text: str  # the words matched in the question
    kind: str  # by | range | point
    span: tuple[int, int] = (0, 0)

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "kind": self.kind}


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def _year_word(w: str | None, today: date) -> int | None:
    if not w:
        return None
    w = w.rstrip("年")
    rel = {"今": 0, "本": 0, "当": 0, "明": 1, "来": 1, "下一": 1, "去": -1, "上一": -1, "前": -2, "后": 2}
    if w in rel:
        return today.year + rel[w]
    n = cn_to_int(w)
    if n is None:
        return None
    if n < 100:
        n += 2000
    return n


NUM = r"[0-9０-９]{1,4}|[零〇一二两三四五六七八九十]{1,4}"
YEAR = r"(?:(?P<y>[0-9]{4}|[零〇一二三四五六七八九]{4}|今|本|当|明|来|去|前|后)年度?)"
MON = rf"(?P<m>{NUM})(?:月份?)"
DAY = rf"(?P<d>{NUM})[日号]?"
PART = r"(?P<part>底|末|初|上旬|中旬|下旬|中)?"
BEFORE = r"(?P<before>前|之前|以前|为止|截止|之内|以内|内)?"

# one date expression: [year] [month [day | part]] or year alone with 底/末
_DATE = re.compile(
    rf"(?:截至|截止到?|到|至|于|在)?{YEAR}?(?:{MON}(?:{DAY}|{PART}))?{BEFORE}"
)
_ISO = re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})(?:[-/.](?P<d>\d{1,2}))?")
_REL = [
    (re.compile(r"(这个|本|当|这)月"), 0), (re.compile(r"(下个|下一个|下)月"), 1),
    (re.compile(r"(上个|上一个|上)月"), -1),
]


def _normalize_digits(s: str) -> str:
    return s.translate(str.maketrans("０１２３４５６７８９", "0123456789"))


def _resolve(y: int, m: int | None, d: int | None, part: str | None) -> tuple[date, date] | None:
    try:
        if m is None:
            return date(y, 1, 1), date(y, 12, 31)
        if not 1 <= m <= 12:
            return None
        if d is not None:
            x = date(y, m, d)
            return x, x
        if part in ("底", "末", "下旬"):
            return (date(y, m, 21) if part == "下旬" else date(y, m, 1)), _month_end(y, m)
        if part in ("中旬", "中"):
            return date(y, m, 11), date(y, m, 20)
        if part in ("初", "上旬"):
            return date(y, m, 1), date(y, m, 10)
        return date(y, m, 1), _month_end(y, m)
    except ValueError:
        return None


def _one(text: str, today: date, default_year: int) -> list[tuple[date, date, bool, int, int, str]]:
    """All date expressions in text: (start, end, is_by, span_start, span_end, part)."""
    out = []
    for m in _ISO.finditer(text):
        y, mo = int(m.group("y")), int(m.group("m"))
        d = int(m.group("d")) if m.group("d") else None
        r = _resolve(y, mo, d, None)
        if r:
            tail = text[m.end():m.end() + 3]
            out.append((r[0], r[1], bool(re.match(r"(前|之前|以前|为止)", tail)), m.start(), m.end(), ""))
    for m in _DATE.finditer(text):
        if not (m.group("y") or m.group("m")):
            continue
        if any(s <= m.start() < e for *_x, s, e, _p in [(o[0], o[1], o[2], o[3], o[4], o[5]) for o in out]):
            continue
        y = _year_word(m.group("y"), today) if m.group("y") else default_year
        mo = cn_to_int(m.group("m")) if m.group("m") else None
        d = cn_to_int(m.group("d")) if m.group("d") else None
        part = m.group("part")
        if mo is None and not m.group("y"):
            continue
        if mo is None and y is not None:
            # 2019年底 / 年底前 handled by the part-less regex: look right after the match
            at = m.end() + (1 if text.startswith("年", m.end()) else 0)  # 2023年年底前: the year written twice
            tail = text[at:at + 2]
            if tail.startswith(("底", "末")):
                r = (date(y, 12, 1), date(y, 12, 31))
                before = bool(re.match(r"[底末](前|之前|以前)", text[at:at + 3]))
                out.append((r[0], r[1], before, m.start(), at + 1 + (1 if before else 0), "底"))
                continue
        if y is None:
            continue
        r = _resolve(y, mo, d, part)
        if r:
            out.append((r[0], r[1], bool(m.group("before")), m.start(), m.end(), part or ""))
    out.sort(key=lambda o: o[3])
    return out


_QUARTER = re.compile(r"(?:(?P<y>\d{4}|今|本|明|去)年度?)?(?:第?(?P<q>[一二三四1-4])季度|(?P<h>上|下)半年)"
                      r"(?P<part>末|底)?(?P<before>前|之前|以前|内|之内)?")


def parse_period(question: str, today: date | None = None, ref_year: int | None = None) -> Period | None:
    """`ref_year`: the year a year-less expression (年底前, 一季度, 9月底前) refers to — the named
    document's year when the question is scoped to one; else today's year."""
    today = today or date.today()
    q = _normalize_digits(question)
    ref = ref_year or today.year

    mm = _QUARTER.search(q)
    if mm:
        y = _year_word(mm.group("y") + "年", today) if mm.group("y") else ref
        if mm.group("h"):
            a, b = (1, 6) if mm.group("h") == "上" else (7, 12)
        else:
            k = cn_to_int(mm.group("q")) or int(mm.group("q"))
            a, b = 3 * k - 2, 3 * k
        start, end = date(y, a, 1), _month_end(y, b)
        if mm.group("before") and mm.group("before") not in ("内", "之内"):
            return Period(None, end.isoformat(), mm.group(0), "by", mm.span())
        return Period(start.isoformat(), end.isoformat(), mm.group(0), "range", mm.span())

    # relative: 下个月 / 本月 / 上个月 (not 12月 etc: the regexes require the word before 月)
    for rx, k in _REL:
        mm = rx.search(q)
        if mm:
            y, m = _add_months(today.year, today.month, k)
            return Period(date(y, m, 1).isoformat(), _month_end(y, m).isoformat(), mm.group(0), "range", mm.span())
    mm = re.search(r"(本|这|下|下个|这个)(周|星期|礼拜)", q)
    if mm:
        monday = today - timedelta(days=today.weekday())
        if mm.group(1).startswith("下"):
            monday += timedelta(days=7)
        return Period(monday.isoformat(), (monday + timedelta(days=6)).isoformat(), mm.group(0), "range", mm.span())
    mm = re.search(rf"(?:未来|接下来|今后|最近|近)(?P<n>{NUM})(?:个)?(?P<u>天|日|周|星期|个月|月)", q)
    if mm:
        n = cn_to_int(mm.group("n")) or 0
        u = mm.group("u")
        if u in ("天", "日"):
            end = today + timedelta(days=n)
        elif u in ("周", "星期"):
            end = today + timedelta(days=7 * n)
        else:
            y, m = _add_months(today.year, today.month, n)
            end = date(y, m, min(today.day, calendar.monthrange(y, m)[1]))
        return Period(today.isoformat(), end.isoformat(), mm.group(0), "range", mm.span())
    mm = re.search(r"(?:(今|本|明|去)年)?(?<!哪)(?<!哪一)年(底|末)(?:前|之前)?", q)  # (定的是哪年底: asks a date)
    if mm and not re.search(r"\d年年?(底|末)", q):  # 2023年年底前 names its year: _one reads it
        y = _year_word(mm.group(1) + "年", today) if mm.group(1) else ref
        before = mm.group(0).endswith("前")
        return Period(None if before else date(y, 12, 1).isoformat(), date(y, 12, 31).isoformat(),
                      mm.group(0), "by" if before else "range", mm.span())

    found = _one(q, today, ref)
    if not found:
        return None
    # ranges: A至/到/-/～/— B
    if len(found) >= 2:
        a, b = found[0], found[1]
        between = q[a[4]:b[3]]
        if not between.strip() and q[b[3]:b[3] + 1] in ("至", "到"):
            between = q[b[3]]
        if re.fullmatch(r"\s*(至|到|-|－|—|~|～|—至)\s*", between) or re.fullmatch(r"(至|到)", between.strip()):
            # B may lack a year: re-resolve with A's year
            b_start, b_end = b[0], b[1]
            if not re.search(r"\d{4}年|[今明去本]年", q[b[3]:b[4]]) and b_start.year != a[0].year:
                try:
                    b_start, b_end = b_start.replace(year=a[0].year), b_end.replace(year=a[0].year)
                except ValueError:
                    pass
            return Period(a[0].isoformat(), b_end.isoformat(), q[a[3]:b[4]], "range", (a[3], b[4]))
    s, e, before, i, j, part = found[0]
    text = q[i:j]
    if before or (part in ("底", "末") and re.search(r"(前|之前)", q[j:j + 2] or "")):
        return Period(None, e.isoformat(), text, "by", (i, j))
    if re.search(r"截至|截止|到今天|as of", text) or (s == e and re.search(r"截至|截止|逾期|超期|过期|到期没", q)):
        return Period(None, e.isoformat(), text, "point", (i, j))
    return Period(s.isoformat(), e.isoformat(), text, "range", (i, j))


def parse_date(text: str, today: date | None = None) -> date | None:
    """A single date ("2019-11-01", "2019年11月1日", "今天"): for --today and 截至 questions."""
    text = _normalize_digits(text.strip())
    today = today or date.today()
    if text in ("今天", "今日", "现在", "目前"):
        return today
    m = _ISO.fullmatch(text)
    if m and m.group("d"):
        return date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    p = parse_period(text, today)
    if p and p.end:
        return date.fromisoformat(p.end)
    return None
