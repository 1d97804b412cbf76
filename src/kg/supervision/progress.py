"""Task status and progress reports, in the graph: `(Progress {id, task_id, doc_id, date, status, note,
unit, user, recorded_at, source})-[:ON]->(Task)`; `Task.status` / `Task.status_date` mirror the latest
report (by report date, then time recorded) so templates can filter on it. Overdue = a deadline
(`by` / `range`) before the day asked about and the task not 已完成.

The rule of who may report: admin and editor on any task, a reporter on tasks where its unit (name or
alias) holds a role (牵头 / 责任 / 配合), viewer never."""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from kg.store.cypher_files import statements

from .accounts import User, now

STATUSES = ("未开始", "推进中", "已完成", "长期推进", "暂缓")
MAX_NOTE = 2000
ROLE_COLUMNS = {"LEADS": "lead", "RESPONSIBLE_FOR": "responsible", "SUPPORTS": "support"}
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def Q(name: str) -> str:
    return statements("kg.supervision", "cypher/progress.cypher")[name]


class ProgressError(ValueError):
    """A report that cannot be stored; `status` is the HTTP status it maps to."""

    def __init__(self, status: int, code: str, message: str, message_en: str):
        super().__init__(message_en)
        self.status, self.code, self.message, self.message_en = status, code, message, message_en


@dataclass
class Report:
    status: str
    note: str = ""
    date: str | None = None  # ISO YYYY-MM-DD; today when None


def check_date(value: str | None, today: date | None = None) -> str:
    today = today or datetime.now(timezone.utc).date()
    if value is None or value == "":
        return today.isoformat()
    s = str(value).strip()
    try:
        d = date.fromisoformat(s) if _ISO.match(s) else None
    except ValueError:
        d = None
    if d is None:
        raise ProgressError(422, "bad_date", f"进展日期格式不正确：{s}（应为 YYYY-MM-DD，如 2019-10-31）",
                            f"progress date {s!r} is not YYYY-MM-DD")
    if d > today + timedelta(days=1):
        raise ProgressError(422, "future_date", f"进展日期不能晚于今天：{s}", f"progress date {s} is in the future")
    return d.isoformat()


def check_report(r: Report, today: date | None = None) -> Report:
    if r.status not in STATUSES:
        raise ProgressError(422, "bad_status", f"状态不正确：{r.status}（可选 {'、'.join(STATUSES)}）",
                            f"unknown status {r.status!r}")
    note = (r.note or "").strip()
    if len(note) > MAX_NOTE:
        raise ProgressError(422, "note_too_long", f"进展说明过长（最多 {MAX_NOTE} 字）",
                            f"note is longer than {MAX_NOTE} characters")
    return Report(r.status, note, check_date(r.date, today))


def task_scope(store, task_id: str) -> dict | None:
    rows = store.run(Q("task_scope"), {"id": task_id})
    if not rows or rows[0].get("id") is None:
        return None
    r = rows[0]
    names = set(r.get("units") or [])
    for al in r.get("aliases") or []:
        names.update(al or [])
    return {"id": r["id"], "doc_id": r["doc_id"], "status": r.get("status"), "units": names}


def may_report(user: User | None, scope: dict) -> bool:
    if user is None:  # no accounts: one person on their own machine
        return True
    if not user.may("report"):
        return False
    if user.role == "reporter":
        return bool(user.unit) and user.unit in scope["units"]
    return True


def report(store, task_id: str, r: Report, user: User | None, source: str = "api",
           today: date | None = None) -> dict:
    """Store one report and update the task's status. Raises ProgressError (404, then 403, then 422)."""
    scope = task_scope(store, task_id)
    if scope is None:
        raise ProgressError(404, "not_found", f"没有找到任务：{task_id}", f"task not found: {task_id}")
    if not may_report(user, scope):
        raise ProgressError(403, "forbidden", f"无权填报该任务的进展（{user.name}：{user.role}"
                            f"{'，' + user.unit if user.unit else ''}）",
                            f"{user.name} ({user.role}) may not report on this task")
    r = check_report(r, today)  # after the permission: a caller learns nothing about tasks it may not touch
    row = {"id": uuid.uuid4().hex, "task_id": task_id, "date": r.date, "status": r.status, "note": r.note,
           "unit": user.unit if user else None, "user": user.name if user else None, "recorded_at": now(),
           "source": source}
    store.write_many([(Q("add_progress"), row), (Q("refresh_status"), {"task_id": task_id})])  # one transaction
    return row


def progress_of(store, task_id: str) -> list[dict]:
    return store.run(Q("progress_of_task"), {"task_id": task_id})


def task_ids(store, doc_id: str | None = None, unit: str | None = None, overdue: bool = False,
             asof: str | None = None) -> list[str]:
    """Task ids, in document order: of a document, of a unit, of a unit within a document (both given);
    every task when neither; with `overdue` only those past a deadline on `asof` and not 已完成."""
    if doc_id:
        ids = [r["id"] for r in store.run(Q("tasks_of_doc"), {"doc_id": doc_id})]
        if unit:
            mine = {r["id"] for r in store.run(Q("tasks_of_unit"), {"unit": unit})}
            ids = [i for i in ids if i in mine]
    elif unit:
        ids = [r["id"] for r in store.run(Q("tasks_of_unit"), {"unit": unit})]
    else:
        ids = [r["id"] for r in store.run(Q("tasks_all"))]
    if overdue:
        asof = asof or datetime.now(timezone.utc).date().isoformat()
        late = {r["id"] for r in store.run(Q("tasks_overdue"), {"asof": asof})}
        ids = [i for i in ids if i in late]
    return list(dict.fromkeys(ids))


def ledger(store, ids: list[str], asof: str | None = None) -> list[dict]:
    """One row per task (in the given order): units by role, deadlines, status, latest report,
    whether it is overdue, and the source quote."""
    if not ids:
        return []
    asof = asof or datetime.now(timezone.utc).date().isoformat()
    tasks = {r["id"]: dict(r, lead=[], responsible=[], support=[], deadlines=[], progress=[])
             for r in store.run(Q("ledger_tasks"), {"ids": ids})}
    for r in store.run(Q("ledger_roles"), {"ids": ids}):
        col = tasks[r["id"]][ROLE_COLUMNS[r["rel"]]]
        if r["unit"] not in col:
            col.append(r["unit"])
    for r in store.run(Q("ledger_deadlines"), {"ids": ids}):
        tasks[r["id"]]["deadlines"].append({k: r[k] for k in ("text", "date", "kind")})
    for r in store.run(Q("ledger_progress"), {"ids": ids}):
        tasks[r["id"]]["progress"].append({k: r[k] for k in ("date", "status", "note", "unit", "recorded_at")})
    texts: dict[str, str] = {}
    out = []
    for i in ids:
        t = tasks.get(i)
        if t is None:
            continue
        t["progress"].sort(key=lambda p: (p["date"] or "", p["recorded_at"] or ""), reverse=True)
        t["latest"] = t["progress"][0] if t["progress"] else None
        t["overdue"] = t.get("status") != "已完成" and any(
            d["date"] and d["date"] < asof and d["kind"] in ("by", "range") for d in t["deadlines"])
        if t["doc_id"] not in texts:
            rows = store.run(Q("doc_text"), {"doc_id": t["doc_id"]})
            texts[t["doc_id"]] = (rows[0]["text"] if rows else "") or ""
        doc_text = texts[t["doc_id"]]
        s, e = t.get("start"), t.get("end")
        quote = doc_text[s:e] if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(doc_text) else t["text"]
        t["quote"] = (quote or "")[:300]
        for k in ("lead", "responsible", "support"):
            t[k].sort()
        out.append(t)
    return out


def completion(store, by: str = "doc") -> list[dict]:
    rows = store.run(Q("completion_by_doc" if by == "doc" else "completion_by_unit"))
    for r in rows:
        r["rate"] = round(r["done"] / r["tasks"], 3) if r["tasks"] else 0.0
    return rows
