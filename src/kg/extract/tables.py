"""Task tables (任务分工表, 职责清单, 推广清单) as they reach us in text: one row per line with cells
separated by `|`, tabs or runs of spaces (HTML/docx tables arrive as `cell | cell`), or one cell per
line (a table whose cells were stripped to lines). Columns are mapped by their header; every row
becomes a task with its units, roles and deadline, with spans into the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.deadlines import find_deadlines
from kg.extract.targets import find_targets
from kg.extract.units import (FIELD_ROLES, LEAD_FIRST_RULE, RawMention, _clean_name, is_listed_unit,
                              others_under_lead_first, split_units)
from kg.model import Deadline, Target, Task

CELL_SPLIT = re.compile(r"\s*[|｜\t]\s*|[ \u3000]{2,}")
TASK_COLUMN = re.compile(r"任务|内容|措施|举措|事项|工作|问题|名称|要求")
TIME_COLUMN = re.compile(r"时限|时间|期限|进度|节点")
NUMBER_COLUMN = re.compile(r"^(?:序号|编号|序|号)$")
OTHER_COLUMN = re.compile(r"^(?:备注|推广范围|范围|类别|领域|目标|责任人|分管领导|牵头领导|指标|成效|形式)$")
ROW_NUMBER = re.compile(r"^\d{1,3}$")
SEPARATOR_CELL = re.compile(r"^:?-{2,}:?$|^$")


def column_role(header: str) -> str | None:
    """lead / responsible / support for a unit column (牵头单位, 责任部门, 配合单位, 指导部门…)."""
    h = re.sub(r"\s+", "", header)
    if h in FIELD_ROLES:
        return FIELD_ROLES[h]
    if re.search(r"(?:单位|部门|主体)$", h):
        return "lead" if "牵头" in h else "support" if re.search("配合|协助|参与|参加|协办", h) else "responsible"
    return None


@dataclass
class Header:
    names: list[str]
    roles: dict[int, str]  # column → role
    task_col: int
    time_col: int | None


def read_header(cells: list[str]) -> Header | None:
    """A header row names at least one unit column and one task column among 3+ cells."""
    cells = [re.sub(r"\s+", "", c) for c in cells]
    if len(cells) < 3 or any(len(c) > 12 for c in cells):
        return None
    roles = {i: r for i, c in enumerate(cells) if (r := column_role(c))}
    task_col = next((i for i, c in enumerate(cells) if i not in roles and TASK_COLUMN.search(c)), None)
    if not roles or task_col is None:
        return None
    time_col = next((i for i, c in enumerate(cells) if i not in roles and TIME_COLUMN.search(c)), None)
    return Header(cells, roles, task_col, time_col)


def table_tasks(text: str, doc_id: str, year: int | None) -> list[tuple[Task, list[RawMention]]]:
    """Every row of every task table in the text, as (task, unit mentions)."""
    lines = _lines(text)
    out: list[tuple[Task, list[RawMention]]] = []
    i, table = 0, 0
    while i < len(lines):
        header = read_header(_cells(lines[i][2]))
        if header:
            table += 1
            rows, i = _row_lines(lines, i + 1, len(header.names))
        else:
            header, width = _vertical_header(lines, i)
            if not header:
                i += 1
                continue
            table += 1
            rows, i = _vertical_rows(lines, i + width, width)
        # `表中责任单位排在第一位的为牵头单位，其他为配合单位` before the table: its 责任单位 cells follow that rule
        lead_first = bool(LEAD_FIRST_RULE.search(text, 0, rows[0][0][0])) if rows else False
        n = 0
        for row in rows:
            if out and n and _continues(row, header):  # `|  |  | 和线路配送 |  | 县自然资源局 |  |`: the row above, wrapped
                task, mentions = out[-1]
                mentions += _row_mentions(text, header, row, task.start, row[-1][1], lead_first, after_first=True)
                task.end, task.text = row[-1][1], text[task.start:row[-1][1]].strip()
                continue
            n += 1
            out.append(_row_task(text, doc_id, year, header, row, f"表{table if table > 1 else ''}", n, lead_first))
    return out


def _continues(row: list[tuple[int, int, str]], header: Header) -> bool:
    """A line of a bar or tab table whose number and task cells are empty continues the row above."""
    return not row[0][2] and (header.task_col >= len(row) or not row[header.task_col][2])


def _row_mentions(text: str, header: Header, cells, start: int, end: int, lead_first: bool,
                  after_first: bool = False) -> list[RawMention]:
    """The units of a row's role cells; under `列第一位的为牵头单位` the first of a 责任单位 cell leads (not on a
    continuation line, `after_first`)."""
    mentions = []
    for col, role in header.roles.items():
        if col < len(cells):
            s, _, cell = cells[col]
            names = [(n_, ns, ne) for n_, ns, ne in split_units(cell, s) if is_listed_unit(_clean_name(n_))]
            for i, (name, ns, ne) in enumerate(names):
                first = i == 0 and not after_first
                r = ("lead" if first else others_under_lead_first(text)) if lead_first and role == "responsible" else role
                mentions.append(RawMention(_clean_name(name), r, ns, ne, start, end))
    return mentions


# an indicator table (指标名称 | 2023年基期 | 2026年目标): one target per row, read from its goal column
INDICATOR_COLUMN = re.compile(r"^(?:主要)?指标(?:名称)?$")
INDICATOR_HEADER = re.compile(r"(?:^|\n)[ \t|｜]*(?:[^\n]*[|｜\t][ \t]*)?(?:主要)?指标(?:名称)?[ \t]*[|｜\t][^\n]*目标")
GOAL_CELL = re.compile(r"^(?P<op>[≥≤＞＜><]|不低于|不少于|不高于|不超过)?\s*(?P<value>\d+(?:\.\d+)?)\s*"
                       r"(?P<unit>%|％|‰|[\u4e00-\u9fff]{1,3})?\s*(?P<after>以上|以下|以内)?$")
UNIT_IN_NAME = re.compile(r"[（(](?P<unit>[^（）()]{1,8})[）)]$")
GOAL_OP = {"≥": ">=", "不低于": ">=", "不少于": ">=", "＞": ">", ">": ">", "≤": "<=", "不高于": "<=", "不超过": "<=",
           "＜": "<", "<": "<", "以上": ">=", "以下": "<=", "以内": "<="}


def indicator_targets(text: str) -> list[Target]:
    """Targets of indicator tables: the row's indicator (its unit in brackets, 毛入园率（%）), the value of the
    goal column (the last one naming 目标; a base-year column is a past figure) and that column's year."""
    if not INDICATOR_HEADER.search(text):
        return []  # (most plans have no such table: no pass over every line)
    lines, out, i = _lines(text), [], 0
    while i < len(lines):
        cells = [re.sub(r"\s+", "", c) for c in _cells(lines[i][2])]
        name_col = next((k for k, c in enumerate(cells) if INDICATOR_COLUMN.match(c)), None)
        goal_col = max((k for k, c in enumerate(cells) if "目标" in c and k != name_col), default=None)
        if len(cells) < 2 or name_col is None or goal_col is None:
            i += 1
            continue
        year = re.search(r"((?:19|20)\d{2})年", cells[goal_col])
        rows, i = _row_lines(lines, i + 1, len(cells))
        for row in rows:
            if max(name_col, goal_col) >= len(row):
                continue
            (s, _, name), (_, e, cell) = row[name_col], row[goal_col]
            goal = GOAL_CELL.match(cell.strip())
            if not goal or not name:
                continue
            bracket = UNIT_IN_NAME.search(name)
            unit = goal.group("unit") or (bracket.group("unit") if bracket else "")
            op = GOAL_OP.get(goal.group("op") or goal.group("after") or "", "=")
            out.append(Target(name[:bracket.start()] if bracket else name, op, float(goal.group("value")),
                              "%" if unit == "％" else unit, int(year.group(1)) if year else None, text[s:e], s, e))
    return out


def unmapped_headers(text: str) -> list[str]:
    """Lines that look like a table header (3+ short cells, a unit column) whose task column could not
    be found: the rows below them are not read, and the user should know."""
    out = []
    for start, end, body in _lines(text):
        cells = [re.sub(r"\s+", "", c) for c in _cells(body)]
        if 3 <= len(cells) <= 12 and all(len(c) <= 12 for c in cells) and any(column_role(c) for c in cells) \
                and not read_header(cells):
            out.append(f"table header at {start}–{end} not mapped (no task column): {' | '.join(cells)[:60]}")
    return out


Line = tuple[int, int, str]  # start, end, text


def _lines(text: str) -> list[Line]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


BARS = re.compile(r"[|｜\t]")  # a line with bars or tabs is a row of cells, empty ones kept in place
BAR_SPLIT = re.compile(r"[ \u3000]*[|｜\t][ \u3000]*")


def _cells(line: str) -> list[str]:
    """Cells of a row; between bars or tabs an empty cell is kept (its column stays in place)."""
    body = line.strip()
    if BARS.search(body):
        return BAR_SPLIT.split(body.strip("|｜").strip())
    return [c for c in CELL_SPLIT.split(body) if c]


def _cell_spans(line: Line, cells: list[str]) -> list[tuple[int, int, str]]:
    start, end, body = line
    out, at = [], 0
    for c in cells:
        k = body.find(c, at) if c else at
        out.append((start + k, start + k + len(c), c))
        at = k + len(c) + (0 if c else 1)
    return out


def _row_lines(lines: list[Line], i: int, width: int) -> tuple[list[list[tuple[int, int, str]]], int]:
    """Rows of a one-line-per-row table: lines that split into about as many cells as the header."""
    rows = []
    while i < len(lines):
        cells = _cells(lines[i][2])
        wrapped = _wrapped_row(lines, i, cells, width)
        if wrapped:
            rows.append(wrapped)
            i += 2
            continue
        if rows and 2 <= len(cells) < width and not ROW_NUMBER.match(cells[0]) and BARS.search(lines[i][2]):
            # `蘅山…管委会\t市文旅局\t2026年至2028年` under a row: its first cells were empty (merged with the row
            # above, their tabs lost with the line's indent): the cells fill the last columns, and the row continues
            start = lines[i][0]
            rows.append([(start, start, "")] * (width - len(cells)) + _cell_spans(lines[i], cells))
            i += 1
            continue
        if len(cells) < max(2, width - 2):
            if lines[i][2].strip() and not SECTION_ROW.match(lines[i][2].strip()):
                break  # a section line (一、…方面, （一）…) may sit between rows; anything else ends the table
            i += 1
            continue
        if not all(SEPARATOR_CELL.match(c) for c in cells):  # a Markdown `| --- | :---: |` rule is no row
            rows.append(_cell_spans(lines[i], cells))
        i += 1
    return rows, i


SECTION_ROW = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|[（(][一二三四五六七八九十]+[）)])")


def _wrapped_row(lines: list[Line], i: int, cells: list[str], width: int) -> list[tuple[int, int, str]] | None:
    """A numbered row whose long cell wrapped onto the next line (`8  推进联合验收  推行…实行限时联合验收` /
    `和一次性告知  县住建局  …  2025年6月底前`): one row, the wrapped text joined to the cell it continues."""
    if not cells or not ROW_NUMBER.match(cells[0]) or len(cells) >= max(2, width - 2) or i + 1 >= len(lines):
        return None
    rest = _cells(lines[i + 1][2])
    if not rest or ROW_NUMBER.match(rest[0]) or len(cells) + len(rest) < width:
        return None
    first, second = _cell_spans(lines[i], cells), _cell_spans(lines[i + 1], rest)
    while len(first) + len(second) > width:  # the continuation's first cell goes on the cell above it
        (s, _, a), (_, e, b) = first.pop(), second.pop(0)
        first.append((s, e, a + b))
    return first + second


def _vertical_header(lines: list[Line], i: int) -> tuple[Header | None, int]:
    """A header written one cell per line (序号 / 改革举措 / 主要内容 / 指导部门 / 推广范围)."""
    cells = []
    for start, end, body in lines[i:i + 8]:
        cell = re.sub(r"\s+", "", body)
        if not cell or len(cell) > 8 or not (column_role(cell) or TASK_COLUMN.search(cell) or TIME_COLUMN.search(cell)
                                             or NUMBER_COLUMN.match(cell) or OTHER_COLUMN.match(cell)):
            break
        cells.append(cell)
    header = read_header(cells) if len(cells) >= 3 and NUMBER_COLUMN.match(cells[0]) else None
    return header, len(cells)


def _vertical_rows(lines: list[Line], i: int, width: int) -> tuple[list[list[tuple[int, int, str]]], int]:
    """Rows of a one-cell-per-line table: a row number line, then one line per further column."""
    rows = []
    while i < len(lines):
        body = lines[i][2].strip()
        if ROW_NUMBER.match(body) and i + width <= len(lines):
            rows.append([(s, e, b.strip()) for s, e, b in lines[i:i + width]])
            i += width
        elif not body or re.match(r"^[一二三四五六七八九十]+[、.]", body):
            i += 1  # section line between rows
        else:
            break
    return rows, i


def _row_task(text, doc_id, year, header: Header, cells, table: str, n: int,
              lead_first: bool = False) -> tuple[Task, list[RawMention]]:
    start, end = cells[0][0], cells[-1][1]
    number = cells[0][2] if ROW_NUMBER.match(cells[0][2]) else str(n)
    task_cell = cells[header.task_col] if header.task_col < len(cells) else cells[0]
    path = f"{table}/{number}"
    task = Task(id=f"{doc_id}#{path}", parent_id=None, number=number, path=path, heading=task_cell[2][:40],
                text=text[start:end].strip(), start=start, end=end)
    mentions = _row_mentions(text, header, cells, start, end, lead_first)
    if header.time_col is not None and header.time_col < len(cells):
        s, e, cell = cells[header.time_col]
        task.deadlines = find_deadlines(text, s, e, year) or _phrase_deadline(cell, s, e)
    # the quantities the task and content cells set (开展养老护理员职业技能培训2000人次)
    task.targets = [t for col, (s, e, _) in enumerate(cells) if col not in header.roles and col != header.time_col
                    for t in find_targets(text, s, e, year)]
    return task, mentions


CELL_DATE = re.compile(r"^((?:19|20)\d{2})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})\s*日?$")


def _phrase_deadline(cell: str, s: int, e: int) -> list:
    """A time cell that is a bare date (2024年10月31日: the limit) or a phrase (长期坚持 → ongoing,
    立即 → immediate)."""
    date = CELL_DATE.match(cell.strip())
    if date:
        y, m, d = map(int, date.groups())
        return [Deadline(cell, f"{y:04d}-{m:02d}-{d:02d}", None, "by", s, e)]
    if re.search(r"长期|持续|常态", cell):
        return [Deadline(cell, None, None, "ongoing", s, e)]
    if re.search(r"立即|立行立改|即知即改", cell):
        return [Deadline(cell, None, None, "immediate", s, e)]
    return []
