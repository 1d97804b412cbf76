"""The 督办 tab: the tasks of a document or a unit (or the overdue list) with status badges (overdue in
red), a form to report progress (for roles that may; a reporter only on its unit's tasks), completion
bars per document and per unit, the .xlsx export, and the 版本 view of a re-issued plan's diff.

Calls kg.supervision (and kg.store.revisions) directly: the same functions the API routes use; the
signed-in user comes from Gradio's login (`request.username`), checked against the accounts."""
from __future__ import annotations

import tempfile
from datetime import date
from html import escape
from pathlib import Path

import gradio as gr
import pandas as pd

from kg.supervision import progress as P
from kg.supervision import sheets
from kg.supervision.accounts import Accounts, User

BADGE = {"未开始": "#868e96", "推进中": "#1c7ed6", "已完成": "#2f9e44", "长期推进": "#7048e8", "暂缓": "#e8590c"}
STYLE = """<style>
.kg-db td,.kg-db th{border:1px solid #d0d7de;padding:4px 8px;vertical-align:top;text-align:left;font-size:14px}
.kg-db{border-collapse:collapse;width:100%} .kg-db th{background:#f2f5f8}
.kg-db tr.kg-late td{background:#fff0f0} .kg-late-tag{color:#c92a2a;font-weight:600}
.kg-badge{display:inline-block;padding:0 8px;border-radius:9px;color:#fff;font-size:12px;white-space:nowrap}
</style>"""


def _user(accounts: Accounts | None, request: gr.Request | None) -> User | None:
    name = getattr(request, "username", None) if request is not None else None
    if accounts is None or not name:
        return None
    return accounts.get(name)


def badge(status: str | None) -> str:
    s = status or "未填报"
    return f"<span class='kg-badge' style='background:{BADGE.get(s, '#adb5bd')}'>{escape(s)}</span>"


def deadline_cell(deadlines: list[dict]) -> str:
    return escape(sheets.deadline_text(deadlines))


def ledger_html(rows: list[dict]) -> str:
    if not rows:
        return STYLE + "<div class='kg-empty'>（没有任务）</div>"
    out = [STYLE, "<table class='kg-db' id='kg-db-table'><tr><th>序号</th><th>任务</th><th>状态</th><th>牵头</th>"
                  "<th>责任</th><th>配合</th><th>时限</th><th>最新进展</th></tr>"]
    for t in rows:
        late = " <span class='kg-late-tag'>逾期</span>" if t["overdue"] else ""
        latest = t.get("latest") or {}
        prog = f"{escape(latest.get('date') or '')} {escape(latest.get('note') or '')}" if latest else ""
        out.append(
            f"<tr class='{'kg-late' if t['overdue'] else ''}' data-task='{escape(t['id'])}'>"
            f"<td>{escape((t.get('path') or t.get('number') or '').replace('/', ' / '))}</td>"
            f"<td>{escape((t.get('heading') or '')[:80])}</td><td>{badge(t.get('status'))}{late}</td>"
            f"<td>{escape('、'.join(t['lead']))}</td><td>{escape('、'.join(t['responsible']))}</td>"
            f"<td>{escape('、'.join(t['support']))}</td><td>{deadline_cell(t['deadlines'])}</td>"
            f"<td class='kg-db-progress'>{prog}</td></tr>")
    out.append("</table>")
    done = sum(1 for t in rows if t.get("status") == "已完成")
    late = sum(1 for t in rows if t["overdue"])
    out.append(f"<div class='kg-small'>共 {len(rows)} 项，已完成 {done} 项，逾期 {late} 项</div>")
    return "".join(out)


def diff_markdown(revs: list[dict]) -> str:
    if not revs:
        return "（该文件没有改版记录：只载入过一次，或再次载入时没有变化）"
    lines = []
    for d in revs:
        lines.append(f"**{d['at']}**：{d['old_tasks']} → {d['new_tasks']} 项任务，进展随任务迁移 {d['progress_moved']} 条")
        lines += [f"- ➕ 新增 {t['path']} {t['heading']}" for t in d["added"]]
        lines += [f"- ➖ 删除 {t['path']} {t['heading']}" + (f"（保留 {t['reports']} 条进展）" if t["reports"] else "")
                  for t in d["dropped"]]
        lines += [f"- ✏️ 改写 {t['old_path']} → {t['path']}：~~{(t['old_text'] or '')[:60]}~~ → {(t['text'] or '')[:60]}"
                  for t in d["reworded"]]
        lines += [f"- 🔀 单位 {t['path']}：+{'、'.join(t['added']) or '—'}　−{'、'.join(t['removed']) or '—'}"
                  for t in d["units"]]
    return "\n".join(lines)


def build_tab(svc, accounts: Accounts | None) -> dict:
    """Lay out the tab inside an open gr.Tabs; `svc()` gives the Service (for its store)."""

    def store():
        return svc().store

    def select(doc_id, unit, overdue, asof_text):
        asof = (asof_text or "").strip() or date.today().isoformat()
        try:
            asof = P.check_date(asof, today=date(9999, 1, 1))
        except P.ProgressError as exc:
            return STYLE + f"<div class='kg-empty'>⚠️ {escape(exc.message)}</div>", gr.update(choices=[]), [], asof
        if not (doc_id or unit or overdue):
            return (STYLE + "<div class='kg-empty'>请选择文件或单位，或勾选“只看逾期”。</div>",
                    gr.update(choices=[], value=None), [], asof)
        ids = P.task_ids(store(), doc_id=doc_id or None, unit=None if doc_id else unit or None, overdue=overdue,
                         asof=asof)
        rows = P.ledger(store(), ids, asof=asof)
        opts = [(f"{(t.get('path') or '').replace('/', ' / ')} {(t.get('heading') or '')[:30]}", t["id"]) for t in rows]
        return ledger_html(rows), gr.update(choices=opts, value=None), ids, asof

    def submit(task_id, status, note, day, doc_id, unit, overdue, asof_text, request: gr.Request):
        user = _user(accounts, request)
        if accounts is not None and accounts.any_user() and user is None:
            return "⚠️ 请先登录", gr.update(), gr.update(), gr.update(), gr.update()
        if not task_id:
            return "⚠️ 请先选择任务", gr.update(), gr.update(), gr.update(), gr.update()
        try:
            row = P.report(store(), task_id, P.Report(status or "", note or "", (day or "").strip() or None), user,
                           source="ui")
        except P.ProgressError as exc:
            return f"⚠️ {exc.message}", gr.update(), gr.update(), gr.update(), gr.update()
        if accounts is not None:
            accounts.audit(user.name if user else None, "progress", task_id,
                           {"status": row["status"], "date": row["date"], "note": row["note"][:200],
                            "progress_id": row["id"], "via": "ui"})
        html, _, ids, asof = select(doc_id, unit, overdue, asof_text)
        return f"✓ 已记录：{row['date']} {row['status']} {row['note']}", html, ids, *completion_plots()

    def export(ids, asof):
        if not ids:
            return gr.update(value=None, visible=False)
        data = sheets.export_xlsx(store(), ids, asof=asof or None)
        path = Path(tempfile.mkdtemp(prefix="policykg-")) / "督办台账.xlsx"
        path.write_bytes(data)
        return gr.update(value=str(path), visible=True)

    def completion_plots():
        docs = P.completion(store(), by="doc")
        units = P.completion(store(), by="unit")[:20]
        d = pd.DataFrame([{"文件": (r["title"] or r["key"])[:20], "完成率": r["rate"] * 100} for r in docs],
                         columns=["文件", "完成率"])
        u = pd.DataFrame([{"单位": r["key"][:14], "完成率": r["rate"] * 100} for r in units], columns=["单位", "完成率"])
        return d, u

    def versions(doc_id):
        if not doc_id:
            return "请选择文件"
        from kg.store.revisions import revisions

        return diff_markdown(revisions(store(), doc_id))

    def whoami(request: gr.Request):
        user = _user(accounts, request)
        if user is None:
            return "未登录（本机使用，无需账号）" if not (accounts and accounts.any_user()) else "⚠️ 未登录"
        can = "可填报任何任务" if user.role in ("admin", "editor") else (
            f"可填报 {user.unit} 的任务" if user.role == "reporter" else "只读")
        return f"当前用户：{user.name}（{user.role}{'，' + user.unit if user.unit else ''}）— {can}"

    with gr.Tab("督办", id="tab-duban", elem_id="tab-duban"):
        who = gr.Markdown(elem_id="kg-db-user")
        with gr.Row():
            db_doc = gr.Dropdown(label="文件", choices=[], filterable=True, scale=3, elem_id="kg-db-doc")
            db_unit = gr.Dropdown(label="或单位", choices=[], filterable=True, scale=3, elem_id="kg-db-unit")
            db_late = gr.Checkbox(label="只看逾期", value=False, scale=1, elem_id="kg-db-late")
            db_asof = gr.Textbox(label="截至日期 YYYY-MM-DD", value="", scale=2, elem_id="kg-db-asof")
            db_btn = gr.Button("显示", variant="primary", scale=1, elem_id="kg-db-show")
        db_table = gr.HTML(elem_id="kg-db-out")
        ids_state, asof_state = gr.State([]), gr.State("")
        with gr.Row():
            db_export = gr.Button("导出台账 .xlsx", elem_id="kg-db-export")
            db_file = gr.File(label="台账", visible=False, elem_id="kg-db-file")
        with gr.Accordion("填报进展", open=True, elem_id="kg-db-form"):
            with gr.Row():
                f_task = gr.Dropdown(label="任务", choices=[], filterable=True, scale=4, elem_id="kg-db-task")
                f_status = gr.Radio(list(P.STATUSES), label="状态", value="推进中", scale=4, elem_id="kg-db-status")
            with gr.Row():
                f_note = gr.Textbox(label="进展说明", max_length=P.MAX_NOTE, scale=5, elem_id="kg-db-note")
                f_date = gr.Textbox(label="进展日期 YYYY-MM-DD（默认今天）", scale=2, elem_id="kg-db-date")
                f_btn = gr.Button("提交", variant="primary", scale=1, elem_id="kg-db-submit")
            f_msg = gr.Markdown(elem_id="kg-db-msg")
        with gr.Row():
            c_doc = gr.BarPlot(x="文件", y="完成率", label="各文件完成率（%）", height=300, y_lim=[0, 100])
            c_unit = gr.BarPlot(x="单位", y="完成率", label="各单位完成率（%，任务最多的 20 个）", height=300,
                                y_lim=[0, 100], x_label_angle=-40)
        with gr.Accordion("版本：改版前后的差异", open=False, elem_id="kg-db-versions"):
            v_btn = gr.Button("显示所选文件的改版记录", elem_id="kg-db-diff-btn")
            v_out = gr.Markdown(elem_id="kg-db-diff")

        sel_in = [db_doc, db_unit, db_late, db_asof]
        sel_out = [db_table, f_task, ids_state, asof_state]
        db_btn.click(select, sel_in, sel_out)
        db_doc.input(select, sel_in, sel_out)
        db_unit.input(select, sel_in, sel_out)
        f_btn.click(submit, [f_task, f_status, f_note, f_date, *sel_in], [f_msg, db_table, ids_state, c_doc, c_unit])
        db_export.click(export, [ids_state, asof_state], db_file)
        v_btn.click(versions, db_doc, v_out)
    return {"doc": db_doc, "unit": db_unit, "who": who, "whoami": whoami, "plots": (completion_plots, [c_doc, c_unit])}
