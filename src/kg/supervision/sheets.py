"""The 督办台账 / 任务分工表 as .xlsx: export the tasks of a document, a unit or the overdue list, and
import progress back from the same sheet (rows matched by 任务编号; each row applied or refused with a
reason). An exported sheet imported again changes nothing: a row is applied only when its 状态 or
最新进展 differs from what the graph holds."""
from __future__ import annotations

import io
from datetime import date, datetime

from .accounts import User
from .progress import STATUSES, ProgressError, Report, ledger, report, task_scope

COLUMNS = [  # (header, width)
    ("任务编号", 18), ("序号", 10), ("任务", 60), ("牵头单位", 18), ("责任单位", 22), ("配合单位", 22),
    ("完成时限", 20), ("状态", 10), ("进展日期", 12), ("最新进展", 40), ("依据", 50),
]
HEADERS = [c for c, _ in COLUMNS]
MAX_ROWS = 5000
OVERDUE_FILL = "FFE0E0"


def deadline_text(deadlines: list[dict]) -> str:
    out = []
    for d in deadlines:
        t = d.get("text") or ""
        out.append(f"{t}（{d['date']}）" if d.get("date") and d["date"] not in t else t)
    return "；".join(x for x in out if x)


def row_values(t: dict) -> list:
    latest = t.get("latest") or {}
    basis = f"{t.get('doc_no') or ''}《{t.get('title') or t.get('doc_id')}》：{t.get('quote') or ''}"
    return [t["id"], (t.get("path") or t.get("number") or "").replace("/", " / "), t.get("text") or "",
            "、".join(t["lead"]), "、".join(t["responsible"]), "、".join(t["support"]),
            deadline_text(t["deadlines"]), t.get("status") or "", latest.get("date") or "",
            latest.get("note") or "", basis]


def export_xlsx(store, ids: list[str], title: str = "督办台账", asof: str | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(HEADERS)
    for i, (_, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = "B2"
    wrap = Alignment(wrap_text=True, vertical="top")
    red = PatternFill("solid", fgColor=OVERDUE_FILL)
    for t in ledger(store, ids, asof=asof):
        ws.append(row_values(t))
        r = ws.max_row
        for c in range(1, len(COLUMNS) + 1):
            cell = ws.cell(row=r, column=c)
            cell.alignment = wrap
            cell.number_format = "@"  # text: dates stay YYYY-MM-DD
            if t["overdue"]:
                cell.fill = red
    if ws.max_row > 1:
        dv = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True)
        ws.add_data_validation(dv)
        col = get_column_letter(HEADERS.index("状态") + 1)
        dv.add(f"{col}2:{col}{ws.max_row}")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class SheetError(ValueError):
    def __init__(self, message: str, message_en: str):
        super().__init__(message_en)
        self.message, self.message_en = message, message_en


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return str(v).strip()


def read_rows(data: bytes) -> list[tuple[int, dict]]:
    """(sheet row number, {header: text}) of the first sheet; SheetError when it is not a 台账."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise SheetError(f"不是有效的 .xlsx 文件（{type(exc).__name__}）", f"not a readable .xlsx file: {exc}") from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [_cell(v) for v in next(rows, ())]
    missing = [h for h in ("任务编号", "状态") if h not in header]
    if missing:
        raise SheetError(f"表头缺少列：{'、'.join(missing)}（请使用导出的台账）",
                         f"header lacks column(s): {', '.join(missing)} (use an exported sheet)")
    out = []
    for n, values in enumerate(rows, start=2):
        if n - 1 > MAX_ROWS:
            raise SheetError(f"行数过多（最多 {MAX_ROWS} 行）", f"more than {MAX_ROWS} rows")
        row = {h: _cell(v) for h, v in zip(header, values) if h}
        if any(row.values()):
            out.append((n, row))
    wb.close()
    return out


def import_xlsx(store, data: bytes, user: User | None, today: date | None = None) -> dict:
    """Apply the progress rows of a sheet. Returns {applied, refused, unchanged} with row numbers."""
    applied, refused, unchanged = [], [], []
    for n, row in read_rows(data):
        tid = row.get("任务编号", "")
        status, note, day = row.get("状态", ""), row.get("最新进展", ""), row.get("进展日期", "")
        if not tid:
            refused.append({"row": n, "task_id": None, "reason": "缺少任务编号", "reason_en": "no task id"})
            continue
        if not status:
            unchanged.append({"row": n, "task_id": tid})
            continue
        scope = task_scope(store, tid)
        if scope is None:
            refused.append({"row": n, "task_id": tid, "reason": f"没有这个任务：{tid}", "reason_en": "unknown task id"})
            continue
        latest = ledger(store, [tid])[0].get("latest") or {}
        if status == (scope.get("status") or "") and note == (latest.get("note") or "") \
                and (not day or day == (latest.get("date") or "")):
            unchanged.append({"row": n, "task_id": tid})
            continue
        try:
            stored = report(store, tid, Report(status, note, day or None), user, source="xlsx", today=today)
        except ProgressError as exc:
            refused.append({"row": n, "task_id": tid, "reason": exc.message, "reason_en": exc.message_en})
            continue
        applied.append({"row": n, "task_id": tid, "status": stored["status"], "date": stored["date"],
                        "progress_id": stored["id"]})
    return {"applied": applied, "refused": refused, "unchanged": len(unchanged)}
