"""Numbering hierarchy: 一、 / （一） / 1. / （1） / ① / 一是 / 第一阶段 / 第一章, 第一条 → nested items with spans.

Chinese plans skip and reuse levels freely, so nesting is decided by marker *style*, not depth:
a marker whose style is already open closes everything below it and becomes its sibling;
a new style opens a child level.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

CN_NUM = "一二三四五六七八九十百零〇"

# (style, regex) for markers at the start of a line; group "num" is the number as written.
LINE_MARKERS = [
    ("phase", re.compile(rf"第(?P<num>[{CN_NUM}]+)(?:阶段|部分|步)[:：、，,]?")),
    # rules and measures (办法, 细则, 若干规定) number chapters and articles: 第一章 总则 / 第一条 根据…
    ("chapter", re.compile(rf"第(?P<num>[{CN_NUM}]+)章")),
    ("article", re.compile(rf"第(?P<num>[{CN_NUM}]+)条(?=[\s\u3000　]|[\u4e00-\u9fff“《（(])")),
    ("cn", re.compile(rf"(?P<num>[{CN_NUM}]{{1,3}})[、．.](?!\d)")),
    ("pcn", re.compile(rf"[（(](?P<num>[{CN_NUM}]{{1,3}})[）)]")),
    ("ar", re.compile(r"(?P<num>\d{1,2})(?:[、．]|\.(?!\d))(?![%％])")),
    ("par", re.compile(r"[（(](?P<num>\d{1,2})[）)]")),
    ("circ", re.compile(r"(?P<num>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])")),
    ("shi", re.compile(rf"(?P<num>[{CN_NUM}]{{1,3}})是(?=[\u4e00-\u9fff“\"《（(])")),
    # a 整改 list's labelled items: 问题1：… / 任务二：…
    ("named", re.compile(rf"(?P<num>(?:问题|任务|事项)(?:\d{{1,3}}|[{CN_NUM}]{{1,3}}))[：:]")),
    # a table flattened into labelled lines, one row after another: 序号：1 / 问题清单：… / 牵头单位：…
    ("serial", re.compile(r"(?:序号|编号)[：:][ \t\u3000]*(?P<num>\d{1,3})(?=[ \t\u3000]*$)", re.M)),
]
ALONE = {"serial"}  # styles whose marker stands alone on its line (the row's fields follow on their own lines)
# 一是/二是 also start items mid-line after a sentence or clause end.
INLINE_SHI = re.compile(rf"(?<=[。；;：:])\s*(?P<num>[{CN_NUM}]{{1,3}})是(?=[\u4e00-\u9fff“\"《（(])")
# pages that lost their line breaks run 一、/（一）/1. on after a sentence end: `…落实。二、加强…`;
# 、 is sometimes replaced by ， or ．
INLINE_MARKERS = [
    ("cn", re.compile(rf"(?<=[。；;！）)])\s*(?P<num>[{CN_NUM}]{{1,3}})[、，,．.](?=[\u4e00-\u9fff])")),
    ("pcn", re.compile(rf"(?<=[。；;！）)])\s*[（(](?P<num>[{CN_NUM}]{{1,3}})[）)](?=[\u4e00-\u9fff])")),
    ("ar", re.compile(r"(?<=[。；;！）)])\s*(?P<num>\d{1,2})[、．.](?=[\u4e00-\u9fff])")),
]

LINE_PREFIX = re.compile(r"[ \t\u3000\u00a0•·\-\*]*")  # indentation and bullets before a marker
APPENDIX = re.compile(r"^\s*附\s*件\s*\d*\s*[:：]?\s*$")  # 附件 heading: numbering restarts below it


@dataclass
class Item:
    style: str
    number: str  # marker as written, e.g. （一）
    label: str  # normalised marker used in paths, e.g. （一）
    start: int  # offset of the marker
    body_start: int  # offset just after the marker
    end: int = 0  # end of the item's own text (start of the next item or section end)
    parent: "Item | None" = None
    path: str = ""


def _label(style: str, num: str) -> str:
    return {"cn": f"{num}、", "pcn": f"（{num}）", "ar": f"{num}.", "par": f"（{num}）",
            "circ": num, "shi": f"{num}是", "phase": f"第{num}阶段", "chapter": f"第{num}章", "article": f"第{num}条", "named": num,
            "serial": f"序号{num}"}[style]


def _line_marker(text: str, pos: int, line_end: int):
    """Marker at the start of the line beginning at `pos`, as (style, number, start, end)."""
    m = LINE_PREFIX.match(text, pos, line_end)
    at = m.end()
    for style, rx in LINE_MARKERS:
        mm = rx.match(text, at, line_end)
        if mm and (mm.end() < line_end or style in ALONE):  # a marker alone on a line is not an item
            return style, mm.group(0).strip(), mm.start(), mm.end(), mm.group("num")
    return None


def find_items(text: str, body_start: int = 0) -> list[Item]:
    """All numbered items after `body_start`, nested, each with its own-text span."""
    raw: list[tuple[str, str, int, int, str]] = []
    section_breaks: list[int] = []
    pos = body_start
    for line in text[body_start:].splitlines(keepends=True):
        line_end = pos + len(line.rstrip("\r\n"))
        if APPENDIX.match(line):
            section_breaks.append(pos)
        found = _line_marker(text, pos, line_end)
        if found:
            raw.append(found)
        scan_from = found[3] if found else pos
        for mm in INLINE_SHI.finditer(text, scan_from, line_end):
            raw.append(("shi", mm.group(0).strip(), mm.start("num"), mm.end(), mm.group("num")))
        for style, rx in INLINE_MARKERS:
            for mm in rx.finditer(text, scan_from, line_end):
                if _continues(raw, style, mm.group("num")):
                    start = mm.start() + len(mm.group(0)) - len(mm.group(0).lstrip())
                    raw.append((style, mm.group(0).strip(), start, mm.end(), mm.group("num")))
        pos += len(line)
    raw.sort(key=lambda r: r[2])

    items: list[Item] = []
    stack: list[Item] = []
    breaks = iter(section_breaks + [len(text) + 1])
    next_break = next(breaks)
    for style, number, start, end, num in raw:
        while start > next_break:  # an appendix starts a fresh hierarchy
            stack.clear()
            next_break = next(breaks)
        styles = [s.style for s in stack]
        if style in styles:
            del stack[styles.index(style):]
        item = Item(style, number, _label(style, num), start, end, parent=stack[-1] if stack else None)
        item.path = (item.parent.path + "/" if item.parent else "") + item.label
        stack.append(item)
        items.append(item)
    for i, item in enumerate(items):
        item.end = items[i + 1].start if i + 1 < len(items) else len(text)
    if items:  # the last item stops at the closing lines (抄送, the 印发 date line), not at the end of the page
        close = CLOSING.search(text, items[-1].start)
        if close:
            items[-1].end = close.start()
    _dedupe_paths(items)
    return items


# the lines that close a document after its last item: 抄送：…, `山东省人民政府办公厅2020年12月10日印发`
CLOSING = re.compile(r"^[ \t\u3000]*(?:抄送[：:]|[\u4e00-\u9fff（）()\s]{0,60}(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发\s*$)", re.M)

# a letter (函, 复函, 批复) is addressed in a salutation line: `浙江三方控制阀股份有限公司：`
SALUTATION = re.compile(r"^[ \t\u3000]*(?P<org>[^\s：:，,。、；;]{4,40})[：:][ \t\u3000]*$", re.M)
# what closes a letter's body: the signature's date line, 抄送, 附件
LETTER_END = re.compile(r"^[ \t\u3000]*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|抄送|附件)", re.M)
DUTY = re.compile(r"应|要|须|请|负责|配合|不得|务必")


def salutation(text: str, limit: int = 2000) -> re.Match | None:
    """The addressee line of a letter near its top, if any."""
    return SALUTATION.search(text, 0, min(len(text), limit))


def paragraph_items(text: str) -> list[Item]:
    """A document with no numbered items (a short letter or notice): each paragraph of its body that
    states a duty (应, 要, 请, 负责…) is an item ¶1, ¶2…, so its duties, units and deadlines are read."""
    head = salutation(text)
    start = head.end() if head else 0
    close = LETTER_END.search(text, start)
    end = close.start() if close else len(text)
    items, pos = [], start
    for line in text[start:end].splitlines(keepends=True):
        body = line.strip()
        if len(body) >= 15 and DUTY.search(body):
            s = pos + line.index(body[0])
            k = len(items) + 1
            items.append(Item("para", f"¶{k}", f"¶{k}", s, s, s + len(body), path=f"¶{k}"))
        pos += len(line)
    return items


def _continues(raw: list, style: str, num: str) -> bool:
    """An inline marker counts only when it continues the numbering of its style (一、 then 二、),
    so `…。3.5亿元` or a stray `。二，` inside a sentence does not start an item."""
    last = next((r[4] for r in reversed(raw) if r[0] == style), None)
    value = _value(num)
    return value is not None and (value == 1 if last is None else _value(last) is not None and value == _value(last) + 1)


def _value(num: str) -> int | None:
    try:
        return int(cn2an.cn2an(num, "smart"))
    except ValueError:
        return None


def _dedupe_paths(items: list[Item]) -> None:
    """Numbering can restart (e.g. an appendix list); keep paths unique with a ~2 suffix."""
    seen: dict[str, int] = {}
    for item in items:
        base = item.path
        if base in seen:
            seen[base] += 1
            item.path = f"{base}~{seen[base]}"
        else:
            seen[base] = 1


HEADING_END = re.compile(r"[。；;\n！!？?]")


def heading_of(text: str, start: int, end: int, limit: int = 40) -> str:
    """Short title of an item: its text up to the first sentence end (or line end)."""
    row = ROW_FIRST_FIELD.match(text, start, end)  # 序号：1 ⏎ 问题清单：… — the row's first field names it
    start = row.end() if row else start
    m = HEADING_END.search(text, start, end)
    head = text[start:m.start() if m else end].strip(" \t\u3000：:，,")
    return head[:limit]


# after a marker alone on its line: the line break and the label of a flattened row's first field (问题清单：)
ROW_FIRST_FIELD = re.compile(r"[ \t\u3000]*\n\s*(?:[\u4e00-\u9fff]{2,6}[：:](?=\S))?")
