"""督办 routes: progress reports, the 台账 (JSON and .xlsx, import), completion rates, plan revisions,
the audit trail and user accounts. Validation and HTTP mapping only; the work is in kg.supervision."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, Optional
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from kg.supervision import progress as P
from kg.supervision import sheets
from kg.supervision.accounts import AccountError, User

from . import models as m
from .auth import need, who
from .errors import ApiError, not_found

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_SHEET_BYTES = 5 * 1024 * 1024
ERR = {c: {"model": m.ErrorBody} for c in (400, 401, 403, 404, 409, 413, 422)}

router = APIRouter()


def _store(request: Request):
    return request.app.state.get_service().store


def _accounts(request: Request):
    return request.app.state.accounts


def _progress_error(exc: P.ProgressError) -> ApiError:
    return ApiError(exc.status, exc.code, exc.message, exc.message_en)


def _select(request, doc_id, unit, overdue, asof, limit) -> list[str]:
    """Tasks of a document, of a unit, of a unit within a document (both), overdue ones among them; with
    no selection every task (up to `limit`)."""
    ids = P.task_ids(_store(request), doc_id=doc_id, unit=unit, overdue=overdue,
                     asof=asof.isoformat() if asof else None)
    return ids[:limit]


DocIdQ = Annotated[Optional[str], Query(max_length=500, description="tasks of a document")]
UnitQ = Annotated[Optional[str], Query(max_length=200, description="tasks where a unit (name or alias) holds a role")]
LimitQ = Annotated[int, Query(ge=1, le=5000, description="at most this many tasks")]


@router.post("/api/tasks/{task_id:path}/progress", status_code=201, response_model=m.ProgressOut, responses=ERR,
             tags=["督办"], summary="report progress on a task (editor/admin: any task; reporter: its unit's tasks)")
def add_progress(task_id: str, body: m.ProgressIn, request: Request, user: User | None = Depends(need("report"))):
    store = _store(request)
    try:
        row = P.report(store, task_id, P.Report(body.status, body.note, body.date), user)
    except P.ProgressError as exc:
        raise _progress_error(exc) from None
    request.app.state.accounts.audit(who(user), "progress", task_id,
                                     {"status": row["status"], "date": row["date"], "note": row["note"][:200],
                                      "progress_id": row["id"]})
    return row


@router.get("/api/ledger", response_model=list[m.LedgerRow], responses=ERR, tags=["督办"],
            summary="督办台账 rows: tasks of a document and/or a unit (every task when neither), optionally only the "
                    "overdue ones, with status and latest progress")
def ledger(request: Request, doc_id: DocIdQ = None, unit: UnitQ = None, overdue: bool = False,
           asof: Annotated[Optional[date], Query(description="day overdue is judged on (default today)")] = None,
           limit: LimitQ = 1000, user: User | None = Depends(need("read"))):
    ids = _select(request, doc_id, unit, overdue, asof, limit)
    return P.ledger(_store(request), ids, asof=asof.isoformat() if asof else None)


@router.get("/api/export/tasks.xlsx", responses={**ERR, 200: {"content": {XLSX: {}}}}, tags=["督办"],
            summary="the 督办台账 as .xlsx (the same selection as /api/ledger)")
def export_tasks(request: Request, doc_id: DocIdQ = None, unit: UnitQ = None, overdue: bool = False,
                 asof: Annotated[Optional[date], Query()] = None, limit: LimitQ = 5000,
                 user: User | None = Depends(need("read"))):
    ids = _select(request, doc_id, unit, overdue, asof, limit)
    data = sheets.export_xlsx(_store(request), ids, asof=asof.isoformat() if asof else None)
    name = "督办台账.xlsx"
    return Response(data, media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"tasks.xlsx\"; filename*=UTF-8''{quote(name)}"})


@router.post("/api/import/tasks.xlsx", response_model=m.ImportResult, responses=ERR, tags=["督办"],
             summary="import progress from an exported 台账 (rows matched by 任务编号; each applied or refused)")
async def import_tasks(request: Request, file: Annotated[UploadFile, File(description="an exported .xlsx")],
                       user: User | None = Depends(need("report"))):
    data = await file.read(MAX_SHEET_BYTES + 1)
    if len(data) > MAX_SHEET_BYTES:
        raise ApiError(413, "file_too_large", "表格过大（上限 5 MB）", "sheet larger than 5 MB")
    try:
        result = await run_in_threadpool(sheets.import_xlsx, _store(request), data, user)
    except sheets.SheetError as exc:
        raise ApiError(422, "bad_sheet", exc.message, exc.message_en) from None
    request.app.state.accounts.audit(who(user), "import", file.filename or "upload.xlsx",
                                     {"applied": [a["task_id"] for a in result["applied"]],
                                      "refused": len(result["refused"]), "unchanged": result["unchanged"]})
    return result


@router.get("/api/completion", response_model=list[m.Completion], responses=ERR, tags=["督办"],
            summary="completion rate (已完成 / tasks) per document or per unit")
def completion(request: Request, by: Literal["doc", "unit"] = "doc", user: User | None = Depends(need("read"))):
    return P.completion(_store(request), by=by)


@router.get("/api/revisions", response_model=list[m.Revision], responses=ERR, tags=["督办"],
            summary="what changed each time a document was re-issued (tasks added / dropped / reworded, units moved)")
def revisions(request: Request, doc_id: Annotated[str, Query(min_length=1, max_length=500)],
              limit: Annotated[int, Query(ge=1, le=100)] = 20, user: User | None = Depends(need("read"))):
    from kg.store.revisions import revisions as revs

    store = _store(request)
    if not store.run("MATCH (d:Document {doc_id: $d}) RETURN d.doc_id AS d", {"d": doc_id}):
        raise not_found("文件", "document", doc_id)
    return revs(store, doc_id, limit=limit)


@router.get("/api/audit", response_model=list[m.AuditEntry], responses=ERR, tags=["accounts"],
            summary="every write (loads, re-loads, progress, imports, user changes): who, when, what (admin)")
def audit(request: Request, limit: Annotated[int, Query(ge=1, le=5000)] = 200,
          action: Annotated[Optional[str], Query(max_length=40)] = None,
          user_name: Annotated[Optional[str], Query(alias="user", max_length=100)] = None,
          user: User | None = Depends(need("admin"))):
    return _accounts(request).audit_log(limit=limit, action=action, user=user_name)


@router.get("/api/users", response_model=list[m.UserOut], responses=ERR, tags=["accounts"], summary="users (admin)")
def users(request: Request, user: User | None = Depends(need("admin"))):
    return _accounts(request).users()


@router.post("/api/users", status_code=201, response_model=m.UserOut, responses=ERR, tags=["accounts"],
             summary="add a user; the answer carries its API token once (admin)")
def add_user(body: m.UserIn, request: Request, user: User | None = Depends(need("admin"))):
    acc = _accounts(request)
    try:
        token = acc.add(body.name, body.role, body.unit, by=who(user))
    except AccountError as exc:
        if "exists" in str(exc):
            raise ApiError(409, "user_exists", f"用户已存在：{body.name}", str(exc)) from None
        raise ApiError(422, "bad_user", f"无法添加用户：{exc}", str(exc)) from None
    u = acc.get(body.name.strip())
    return {"name": u.name, "role": u.role, "unit": u.unit, "tokens": 1, "token": token}


@router.delete("/api/users/{name}", status_code=204, responses=ERR, tags=["accounts"],
               summary="remove a user and revoke its tokens (admin)")
def remove_user(name: str, request: Request, user: User | None = Depends(need("admin"))):
    try:
        _accounts(request).remove(name, by=who(user))
    except AccountError:
        raise not_found("用户", "user", name) from None
    return Response(status_code=204)
