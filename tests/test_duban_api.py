"""督办 over HTTP on both engines: 401/403/201 for each role, reporters limited to their unit's tasks,
a re-issued plan keeps its progress (and /api/revisions names the reworded task), an exported 台账
imported again changes nothing, the audit lists every write; bad input: forged and revoked tokens, a
sheet with unknown task ids, a progress date in the wrong form."""
from __future__ import annotations

import io
from urllib.parse import quote

import pytest

from kg.supervision.accounts import Accounts

DOC = "no:测政办〔2020〕7号"
PLAN_V1 = """测试县2020年扬尘治理工作方案
测政办〔2020〕7号
为做好扬尘治理工作，制定本方案。
一、加强施工工地扬尘管控，落实六个百分百要求。责任单位：县住建局
二、开展道路清扫保洁，提高机械化清扫率。责任单位：县城管局
三、加强露天焚烧巡查，2020年10月底前实现全覆盖。责任单位：县生态环境局
"""
# re-issued: a task inserted first (the others renumber), the 住建局 task reworded, the 城管局 task dropped
PLAN_V2 = """测试县2020年扬尘治理工作方案
测政办〔2020〕7号
为做好扬尘治理工作，制定本方案。
一、新增渣土车辆密闭运输专项整治。责任单位：县交通运输局
二、加强施工工地扬尘管控，全面落实六个百分百要求。责任单位：县住建局
三、加强露天焚烧巡查，2020年10月底前实现全覆盖。责任单位：县生态环境局
"""
T_ZJ, T_CG, T_HB = f"{DOC}#一、", f"{DOC}#二、", f"{DOC}#三、"  # 住建局, 城管局, 生态环境局 in v1


@pytest.fixture
def env(graph_store, tmp_path, monkeypatch):
    """A fresh store with PLAN_V1 loaded, accounts with one user per role, and a client."""
    from fastapi.testclient import TestClient

    import kg.qa.indexing
    from kg.api.app import create_app
    from kg.extract import extract_file

    monkeypatch.setattr(kg.qa.indexing, "index_new_tasks", lambda store: {"embedded": 0, "aligned": 0})
    p = tmp_path / "plan_v1.txt"
    p.write_text(PLAN_V1, encoding="utf-8")
    graph_store.load_plan(extract_file(p))
    acc = Accounts(tmp_path / "accounts.sqlite3")
    tokens = {role: acc.add(role, role, "县住建局" if role == "reporter" else None)
              for role in ("admin", "editor", "reporter", "viewer")}
    client = TestClient(create_app(graph_store, ui=False, accounts=acc))
    return {"store": graph_store, "acc": acc, "tokens": tokens, "client": client, "tmp": tmp_path}


def H(env, role):
    return {"Authorization": f"Bearer {env['tokens'][role]}"} if role else {}


def progress_url(task_id):
    return f"/api/tasks/{quote(task_id, safe='')}/progress"


def n_progress(store):
    return store.run("MATCH (p:Progress) RETURN count(p) AS n")[0]["n"]


def upload(env, role, text, name="plan.txt"):
    return env["client"].post("/api/upload", headers=H(env, role),
                              files=[("files", (name, text.encode("utf-8"), "text/plain"))])


# ---------------------------------------------------------------- roles
@pytest.mark.parametrize("role,read,report,load,admin", [
    (None, 401, 401, 401, 401),
    ("viewer", 200, 403, 403, 403),
    ("reporter", 200, 201, 403, 403),
    ("editor", 200, 201, 200, 403),
    ("admin", 200, 201, 200, 200),
])
def test_each_role_gets_what_it_may(env, role, read, report, load, admin):
    c = env["client"]
    assert c.get("/api/documents", headers=H(env, role)).status_code == read
    assert c.get(f"/api/tasks/{quote(T_ZJ, safe='')}", headers=H(env, role)).status_code == read
    r = c.post(progress_url(T_ZJ), headers=H(env, role), json={"status": "推进中", "note": "x", "date": "2020-05-01"})
    assert r.status_code == report, r.text
    if r.status_code in (401, 403):
        body = r.json()
        assert body["error"] in ("unauthorized", "forbidden") and body["message"] and body["message_en"]
    assert upload(env, role, PLAN_V1).status_code == load
    assert c.get("/api/audit", headers=H(env, role)).status_code == admin
    assert c.get("/api/users", headers=H(env, role)).status_code == admin
    assert n_progress(env["store"]) == (1 if report == 201 else 0)


def test_no_user_means_open_api(graph_store, tmp_path):
    from fastapi.testclient import TestClient

    from kg.api.app import create_app

    acc = Accounts(tmp_path / "none.sqlite3")
    c = TestClient(create_app(graph_store, ui=False, accounts=acc))
    assert c.get("/api/documents").status_code == 200
    acc.add("boss", "admin")
    assert c.get("/api/documents").status_code == 401  # the first user closes it, no restart needed


def test_forged_revoked_and_removed_tokens(env):
    c, acc, good = env["client"], env["acc"], env["tokens"]["editor"]
    prefix, tid, secret = good.split("_", 2)
    forged = [f"{prefix}_{tid}_{'A' * len(secret)}",  # a real token id with a made-up secret
              good[:-1] + ("x" if good[-1] != "x" else "y"), "pk_deadbeef0000_abc", "garbage", good + "extra"]
    for tok in forged:
        r = c.get("/api/documents", headers={"Authorization": f"Bearer {tok}"})
        assert r.status_code == 401 and r.json()["error"] == "bad_token", tok
        assert r.headers["www-authenticate"].startswith("Bearer")
    assert c.get("/api/documents", headers={"Authorization": good}).status_code == 401  # no Bearer scheme
    new = acc.new_token("editor")
    assert c.get("/api/documents", headers={"Authorization": f"Bearer {good}"}).status_code == 401  # revoked
    assert c.get("/api/documents", headers={"Authorization": f"Bearer {new}"}).status_code == 200
    acc.remove("editor")
    assert c.get("/api/documents", headers={"Authorization": f"Bearer {new}"}).status_code == 401


def test_accounts_survive_a_restart(env):
    again = Accounts(env["acc"].path)  # a new process would open the same file
    assert again.authenticate(env["tokens"]["admin"]).role == "admin"
    assert {u["name"] for u in again.users()} == {"admin", "editor", "reporter", "viewer"}
    raw = env["acc"].path.read_bytes()
    assert env["tokens"]["admin"].encode() not in raw  # only hashes are kept


# ---------------------------------------------------------------- progress
def test_progress_201_then_task_carries_status_and_history(env):
    c = env["client"]
    r = c.post(progress_url(T_ZJ), headers=H(env, "reporter"),
               json={"status": "推进中", "note": "已检查工地 12 处", "date": "2020-05-01"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["user"] == "reporter" and body["unit"] == "县住建局" and body["task_id"] == T_ZJ
    t = c.get(f"/api/tasks/{quote(T_ZJ, safe='')}", headers=H(env, "viewer")).json()
    assert t["status"] == "推进中" and [p["note"] for p in t["progress"]] == ["已检查工地 12 处"]


def test_reporter_cannot_touch_another_units_task(env):
    c = env["client"]
    for tid in (T_CG, T_HB):
        r = c.post(progress_url(tid), headers=H(env, "reporter"), json={"status": "已完成", "date": "2020-05-01"})
        assert r.status_code == 403 and r.json()["error"] == "forbidden"
    assert n_progress(env["store"]) == 0
    # an editor may
    assert c.post(progress_url(T_CG), headers=H(env, "editor"), json={"status": "已完成"}).status_code == 201


@pytest.mark.parametrize("payload", [
    {"status": "推进中", "date": "2020/05/01"}, {"status": "推进中", "date": "2020-5-1"},
    {"status": "推进中", "date": "2020-02-30"}, {"status": "推进中", "date": "5月1日"},
    {"status": "推进中", "date": "2999-01-01"}, {"status": "完成了"}, {"note": "no status"},
    {"status": "推进中", "note": "x" * 2001}, {"status": "推进中", "extra": 1},
])
def test_bad_progress_is_422_and_stores_nothing(env, payload):
    r = env["client"].post(progress_url(T_ZJ), headers=H(env, "editor"), json=payload)
    assert r.status_code == 422, r.text
    assert r.json()["message"] and r.json()["message_en"]
    assert n_progress(env["store"]) == 0


def test_progress_on_unknown_task_is_404(env):
    r = env["client"].post(progress_url(DOC + "#九、"), headers=H(env, "editor"), json={"status": "推进中"})
    assert r.status_code == 404


# ---------------------------------------------------------------- re-issue
def test_reissued_plan_keeps_progress_and_revisions_name_the_reworded_task(env):
    c = env["client"]
    assert c.post(progress_url(T_ZJ), headers=H(env, "editor"),
                  json={"status": "推进中", "note": "住建进展", "date": "2020-05-01"}).status_code == 201
    assert c.post(progress_url(T_CG), headers=H(env, "editor"),
                  json={"status": "已完成", "note": "城管进展", "date": "2020-05-02"}).status_code == 201
    r = upload(env, "editor", PLAN_V2)
    assert r.status_code == 200, r.text
    loaded = r.json()["files"][0]["loaded"]
    assert loaded["reloaded"] is True and loaded["revision"]["reworded"] == 1
    # the 住建局 task is now 二、 and still has its progress and status
    t = c.get(f"/api/tasks/{quote(T_CG, safe='')}", headers=H(env, "viewer")).json()
    assert "渣土" not in t["text"] and "六个百分百" in t["text"]
    assert t["status"] == "推进中" and [p["note"] for p in t["progress"]] == ["住建进展"]
    new_first = c.get(f"/api/tasks/{quote(T_ZJ, safe='')}", headers=H(env, "viewer")).json()
    assert "渣土" in new_first["text"] and new_first["status"] is None and new_first["progress"] == []
    revs = c.get("/api/revisions", params={"doc_id": DOC}, headers=H(env, "viewer")).json()
    assert len(revs) == 1
    rew = revs[0]["reworded"]
    assert [(x["old_id"], x["id"]) for x in rew] == [(T_ZJ, T_CG)] and "全面落实" in rew[0]["text"]
    assert [d["id"] for d in revs[0]["dropped"]] == [T_CG] and revs[0]["dropped"][0]["reports"] == 1
    assert [a["id"] for a in revs[0]["added"]] == [T_ZJ]
    assert n_progress(env["store"]) == 2  # the dropped task's report is kept
    # the reporter of 县住建局 follows its task to the new number
    assert c.post(progress_url(T_CG), headers=H(env, "reporter"), json={"status": "已完成"}).status_code == 201
    assert c.get("/api/revisions", params={"doc_id": "no:不存在"}, headers=H(env, "viewer")).status_code == 404


# ---------------------------------------------------------------- spreadsheets
def test_export_reimported_changes_nothing_then_edits_apply(env):
    from openpyxl import load_workbook

    c, store = env["client"], env["store"]
    c.post(progress_url(T_ZJ), headers=H(env, "editor"), json={"status": "推进中", "note": "第一次", "date": "2020-05-01"})
    r = c.get("/api/export/tasks.xlsx", params={"doc_id": DOC}, headers=H(env, "viewer"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb.active
    header = [x.value for x in ws[1]]
    assert header[:2] == ["任务编号", "序号"] and "最新进展" in header and "依据" in header
    assert ws.freeze_panes == "B2" and ws.column_dimensions["C"].width >= 40
    rows = {row[0]: dict(zip(header, row)) for row in ws.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {T_ZJ, T_CG, T_HB}
    assert rows[T_ZJ]["状态"] == "推进中" and rows[T_ZJ]["最新进展"] == "第一次"
    assert rows[T_ZJ]["责任单位"] == "县住建局" and "测政办〔2020〕7号" in rows[T_ZJ]["依据"]
    before = (store.stats(), n_progress(store))
    imp = c.post("/api/import/tasks.xlsx", headers=H(env, "editor"), files={"file": ("t.xlsx", r.content, "application/octet-stream")})
    assert imp.status_code == 200, imp.text
    assert imp.json() == {"applied": [], "refused": [], "unchanged": 3}
    assert (store.stats(), n_progress(store)) == before
    # edit two rows, add one with an unknown id and one with a bad date
    col = {h: i + 1 for i, h in enumerate(header)}
    for i in range(2, ws.max_row + 1):
        tid = ws.cell(i, 1).value
        if tid == T_ZJ:
            ws.cell(i, col["状态"]).value, ws.cell(i, col["最新进展"]).value = "已完成", "全部完成"
            ws.cell(i, col["进展日期"]).value = "2020-06-01"
        if tid == T_HB:
            ws.cell(i, col["状态"]).value, ws.cell(i, col["进展日期"]).value = "推进中", "2020年6月1日"
    ws.append([DOC + "#九、", "九", "不存在的任务", None, None, None, None, "已完成", "2020-06-01", "x", None])
    buf = io.BytesIO()
    wb.save(buf)
    imp = c.post("/api/import/tasks.xlsx", headers=H(env, "reporter"), files={"file": ("t.xlsx", buf.getvalue(), "x")})
    body = imp.json()
    assert [a["task_id"] for a in body["applied"]] == [T_ZJ]  # the reporter's own unit's task
    refused = {x["task_id"]: x["reason_en"] for x in body["refused"]}
    assert set(refused) == {T_HB, DOC + "#九、"}
    assert "unknown task id" in refused[DOC + "#九、"]
    assert "may not" in refused[T_HB]  # not the reporter's unit (checked before the date)
    t = c.get(f"/api/tasks/{quote(T_ZJ, safe='')}", headers=H(env, "viewer")).json()
    assert t["status"] == "已完成" and t["progress"][0]["note"] == "全部完成" and t["progress"][0]["source"] == "xlsx"


def test_import_refuses_bad_date_and_non_sheets(env):
    from openpyxl import Workbook

    c = env["client"]
    wb = Workbook()
    wb.active.append(["任务编号", "状态", "进展日期", "最新进展"])
    wb.active.append([T_HB, "推进中", "2020/06/01", "日期格式错"])
    buf = io.BytesIO()
    wb.save(buf)
    body = c.post("/api/import/tasks.xlsx", headers=H(env, "editor"), files={"file": ("t.xlsx", buf.getvalue(), "x")}).json()
    assert body["applied"] == [] and body["refused"][0]["row"] == 2 and "YYYY-MM-DD" in body["refused"][0]["reason_en"]
    r = c.post("/api/import/tasks.xlsx", headers=H(env, "editor"), files={"file": ("t.xlsx", b"not a zip", "x")})
    assert r.status_code == 422 and r.json()["error"] == "bad_sheet"
    wb = Workbook()
    wb.active.append(["编号", "进展"])
    buf = io.BytesIO()
    wb.save(buf)
    r = c.post("/api/import/tasks.xlsx", headers=H(env, "editor"), files={"file": ("t.xlsx", buf.getvalue(), "x")})
    assert r.status_code == 422 and "任务编号" in r.json()["message"]
    assert n_progress(env["store"]) == 0
    assert c.post("/api/import/tasks.xlsx", headers=H(env, "viewer"),
                  files={"file": ("t.xlsx", buf.getvalue(), "x")}).status_code == 403


def test_export_selection_and_overdue(env):
    c = env["client"]
    everything = c.get("/api/ledger", headers=H(env, "viewer")).json()  # no selection: every task
    assert [x["id"] for x in everything] == [T_ZJ, T_CG, T_HB]
    both = c.get("/api/ledger", params={"doc_id": DOC, "unit": "县住建局"}, headers=H(env, "viewer")).json()
    assert [x["id"] for x in both] == [T_ZJ]
    assert c.get("/api/ledger", params={"limit": 0}, headers=H(env, "viewer")).status_code == 422
    led = c.get("/api/ledger", params={"overdue": "true", "asof": "2020-11-15"}, headers=H(env, "viewer")).json()
    assert [x["id"] for x in led] == [T_HB] and led[0]["overdue"] is True
    led = c.get("/api/ledger", params={"unit": "县住建局"}, headers=H(env, "viewer")).json()
    assert [x["id"] for x in led] == [T_ZJ]
    c.post(progress_url(T_HB), headers=H(env, "editor"), json={"status": "已完成", "date": "2020-10-30"})
    assert c.get("/api/ledger", params={"overdue": "true", "asof": "2020-11-15"}, headers=H(env, "viewer")).json() == []
    comp = {x["key"]: x for x in c.get("/api/completion", headers=H(env, "viewer")).json()}
    assert comp[DOC]["tasks"] == 3 and comp[DOC]["done"] == 1 and comp[DOC]["rate"] == pytest.approx(0.333, abs=1e-3)


# ---------------------------------------------------------------- audit
def test_audit_lists_every_write(env):
    c, acc = env["client"], env["acc"]
    c.post(progress_url(T_ZJ), headers=H(env, "reporter"), json={"status": "推进中", "note": "审计", "date": "2020-05-01"})
    upload(env, "editor", PLAN_V1)  # the same plan again: a re-load
    upload(env, "editor", PLAN_V1.replace("测政办〔2020〕7号", "测政办〔2020〕8号"), name="other.txt")  # a new plan
    r = c.get("/api/export/tasks.xlsx", params={"doc_id": DOC}, headers=H(env, "viewer"))
    c.post("/api/import/tasks.xlsx", headers=H(env, "editor"), files={"file": ("t.xlsx", r.content, "x")})
    made = c.post("/api/users", headers=H(env, "admin"), json={"name": "新人", "role": "viewer"})
    assert made.status_code == 201 and made.json()["token"].startswith("pk_")
    again = c.post("/api/users", headers=H(env, "admin"), json={"name": "新人", "role": "editor"})
    assert again.status_code == 409 and again.json()["error"] == "user_exists"
    assert c.get("/api/documents", headers={"Authorization": f"Bearer {made.json()['token']}"}).status_code == 200
    assert c.delete(f"/api/users/{quote('新人')}", headers=H(env, "admin")).status_code == 204
    # refused writes are not recorded as writes
    c.post(progress_url(T_CG), headers=H(env, "reporter"), json={"status": "推进中"})
    log = c.get("/api/audit", headers=H(env, "admin")).json()
    got = [(e["user"], e["action"], e["target"]) for e in reversed(log)]
    assert got == [
        (None, "user_add", "admin"), (None, "user_add", "editor"), (None, "user_add", "reporter"), (None, "user_add", "viewer"),
        ("reporter", "progress", T_ZJ), ("editor", "reload", DOC), ("editor", "load", "no:测政办〔2020〕8号"),
        ("editor", "import", "t.xlsx"), ("admin", "user_add", "新人"), ("admin", "user_remove", "新人"),
    ]
    assert all(e["at"] for e in log)
    assert log[-5]["detail"]["status"] == "推进中"
    assert acc.audit_log(action="progress")[0]["detail"]["note"] == "审计"


def test_read_tickets_of_the_ui(env):
    """The UI's network page calls /api with a short read-only ticket of the signed-in user."""
    c, acc = env["client"], env["acc"]
    editor = acc.get("editor")
    tk = acc.ticket(editor)
    h = {"Authorization": f"Bearer {tk}"}
    assert c.get("/api/graph", params={"unit": "县住建局"}, headers=h).status_code == 200
    assert c.post(progress_url(T_ZJ), headers=h, json={"status": "推进中"}).status_code == 403  # read only
    name, exp, sig = tk[3:].split(".")
    for bad in [f"tk_{name}.{int(exp) + 999}.{sig}", f"tk_{name}.{exp}.{'0' * len(sig)}", "tk_x.y.z",
                Accounts(acc.path).ticket(editor)]:  # another process's key
        assert c.get("/api/documents", headers={"Authorization": f"Bearer {bad}"}).status_code == 401, bad
    assert c.get("/api/documents", headers={"Authorization": f"Bearer {acc.ticket(editor, seconds=-1)}"}).status_code == 401
    acc.remove("editor")
    assert c.get("/api/documents", headers=h).status_code == 401
