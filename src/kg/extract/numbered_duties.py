"""Duties given by item number in a list of their own, after the items (职责分工):

    （一）新区社会事务局：牵头第1、2、3、5项任务；参与第4项任务。
    （五）新区总工会：与新区卫生健康局共同牵头第8项任务。
    （九）新区财政局：负责第1至4项任务的资金保障。
    第11项任务中涉及儿童青少年近视防控的内容，由新区教育文体局负责。

Each number is the item numbered so (1. / 1、 / 表 row 1) when exactly one item carries it.
"""
from __future__ import annotations

import re

import cn2an

from kg.extract.units import RawMention, _clean_name, is_unit, split_units

NUMBERS = r"(?:[\d、，,至到和与及\-—~～]|[（(][一二三四五六七八九十]{1,3}[）)])+"  # 1、2至4 / （一）（三）至（五）
# a unit's line: `（一）X：…第1、2项…`
UNIT_LINE = re.compile(rf"^[ \t\u3000]*(?:[（(][一二三四五六七八九十]+[）)]|\d{{1,2}}[.、．])?[ \t\u3000]*"
                       rf"(?P<unit>[^：:\n]{{2,40}})[：:](?P<duties>[^\n]*第{NUMBERS}项[^\n]*)$", re.M)
DUTY = re.compile(rf"(?:与(?P<with>[^，,；;。]{{2,30}}?)共同)?(?P<verb>牵头|参与|配合|协助|负责)"
                  rf"(?:负责|做好|抓好|开展|本辖区|本地区){{0,2}}第(?P<nums>{NUMBERS})项")
# `第11项任务中涉及…的内容，由X负责`
BY_NUMBER = re.compile(rf"第(?P<nums>{NUMBERS})项[^。\n]{{0,60}}?由(?P<unit>[^，,；;。\n]{{2,30}}?)(?P<verb>牵头|负责|配合)")
ANY_NUMBERED = re.compile(rf"第{NUMBERS}项")
ROLE = {"牵头": "lead", "负责": "responsible", "参与": "support", "配合": "support", "协助": "support"}


def item_number(marker: str) -> tuple[str, int] | None:
    """(marker style, number) of an item's own marker: 3. / 3、 → ("ar", 3); （三） → ("pcn", 3); None otherwise."""
    if m := re.fullmatch(r"(\d{1,3})[.、．]?", marker or ""):
        return "ar", int(m.group(1))
    if m := re.fullmatch(r"[（(]([一二三四五六七八九十]{1,3})[）)]", marker or ""):
        return "pcn", int(cn2an.cn2an(m.group(1), "smart"))
    return None


def _numbers(written: str) -> list[tuple[str, int]]:
    """(marker style, number) of each item named: 1、2至4 → ar 1, 2, 3, 4; （一）（三）至（五） → pcn 1, 3, 4, 5."""
    out = []
    style = "pcn" if re.search(r"[（(]", written) else "ar"
    written = re.sub(r"[（(]([一二三四五六七八九十]{1,3})[）)]", lambda m: f"{cn2an.cn2an(m.group(1), 'smart')}、", written)
    for part in re.split(r"、(?![至到\-—~～])|[，,和与及]", written):
        ends = [int(x) for x in re.split(r"、?[至到\-—~～]", part.strip("、")) if x.isdigit()]
        if len(ends) == 2 and ends[0] < ends[1] <= ends[0] + 30:
            out += [(style, n) for n in range(ends[0], ends[1] + 1)]
        elif len(ends) == 1:
            out.append((style, ends[0]))
    return out


def _mentions(text: str, name: str, at: int, role: str, line: tuple[int, int]) -> list[RawMention]:
    """The units a duty line names (市妇联、团市委：共同牵头…: both), none when one of them is no unit."""
    names = split_units(name, at)
    if not names or not all(is_unit(_clean_name(raw)) for raw, _, _ in names):
        return []
    return [RawMention(_clean_name(raw), role, s, e, *line) for raw, s, e in names]


def numbered_duties(text: str, numbers: dict[tuple[str, int], str]) -> tuple[dict[str, list[RawMention]], list[tuple[int, int]]]:
    """{task id: mentions} from the duty lines that name items by number, and the spans of those lines (their
    units are the numbered items', not the line's own); `numbers` maps (marker style, number) to the one task so
    numbered."""
    out: dict[str, list[RawMention]] = {}
    read: list[tuple[int, int]] = []
    if not numbers or not ANY_NUMBERED.search(text):
        return out, read  # most plans name no item by number: one cheap search

    def give(nums: str, mentions: list[RawMention]):
        for key in _numbers(nums) if mentions else []:
            if key in numbers:
                out.setdefault(numbers[key], []).extend(mentions)
                read.extend((m.evidence_start, m.evidence_end) for m in mentions)

    for line in UNIT_LINE.finditer(text):
        span = (line.start(), line.end())
        for d in DUTY.finditer(line.group("duties")):
            base = line.start("duties")
            give(d.group("nums"), _mentions(text, line.group("unit"), line.start("unit"), ROLE[d.group("verb")], span))
            if d.group("with"):
                give(d.group("nums"), _mentions(text, d.group("with"), base + d.start("with"), ROLE[d.group("verb")], span))
    for m in BY_NUMBER.finditer(text):
        give(m.group("nums"), _mentions(text, m.group("unit"), m.start("unit"), ROLE[m.group("verb")], m.span()))
    return out, read
