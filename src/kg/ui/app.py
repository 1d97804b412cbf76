"""Gradio app (Chinese labels) mounted in the FastAPI app: 问答, 溯源, 责任网络, 上传, 概览, 督办.

It calls the same `kg.service.Service` the HTTP routes use, in-process (ui/ never imports api/).
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable

import gradio as gr
import pandas as pd

from kg.errors import ApiError
from kg.service import Service, supported_extensions

from . import duban, render

EXAMPLES = ["矿区环保中队负责哪些任务", "这个任务的截止时间呢？", "谁牵头燃煤锅炉拆改？", "2019年10月底前要完成什么？",
            "这个方案依据哪个上级文件？", "哪些单位任务最多？", "哪些任务没有牵头单位？"]
CSS = """
#kg-title h2 {margin-bottom: 0}
.kg-small {font-size: 12px; color: #666}
"""


def _err(exc: Exception) -> str:
    if isinstance(exc, ApiError):
        return f"⚠️ {exc.message}"
    return f"⚠️ 出错：{type(exc).__name__}: {exc}"


def _parse_day(text: str | None) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise ApiError(422, "bad_date", f"日期格式应为 YYYY-MM-DD：{text}", f"date must be YYYY-MM-DD: {text}")


def _chat_text(res: dict, max_lines: int = 8) -> str:
    """The answer text for the chat bubble; long lists are cut, the table below has every row."""
    lines = (res.get("text") or "（没有回答）").splitlines()
    if len(lines) > max_lines:
        lines = lines[:max_lines] + [f"……（共 {len(res.get('answers') or [])} 行，见下方结果表）"]
    return "\n".join(lines)


def _flat_counts(stats: dict) -> dict[str, int]:
    out = {}
    for group, label in (("nodes", "节点"), ("relationships", "关系"), ("documents", "文件")):
        for k, v in (stats.get(group) or {}).items():
            if isinstance(v, (int, float)):
                out[f"{label} {k}"] = int(v)
    if not out:  # a store reporting flat counts
        out = {k: int(v) for k, v in stats.items() if isinstance(v, (int, float))}
    return out


def _counts_table(before: dict, after: dict | None) -> pd.DataFrame:
    b = _flat_counts(before)
    if after is None:
        return pd.DataFrame([[k, v] for k, v in b.items()], columns=["类别", "库中数量"])
    a = _flat_counts(after)
    keys = list(dict.fromkeys(list(b) + list(a)))
    return pd.DataFrame([[k, b.get(k, 0), a.get(k, 0), a.get(k, 0) - b.get(k, 0)] for k in keys],
                        columns=["类别", "入库前", "入库后", "变化"])


def examples_from_graph(s: Service) -> list[str]:
    """Example questions naming what is loaded (the busiest unit, a task with a deadline and its month);
    the fixed EXAMPLES when the graph is empty or cannot be read."""
    try:  # two small reads: the head of the workload ranking and one index lookup (not every unit and deadline)
        units = [u for u in s.busiest_units(1) if u["n"] > 0]
        r = s.dated_task()
    except Exception:
        return EXAMPLES
    if not units:
        return EXAMPLES
    out = [f"{units[0]['name']}负责哪些任务", "这个任务的截止时间呢？"]
    if r and r.get("heading") and r.get("date"):
        out.append(f"谁负责{r['heading'][:14].rstrip('，。；,;')}？")
        y, mth = r["date"][:4], int(r["date"][5:7])
        out.append(f"{y}年{mth}月底前要完成什么？")
    out += ["这个方案依据哪个上级文件？", "哪些单位任务最多？", "哪些任务没有牵头单位？", f"{units[0]['name']}还有哪些任务没完成"]
    return out


def _doc_choice(d: dict) -> tuple[str, str]:
    label = d.get("title") or d.get("doc_no") or d["doc_id"]
    if d.get("doc_no") and d.get("title"):
        label = f"{d['title']}（{d['doc_no']}）"
    if d.get("stub"):
        label += "〔未入库〕"
    return label, d["doc_id"]


def build_ui(get_service: Callable[[], Service], accounts=None) -> gr.Blocks:
    """`accounts` (kg.supervision.accounts.Accounts): who may load plans and report progress; the
    signed-in user is Gradio's `request.username` (the login page is set up in kg.api.app)."""
    def svc() -> Service:
        return get_service()

    def may(request, permission: str) -> bool:
        if accounts is None or not accounts.any_user():
            return True
        user = duban._user(accounts, request)
        return user is not None and user.may(permission)

    # ---------------------------------------------------------------- callbacks: choices
    def choices():
        s = svc()
        units = [u["name"] for u in s.units() if u["tasks"] > 0]
        documents = s.documents()
        docs = [_doc_choice(d) for d in documents]
        loaded_docs = [_doc_choice(d) for d in documents if not d["stub"]]
        return units, docs, loaded_docs

    def refresh_choices():
        try:
            units, docs, loaded = choices()
        except Exception:
            units, docs, loaded = [], [], []
        return (gr.update(choices=docs), gr.update(choices=units), gr.update(choices=loaded))

    # ---------------------------------------------------------------- 问答
    def ask(question, history, ctx, today_text):
        history = list(history or [])
        question = (question or "").strip()
        if not question:
            return history, ctx, "", "", {}, gr.update()
        history.append({"role": "user", "content": question})
        try:
            res = svc().ask(question, today=_parse_day(today_text), context=ctx or None)
        except Exception as exc:
            history.append({"role": "assistant", "content": _err(exc)})
            return history, ctx, "", "", {}, ""
        history.append({"role": "assistant", "content": _chat_text(res)})
        cypher = res.get("cypher") or ""
        return (history, res.get("context") or {}, render.answer_table(res), cypher,
                {"intent": res.get("intent"), "params": res.get("params")}, "")

    def new_chat():
        return [], {}, "", "", {}, ""

    # ---------------------------------------------------------------- 溯源
    def doc_tasks(doc_id):
        if not doc_id:
            return gr.update(choices=[], value=None)
        try:
            d = svc().document(doc_id)
        except Exception:
            return gr.update(choices=[], value=None)
        opts = [(f"{t.get('number') or ''} {(t.get('heading') or '')[:40]}".strip(), t["task_id"]) for t in d["tasks"]]
        return gr.update(choices=opts, value=None)

    def find_tasks(text, doc_id):
        return svc().find_tasks((text or "").strip(), doc_id or None)

    def trace(doc_id, task_id, task_text):
        s = svc()
        try:
            if task_text and task_text.strip():
                rows = find_tasks(task_text, doc_id)
                if not rows:
                    return f'<div class="kg-empty">没有找到包含“{render.escape(task_text.strip())}”的任务。</div>', gr.update()
                opts = [(f"{r.get('number') or ''} {(r.get('heading') or '')[:40]}".strip(), r["id"]) for r in rows[:50]]
                t = s.task(rows[0]["id"])
                note = (f'<div class="kg-small">找到 {len(rows)} 项任务，显示第一项；可在“任务”下拉框里换一项。</div>'
                        if len(rows) > 1 else "")
                return note + render.trace_html(t.get("trace"), task=t), gr.update(choices=opts, value=rows[0]["id"])
            if task_id:
                t = s.task(task_id)
                return render.trace_html(t.get("trace"), task=t), gr.update()
            if doc_id:
                return render.document_html(s.document(doc_id)), gr.update()
            return '<div class="kg-empty">请选择文件，或选择/输入一项任务。</div>', gr.update()
        except Exception as exc:
            return f'<div class="kg-empty">{render.escape(_err(exc))}</div>', gr.update()

    def trace_task(doc_id, task_id):
        if not task_id:
            return gr.update()
        return trace(doc_id, task_id, "")[0]

    # ---------------------------------------------------------------- 责任网络
    def ticket(request) -> str | None:
        user = duban._user(accounts, request)
        return accounts.ticket(user) if user is not None else None

    def network(unit, doc_id, request: gr.Request):
        return render.network_frame(unit=unit or None, doc_id=None if unit else (doc_id or None),
                                    ticket=ticket(request))

    def network_unit(unit, request: gr.Request):
        return render.network_frame(unit=unit, ticket=ticket(request)) if unit else gr.update()

    def network_doc(doc_id, request: gr.Request):
        return render.network_frame(doc_id=doc_id, ticket=ticket(request)) if doc_id else gr.update()

    def network_start(request: gr.Request):  # open on the busiest units
        return render.network_frame(ticket=ticket(request))

    # ---------------------------------------------------------------- 上传
    def _files(paths) -> list[tuple[str, bytes]]:
        out = []
        for p in paths or []:
            path = Path(p if isinstance(p, str) else getattr(p, "name", p))
            out.append((path.name, path.read_bytes()))
        return out

    def _upload_tables(res: dict, after: bool):
        s = svc()
        summary, tasks, warns = [], [], []
        for f in res["files"]:
            if not f.get("ok"):
                summary.append([f["file"], "✗ " + (f.get("error") or "失败"), "", "", 0, 0, 0, 0])
                continue
            p = f["plan"]
            status = ("✓ 已入库" if f.get("loaded") is not None else "✓ 已处理") if after else "预览（未入库）"
            c = p["counts"]
            summary.append([f["file"], status, p.get("title") or "", p.get("doc_no") or "", c["tasks"], c["units"],
                            c["deadlines"], len(p.get("warnings") or [])])
            for w in p.get("warnings") or []:
                warns.append(f"- **{f['file']}**：{w}")
            if after:  # read back what the graph now holds for this document
                try:
                    stored = s.document(p["doc_id"])
                    due = {t["id"]: "；".join(t["deadlines"]) for t in p["tasks"]}
                    for t in stored["tasks"]:
                        tasks.append([f["file"], t.get("number") or "", t.get("heading") or "",
                                      "、".join(t.get("units") or []), due.get(t["task_id"], "")])
                    continue
                except Exception:
                    pass
            for t in p["tasks"]:
                tasks.append([f["file"], t.get("number") or "", t.get("heading") or "", "、".join(t["units"]),
                              "；".join(t["deadlines"])])
        cols1 = ["文件", "状态", "标题", "文号", "任务数", "单位数", "时限数", "警告数"]
        cols2 = ["文件", "编号", "任务", "单位（图中）" if after else "单位（角色）", "时限"]
        counts = _counts_table(res.get("stats_before") or {}, res.get("stats_after") if after else None)
        return (pd.DataFrame(summary, columns=cols1), pd.DataFrame(tasks, columns=cols2),
                "\n".join(warns) or "（没有警告）", counts)

    def upload(paths, dry_run: bool, request: gr.Request | None = None):
        files = _files(paths)
        if not files:
            return (pd.DataFrame(), pd.DataFrame(), "⚠️ 请先选择文件", pd.DataFrame(), *refresh_choices())
        if not dry_run and not may(request, "load"):
            return (pd.DataFrame(), pd.DataFrame(), "⚠️ 只有 editor 或 admin 可以入库", pd.DataFrame(),
                    *refresh_choices())
        try:
            res = svc().upload(files, dry_run=dry_run)
        except ApiError as exc:
            res = {"files": (exc.detail or {}).get("files") or [], "stats_before": {}, "stats_after": {}}
            t1, t2, _, counts = _upload_tables(res, after=False)
            return t1, t2, f"⚠️ {exc.message}（未入库）", counts, *refresh_choices()
        t1, t2, warns, counts = _upload_tables(res, after=not dry_run)
        if accounts is not None and not dry_run:
            user = duban._user(accounts, request)
            for r in res["files"]:
                loaded = r.get("loaded")
                if loaded:
                    accounts.audit(user.name if user else None, "reload" if loaded.get("reloaded") else "load",
                                   loaded.get("doc_id"), {"file": r["file"], "tasks": loaded.get("tasks"),
                                                          "revision": loaded.get("revision"), "via": "ui"})
        return t1, t2, warns, counts, *refresh_choices()

    # ---------------------------------------------------------------- 概览
    def overview(asof_text):
        s = svc()
        try:
            asof = _parse_day(asof_text) or date.today()
        except ApiError as exc:
            return (pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), pd.DataFrame(),
                    exc.message)
        an = s.analytics(top=30)
        bars = []
        for u in an["unit_load"]:
            for key, role in (("lead", "牵头"), ("responsible", "责任"), ("support", "配合")):
                bars.append({"单位": u["unit"], "角色": role, "任务数": u[key]})
        dl = s.deadlines()
        points = [{"日期": pd.Timestamp(r["date"]), "文件": (r["document"] or "")[:24],
                   "任务": f"{r.get('number') or ''}{(r.get('heading') or '')[:30]}", "时限": r.get("deadline"),
                   "状态": "已逾期" if r["date"] < asof.isoformat() and r.get("kind") in ("by", "range") else "未到期"}
                  for r in dl]
        od = s.overdue(asof)
        od_df = pd.DataFrame([[r.get("date"), r.get("deadline"), f"{r.get('number') or ''}{r.get('heading') or ''}",
                               r.get("document")] for r in od], columns=["截止日期", "时限原文", "任务", "文件"])
        nl = an["tasks_without_lead"]
        nl_df = pd.DataFrame([[f"{r.get('number') or ''}{r.get('heading') or ''}", "、".join(r.get("units") or []),
                               r.get("doc_id")] for r in nl["tasks"]], columns=["任务", "责任/配合单位", "文件"])
        links = pd.DataFrame([[x["a"], x["b"], x["shared_tasks"]] for x in an["network"]["strongest_links"]],
                             columns=["单位甲", "单位乙", "共同任务数"])
        central = pd.DataFrame([[c["unit"], c["partners"], c["shared_tasks"], c["betweenness"]]
                                for c in an["centrality"]], columns=["单位", "合作单位数", "共同任务数", "中介中心度"])
        net = an["network"]
        note = (f"截至 {asof.isoformat()}：{len(od)} 项任务已过时限且未完成；{nl['count']} 项任务没有牵头单位；"
                f"协同网络 {net['nodes']} 个单位、{net['edges']} 条协同关系、{net['components']} 个连通块。")
        try:
            from kg.supervision.progress import completion

            docs = completion(s.store, by="doc")
            total, done, reported = (sum(r[k] for r in docs) for k in ("tasks", "done", "reported"))
            note += f"进展：{done}/{total} 项任务已完成，{reported} 项有填报（详见“督办”）。"
        except Exception:
            pass
        bar_df = pd.DataFrame(bars, columns=["单位", "角色", "任务数"])
        pts_df = pd.DataFrame(points, columns=["日期", "文件", "任务", "时限", "状态"])
        return bar_df, pts_df, od_df, nl_df, links, central, note

    # ---------------------------------------------------------------- layout
    with gr.Blocks(title="政策实施方案知识图谱") as demo:
        gr.Markdown("## 政策实施方案知识图谱\n<span class='kg-small'>问答 · 溯源 · 责任网络 · 上传 · 概览　|　"
                    "<a href='/docs' target='_blank'>API 文档</a></span>", elem_id="kg-title")
        with gr.Tabs():
            with gr.Tab("问答", id="tab-ask", elem_id="tab-ask"):
                chat = gr.Chatbot(label="对话", height=280, elem_id="kg-chat")
                with gr.Row():
                    question = gr.Textbox(label="问题", placeholder="例如：矿区环保中队负责哪些任务？", scale=6,
                                          max_length=500, elem_id="kg-question")
                    ask_btn = gr.Button("提问", variant="primary", scale=1, elem_id="kg-ask")
                    new_btn = gr.Button("新对话", scale=1, elem_id="kg-new")
                with gr.Accordion("提问日期（用于“逾期”“下个月”等，默认今天）", open=False):
                    today_box = gr.Textbox(label="日期 YYYY-MM-DD", value="", elem_id="kg-today")
                try:
                    examples = examples_from_graph(svc())
                except Exception:  # no store yet: the fixed ones
                    examples = EXAMPLES
                gr.Examples(examples, inputs=question, label="示例问题")
                gr.Markdown("**结果**（点“依据”展开原文）")
                table = gr.HTML(elem_id="kg-answer")
                with gr.Accordion("Cypher 查询", open=False, elem_id="kg-cypher-box"):
                    cypher = gr.Code(label="Cypher", language=None, elem_id="kg-cypher")
                    qinfo = gr.JSON(label="意图与参数")
                ctx = gr.State({})
                outs = [chat, ctx, table, cypher, qinfo, question]
                ask_btn.click(ask, [question, chat, ctx, today_box], outs)
                question.submit(ask, [question, chat, ctx, today_box], outs)
                new_btn.click(new_chat, None, outs)

            with gr.Tab("溯源", id="tab-trace", elem_id="tab-trace"):
                with gr.Row():
                    tr_doc = gr.Dropdown(label="文件", choices=[], filterable=True, scale=3, elem_id="kg-trace-doc")
                    tr_task = gr.Dropdown(label="任务（选定文件后可选）", choices=[], filterable=True, scale=3,
                                          elem_id="kg-trace-task")
                with gr.Row():
                    tr_text = gr.Textbox(label="或输入任务关键词 / 任务ID", placeholder="例如：燃煤锅炉", scale=5,
                                         elem_id="kg-trace-text")
                    tr_btn = gr.Button("溯源", variant="primary", scale=1, elem_id="kg-trace-btn")
                tr_out = gr.HTML(elem_id="kg-trace-out")
                tr_doc.change(doc_tasks, tr_doc, tr_task)
                tr_btn.click(trace, [tr_doc, tr_task, tr_text], [tr_out, tr_task])
                tr_text.submit(trace, [tr_doc, tr_task, tr_text], [tr_out, tr_task])
                tr_task.input(trace_task, [tr_doc, tr_task], tr_out)

            with gr.Tab("责任网络", id="tab-network", elem_id="tab-network"):
                with gr.Row():
                    nw_unit = gr.Dropdown(label="单位", choices=[], filterable=True, scale=3, elem_id="kg-net-unit")
                    nw_doc = gr.Dropdown(label="或文件", choices=[], filterable=True, scale=3, elem_id="kg-net-doc")
                    nw_btn = gr.Button("显示网络", variant="primary", scale=1, elem_id="kg-net-btn")
                gr.Markdown("<span class='kg-small'>橙红＝牵头，蓝＝责任，绿色虚线＝配合；滚轮缩放，点击节点查看详情，"
                            "双击单位切换中心。</span>")
                nw_out = gr.HTML(elem_id="kg-net-out")
                nw_btn.click(network, [nw_unit, nw_doc], nw_out)
                nw_unit.input(network_unit, nw_unit, nw_out)
                nw_doc.input(network_doc, nw_doc, nw_out)

            with gr.Tab("上传", id="tab-upload", elem_id="tab-upload"):
                gr.Markdown(f"上传方案文件（{' '.join(supported_extensions())}）。先“预览”看抽取结果，确认后“入库”。")
                up_files = gr.File(label="方案文件", file_count="multiple", file_types=supported_extensions(),
                                   elem_id="kg-up-files")
                with gr.Row():
                    up_preview = gr.Button("预览（不入库）", elem_id="kg-up-preview")
                    up_load = gr.Button("入库", variant="primary", elem_id="kg-up-load")
                up_summary = gr.Dataframe(label="文件", interactive=False, elem_id="kg-up-summary")
                up_warn = gr.Markdown(elem_id="kg-up-warn")
                up_tasks = gr.Dataframe(label="抽取的任务", interactive=False, max_height=420, elem_id="kg-up-tasks")
                up_counts = gr.Dataframe(label="库中数量", interactive=False, max_height=360, elem_id="kg-up-counts")

            with gr.Tab("概览", id="tab-overview", elem_id="tab-overview"):
                with gr.Row():
                    ov_asof = gr.Textbox(label="截至日期 YYYY-MM-DD", value=date.today().isoformat(), scale=3,
                                         elem_id="kg-ov-asof")
                    ov_btn = gr.Button("刷新", variant="primary", scale=1, elem_id="kg-ov-btn")
                ov_note = gr.Markdown()
                ov_bar = gr.BarPlot(x="单位", y="任务数", color="角色", label="各单位任务量（前 30）", x_label_angle=-40,
                                    sort="-y", height=360,
                                    color_map={"牵头": "#d9480f", "责任": "#1c7ed6", "配合": "#2f9e44"})
                ov_time = gr.ScatterPlot(x="日期", y="文件", color="状态", tooltip=["任务", "时限", "日期"],
                                         label="时限时间轴", height=320,
                                         color_map={"已逾期": "#e03131", "未到期": "#2f9e44"})
                ov_overdue = gr.Dataframe(label="已过时限的任务", interactive=False, max_height=360)
                ov_nolead = gr.Dataframe(label="没有牵头单位的任务（前 30）", interactive=False, max_height=300)
                with gr.Row():
                    ov_links = gr.Dataframe(label="协同最多的单位对（共同承担的任务）", interactive=False, max_height=360)
                    ov_central = gr.Dataframe(label="协同网络中的关键单位", interactive=False, max_height=360)
                ov_outs = [ov_bar, ov_time, ov_overdue, ov_nolead, ov_links, ov_central, ov_note]
                ov_btn.click(overview, ov_asof, ov_outs)
                ov_asof.submit(overview, ov_asof, ov_outs)

            db = duban.build_tab(svc, accounts)

        def preview_files(p, request: gr.Request):
            return upload(p, True, request)

        def load_files(p, request: gr.Request):
            return upload(p, False, request)

        def duban_choices():
            try:
                units, _, loaded = choices()
            except Exception:
                units, loaded = [], []
            return gr.update(choices=loaded), gr.update(choices=units)

        up_outs = [up_summary, up_tasks, up_warn, up_counts, tr_doc, nw_unit, nw_doc]
        up_preview.click(preview_files, up_files, up_outs)
        up_load.click(load_files, up_files, up_outs)
        demo.load(refresh_choices, None, [tr_doc, nw_unit, nw_doc])
        demo.load(network_start, None, nw_out)
        demo.load(overview, ov_asof, ov_outs)
        demo.load(duban_choices, None, [db["doc"], db["unit"]])
        demo.load(db["whoami"], None, db["who"])
        demo.load(db["plots"][0], None, db["plots"][1])
    # Gradio runs one call per event at a time by default; staff ask in parallel
    demo.queue(default_concurrency_limit=8)
    return demo
