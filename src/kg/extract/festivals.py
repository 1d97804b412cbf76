"""Limits set by a holiday: 春节前, 2026年元旦前, 中秋节前. Lunar holidays move every year, so their dates come
from the lunar calendar (lunardate), not from a table."""
from __future__ import annotations

import datetime
import re

from lunardate import LunarDate

LUNAR = {"春节": (1, 1), "元宵": (1, 15), "端午": (5, 5), "中秋": (8, 15)}  # (lunar month, day)
SOLAR = {"元旦": (1, 1), "五一": (5, 1), "国庆": (10, 1)}
HOLIDAY = re.compile(r"(?:(?P<fy>(?:19|20)\d{2})年)?(?P<fest>春节|元宵|端午|中秋|元旦|五一|国庆)节?(?:假期)?(?:前|之前|以前)(?!后)")


def holiday(name: str, year: int) -> datetime.date:
    """The day of holiday `name` in `year`."""
    if name in LUNAR:
        return LunarDate(year, *LUNAR[name]).to_solar_date()
    return datetime.date(year, *SOLAR[name])


def eve(m: re.Match, year_hint: int | None, doc_date: str | None) -> str | None:
    """The last day before the holiday a HOLIDAY match names: in the year it writes, else the next such
    holiday after the document's date (a winter plan's 春节前 is the coming one), else in `year_hint`."""
    name = m.group("fest")
    if m.group("fy"):
        day = holiday(name, int(m.group("fy")))
    elif doc_date and re.match(r"\d{4}-\d{2}-\d{2}", doc_date):
        issued = datetime.date.fromisoformat(doc_date[:10])
        day = holiday(name, issued.year)
        if day <= issued:
            day = holiday(name, issued.year + 1)
    elif year_hint:
        day = holiday(name, year_hint)
    else:
        return None
    return (day - datetime.timedelta(days=1)).isoformat()
