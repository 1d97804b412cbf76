"""Duties given by item number in a list of their own, after the items (职责分工):

    （一）新区社会事务局：牵头第1、2、3、5项任务；参与第4项任务。
    （五）新区总工会：与新区卫生健康局共同牵头第8项任务。
    （九）新区财政局：负责第1至4项任务的资金保障。
    第11项任务中涉及儿童青少年近视防控的内容，由新区教育文体局负责。

Each number is the item numbered so (1. / 1、 / 表 row 1) when exactly one item carries it.
"""
from __future__ import annotations

import re

from kg.extract.units import RawMention, _clean_name, is_unit, split_units

NUMBERS = r"[\d、，,至到和与及\-—~～]+"
# a unit's line: `（一）X：…第1、2项…`
UNIT_LINE = re.compile(rf"^[ \t\u3000]*(?:[（(][一二三四五六七八九十]+[）)]|\d{{1,2}}[.、．])?[ \t\u3000]*"
                       rf"(?P<unit>[^：:\n]{{2,40}})[：:](?P<duties>[^\n]*第{NUMBERS}项[^\n]*)$", re.M)
DUTY = re.compile(rf"(?:与(?P<with>[^，,；;。]{{2,30}}?)共同)?(?P<verb>牵头|参与|配合|协助|负责)第(?P<nums>{NUMBERS})项")
# `第11项任务中涉及…的内容，由X负责`
BY_NUMBER = re.compile(rf"第(?P<nums>{NUMBERS})项[^。\n]{{0,60}}?由(?P<unit>[^，,；;。\n]{{2,30}}?)(?P<verb>牵头|负责|配合)")
ANY_NUMBERED = re.compile(rf"第{NUMBERS}项")
ROLE = {"牵头": "lead", "负责": "responsible", "参与": "support", "配合": "support", "协助": "support"}


def _numbers(written: str) -> list[int]:
    out = []
    for part in re.split(r"[、，,和与及]", written):
        ends = [int(x) for x in re.split(r"[至到\-—~～]", part) if x.isdigit()]
        if len(ends) == 2 and ends[0] < ends[1] <= ends[0] + 30:
            out += range(ends[0], ends[1] + 1)
        elif len(ends) == 1:
            out.append(ends[0])
    return out


def _mention(text: str, name: str, at: int, role: str, line: tuple[int, int]) -> RawMention | None:
    names = split_units(name, at)
    if len(names) != 1 or not is_unit(_clean_name(names[0][0])):
        return None
    raw, s, e = names[0]
    return RawMention(_clean_name(raw), role, s, e, *line)


def numbered_duties(text: str, numbers: dict[int, str]) -> tuple[dict[str, list[RawMention]], list[tuple[int, int]]]:
    """{task id: mentions} from the duty lines that name items by number, and the spans of those lines (their
    units are the numbered items', not the line's own); `numbers` maps an item number to the one task so numbered."""
    out: dict[str, list[RawMention]] = {}
    read: list[tuple[int, int]] = []
    if not numbers or not ANY_NUMBERED.search(text):
        return out, read  # most plans name no item by number: one cheap search

    def give(nums: str, mention: RawMention | None):
        for n in _numbers(nums) if mention else []:
            if n in numbers:
                out.setdefault(numbers[n], []).append(mention)
                read.append((mention.evidence_start, mention.evidence_end))

    for line in UNIT_LINE.finditer(text):
        span = (line.start(), line.end())
        for d in DUTY.finditer(line.group("duties")):
            base = line.start("duties")
            give(d.group("nums"), _mention(text, line.group("unit"), line.start("unit"), ROLE[d.group("verb")], span))
            if d.group("with"):
                give(d.group("nums"), _mention(text, d.group("with"), base + d.start("with"), ROLE[d.group("verb")], span))
    for m in BY_NUMBER.finditer(text):
        give(m.group("nums"), _mention(text, m.group("unit"), m.start("unit"), ROLE[m.group("verb")], m.span()))
    return out, read
