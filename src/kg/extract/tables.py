"""Tables flattened to text: `序号 | 任务 | 责任单位 | 完成时限` rows become tasks of their own."""
from __future__ import annotations

import re

from kg.extract.deadlines import find_deadlines
from kg.extract.units import FIELD_ROLES, RawMention, split_units
from kg.model import Task

CELL_SPLIT = re.compile(r"\s*[|｜]\s*")
TASK_COLUMN = re.compile(r"任务|内容|措施|事项|工作|问题")
TIME_COLUMN = re.compile(r"时限|时间|期限|完成时间")


def _header_roles(cells: list[str]) -> dict[int, str] | None:
    roles = {i: FIELD_ROLES.get(c.replace(" ", "")) for i, c in enumerate(cells)}
    roles = {i: r for i, r in roles.items() if r}
    return roles or None


def table_tasks(text: str, doc_id: str, year: int | None) -> list[tuple[Task, list[RawMention]]]:
    """Rows of every `|`-separated table whose header names a unit role column."""
    out = []
    header = None
    pos = 0
    for line in text.splitlines(keepends=True):
        line_start, pos = pos, pos + len(line)
        body = line.rstrip("\r\n")
        if body.count("|") + body.count("｜") < 2:
            header = None
            continue
        cells = CELL_SPLIT.split(body.strip().strip("|｜"))
        if header is None:
            roles = _header_roles(cells)
            if roles:
                header = (cells, roles)
            continue
        names, roles = header
        offsets, at = [], line_start
        for cell in cells:  # character offset of each cell within the line
            at = text.find(cell, at, pos)
            offsets.append(at)
            at += len(cell)
        task_col = next((i for i, h in enumerate(names) if TASK_COLUMN.search(h) and i not in roles), 1)
        time_col = next((i for i, h in enumerate(names) if TIME_COLUMN.search(h)), None)
        number = cells[0] if cells and re.fullmatch(r"\d{1,3}", cells[0]) else str(len(out) + 1)
        task_text = cells[task_col] if task_col < len(cells) else body
        task = Task(id=f"{doc_id}#表/{number}", parent_id=None, number=number, path=f"表/{number}",
                    heading=task_text[:40], text=body.strip(), start=line_start, end=line_start + len(body))
        mentions = []
        for i, role in roles.items():
            if i < len(cells) and offsets[i] >= 0:
                for name, s, e in split_units(cells[i], offsets[i]):
                    mentions.append(RawMention(name, role, s, e, line_start, line_start + len(body)))
        if time_col is not None and time_col < len(cells) and offsets[time_col] >= 0:
            s = offsets[time_col]
            task.deadlines = find_deadlines(text, s, s + len(cells[time_col]), year)
        out.append((task, mentions))
    return out
