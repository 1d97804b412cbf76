"""Spreadsheets (.xlsx/.xlsm/.xls/.ods; python-calamine): each sheet becomes text rows with cells
separated by `` | `` so the extractor's table model reads them (任务分工表, 台账). Empty cells are
kept so columns stay in place. A vertically merged cell (one 牵头单位 for several rows) is repeated
on every row it spans; a horizontally merged one is written once. Sheets are separated by a blank
line; their names are the page labels."""
from __future__ import annotations

import datetime as dt
import io

from .errors import LoadError
from .ole import ole_kind
from .registry import Extracted, Format, register
from .ziplimits import open_zip, zip_names

MAX_CELLS = 2_000_000


def sniff(data: bytes) -> bool:
    names = zip_names(data)
    return "xl/workbook.xml" in names or ole_kind(data) == "xls"


def _cell(v) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        v = v.date() if (v.hour, v.minute, v.second) == (0, 0, 0) else v
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return f"{v.year}年{v.month}月{v.day}日"
    s = " ".join(str(v).split())
    return s.replace("|", "/").replace("｜", "/")


def sheet_rows(rows: list[list], merged: list) -> list[str]:
    grid = [[_cell(v) for v in row] for row in rows]
    for rng in merged or []:
        (r0, c0), (r1, c1) = rng[0], rng[1]
        if r0 >= len(grid) or c0 >= len(grid[r0]):
            continue
        value = grid[r0][c0]
        for r in range(r0 + 1, min(r1, len(grid) - 1) + 1):  # repeat down the rows it spans
            while len(grid[r]) <= c0:
                grid[r].append("")
            if not grid[r][c0]:
                grid[r][c0] = value
    out = []
    for cells in grid:
        while cells and not cells[-1]:
            cells = cells[:-1]
        if any(cells):
            out.append(" | ".join(cells))
    return out


def read(data: bytes, path: str, progress=None) -> Extracted:
    kind = ole_kind(data)
    if kind == "encrypted":
        raise LoadError(path, "password-protected spreadsheet (encrypted): save it without a password")
    if kind is None:
        zf = open_zip(data, path, "spreadsheet")  # size / ratio / count limits before parsing
        if "xl/workbook.xml" not in set(zf.namelist()) and "content.xml" not in set(zf.namelist()):
            raise LoadError(path, "not a spreadsheet (no xl/workbook.xml in the archive)")
    try:
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        out = Extracted("")
        parts: list[str] = []
        pos = cells = 0
        for name in wb.sheet_names:
            sheet = wb.get_sheet_by_name(name)
            cells += sheet.height * sheet.width
            if cells > MAX_CELLS:
                raise LoadError(path, f"spreadsheet too large (over {MAX_CELLS} cells)")
            rows = sheet.to_python(skip_empty_area=False)
            lines = sheet_rows(rows, getattr(sheet, "merged_cell_ranges", None) or [])
            if not lines:
                continue
            if parts:  # a line naming the sheet ends the previous sheet's table
                parts.append("\n\n"); pos += 2
            out.pages.append(pos)
            out.page_labels.append(name)
            body = "\n".join(([f"（工作表：{name}）"] if out.pages[1:] else []) + lines)
            parts.append(body); pos += len(body)
        wb.close()
    except LoadError:
        raise
    except Exception as e:  # calamine raises its own error types on damaged files
        raise LoadError(path, f"not a readable spreadsheet ({type(e).__name__}: {str(e)[:120]})") from None
    out.text = "".join(parts)
    out.notes.append(f"read {len(out.pages)} sheet(s) as tables")
    return out


register(Format("spreadsheet", (".xlsx", ".xlsm", ".xls", ".ods"), read=read, sniff=sniff, priority=10))
