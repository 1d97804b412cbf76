"""HTML fragments the Gradio app shows: the answer table with expandable evidence, trace trees,
the network frame. Pure functions over the API's dicts; every value is escaped."""
from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from kg.roles import ROLE_CN  # the one role vocabulary (keys and relationship types)
LEVEL_CN = {"national": "国家", "province": "省", "city": "市", "county": "县", "township": "乡镇", "zone": "园区"}

# answer row keys shown as columns, in this order, with their Chinese header
COLUMNS = [
    ("number", "编号"), ("heading", "任务"), ("unit", "单位"), ("name", "单位"), ("units", "单位"),
    ("roles", "角色"), ("role", "角色"), ("leads", "牵头数"), ("tasks", "任务数"), ("partner", "合作单位"),
    ("shared", "共同任务"), ("indicator", "指标"), ("op", "比较"), ("value", "数值"), ("year", "年份"),
    ("deadline", "时限"), ("deadlines", "时限"), ("date", "日期"), ("kind", "类型"),
    ("title", "文件"), ("doc_no", "文号"), ("issuer", "发文机关"), ("level", "层级"), ("depth", "层数"),
    ("aligned_heading", "对应上级任务"), ("score", "相似度"), ("text", "内容"),
]
HIDDEN = {"evidence", "start", "end", "ev_start", "ev_end", "ev_text", "task_id", "doc_id", "path"}
STYLE = """
<style>
.kg-table{border-collapse:collapse;width:100%;font-size:14px}
.kg-table th,.kg-table td{border:1px solid #d0d7de;padding:4px 8px;vertical-align:top;text-align:left}
.kg-table th{background:#f2f5f8}
.kg-table details summary{cursor:pointer;color:#0b5cad;white-space:nowrap}
.kg-quote{margin:4px 0;padding:4px 8px;border-left:3px solid #8fb3de;background:#f7f9fc;white-space:pre-wrap}
.kg-src{color:#666;font-size:12px}
.kg-tree ul{list-style:none !important;margin:0 0 0 1.4em !important;padding-left:.8em !important;border-left:1px dashed #aab}
.kg-tree>ul{margin-left:0 !important;border-left:none;padding-left:0 !important}
.kg-tree li{margin:6px 0;list-style:none !important;font-size:14px !important}
.kg-tree li::marker{content:""}
.kg-mark{color:#4a6fa5;margin-right:4px}
.kg-doc{font-weight:600}
.kg-stub{color:#888;font-weight:400}
.kg-tag{display:inline-block;font-size:12px;padding:0 6px;border-radius:8px;background:#e7eefa;color:#234;margin-left:4px}
.kg-top{background:#fff3bf}
.kg-aligned{color:#2b6a2b}
.kg-empty{color:#777;padding:8px}
</style>"""


def _fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        return "、".join(ROLE_CN.get(str(x), str(x)) for x in v if x not in (None, ""))
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def evidence_html(evidence: list[dict] | dict | None, open_: bool = False) -> str:
    if not evidence:
        return ""
    items = evidence if isinstance(evidence, list) else [evidence]
    parts = []
    for e in items:
        if not e:
            continue
        src = " ".join(x for x in [f"《{e['title']}》" if e.get("title") else "", e.get("doc_no") or ""] if x) \
            or e.get("doc_id", "")
        parts.append(f'<div class="kg-quote">{escape(e.get("quote") or "")}</div>'
                     f'<div class="kg-src">{escape(src)} · 字符 {e.get("start")}–{e.get("end")}</div>')
    if not parts:
        return ""
    return (f'<details class="kg-ev"{" open" if open_ else ""}><summary>依据（{len(parts)}）</summary>'
            + "".join(parts) + "</details>")


def _cell(row: dict, key: str, present: list) -> str:
    """A cell's text: a task is numbered by its whole path (三、/（一）/2.), not its last marker only, and
    a deadline phrase shows its normalised date beside it (so no separate 日期 column then)."""
    if key == "number" and row.get("path"):
        return str(row["path"])
    if key == "deadline" and row.get("date"):
        text = _fmt(row.get("deadline"))
        return text if str(row["date"]) in text else f"{text}（{row['date']}）"
    return _fmt(row.get(key))


def answer_table(result: dict | None) -> str:
    """The rows of an /api/ask answer as an HTML table; each row's evidence folds open."""
    if not result:
        return ""
    rows = result.get("answers") or []
    if not rows:
        return STYLE + '<div class="kg-empty">没有找到结果。</div>'
    present = []
    seen_headers = set()
    for key, header in COLUMNS:
        if any(r.get(key) not in (None, "", []) for r in rows) and header not in seen_headers:
            present.append((key, header))
            seen_headers.add(header)
    if any(k == "deadline" for k, _ in present):
        present = [(k, h) for k, h in present if k != "date"]
    need_doc = not any(k in ("title", "doc_no") for k, _ in present)
    head = "".join(f"<th>{escape(h)}</th>" for _, h in present)
    if need_doc:
        head += "<th>文件</th>"
    head += "<th>依据</th>"
    body = []
    for r in rows:
        cells = [f"<td>{escape(_cell(r, k, present))}</td>" for k, _ in present]
        if need_doc:
            ev = (r.get("evidence") or [{}])[0] or {}
            doc = ev.get("title") or ev.get("doc_no") or r.get("doc_id") or ""
            cells.append(f"<td>{escape(_fmt(doc))}</td>")
        cells.append(f"<td>{evidence_html(r.get('evidence'))}</td>")
        tid = r.get("task_id")
        attr = f' data-task-id="{escape(tid)}"' if tid else ""
        body.append(f"<tr{attr}>{''.join(cells)}</tr>")
    return (STYLE + f'<table class="kg-table" id="kg-answer-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def _doc_label(d: dict) -> str:
    title = d.get("title")
    no = d.get("doc_no")
    if title and no:
        return f"《{title}》（{no}）"
    return f"《{title}》" if title else (no or d.get("doc_id") or "")


def _doc_line(d: dict, highest: str | None = None) -> str:
    tags = []
    if d.get("level"):
        tags.append(LEVEL_CN.get(d["level"], d["level"]))
    if d.get("issuer"):
        tags.append(d["issuer"])
    if d.get("date"):
        tags.append(str(d["date"]))
    tag_html = "".join(f'<span class="kg-tag">{escape(t)}</span>' for t in tags)
    cls = "kg-doc kg-top" if highest and d.get("doc_id") == highest else "kg-doc"
    stub = '<span class="kg-stub">（仅被引用，未入库）</span>' if d.get("stub") else ""
    top = '<span class="kg-tag">最高层级已入库文件</span>' if highest and d.get("doc_id") == highest else ""
    return f'<span class="kg-mark">◆</span><span class="{cls}">{escape(_doc_label(d))}</span>{stub}{tag_html}{top}'


def _aligned_html(tasks: list[dict]) -> str:
    out = []
    for a in tasks or []:
        score = f"（相似度 {a['score']:.2f}）" if isinstance(a.get("score"), (int, float)) else ""
        out.append(f'<li class="kg-aligned">↳ 对应任务：{escape((a.get("number") or "") + (a.get("heading") or ""))}'
                   f"{escape(score)}{evidence_html(a.get('evidence'))}</li>")
    return "".join(out)


def _trace_node(n: dict, highest: str | None) -> str:
    inner = _aligned_html(n.get("aligned_tasks"))
    parents = "".join(_trace_node(p, highest) for p in n.get("parents") or [])
    if parents:
        inner += f"<li>⬆ 依据<ul>{parents}</ul></li>"
    return f"<li>{_doc_line(n, highest)}" + (f"<ul>{inner}</ul>" if inner else "") + "</li>"


def trace_html(trace: dict | None, task: dict | None = None) -> str:
    """Tree from a task (or document) up through the documents it implements."""
    if not trace:
        return STYLE + '<div class="kg-empty">没有溯源信息。</div>'
    highest = (trace.get("highest") or {}).get("doc_id")
    head = ""
    if task:
        units = "、".join(f"{u['name']}（{ROLE_CN.get(u['role'], u['role'])}）" for u in task.get("units") or [])
        dls = "；".join(d.get("text") or "" for d in task.get("deadlines") or [])
        head = (f'<div><b>任务 {escape(task.get("number") or "")} {escape(task.get("heading") or "")}</b></div>'
                + (f"<div>单位：{escape(units)}</div>" if units else "")
                + (f"<div>时限：{escape(dls)}</div>" if dls else "")
                + evidence_html(task.get("evidence"), open_=True))
    top = trace.get("highest") or {}
    summary = f'<div style="margin:6px 0">最高层级已入库文件：<b>{escape(_doc_label(top))}</b></div>' if top else ""
    tree = f'<div class="kg-tree"><ul>{_trace_node(trace["tree"], highest)}</ul></div>'
    return STYLE + head + summary + tree


def children_html(tree: dict | None) -> str:
    if not tree or not tree.get("children"):
        return ""

    def node(n):
        kids = "".join(node(c) for c in n.get("children") or [])
        return f"<li>{_doc_line(n)}" + (f"<ul>{kids}</ul>" if kids else "") + "</li>"

    kids = "".join(node(c) for c in tree["children"])
    return f'<div style="margin-top:12px"><b>落实本文件的下级方案</b></div><div class="kg-tree"><ul>{kids}</ul></div>'


def document_html(doc: dict) -> str:
    tasks = doc.get("tasks") or []
    rows = "".join(f"<tr><td>{escape(t.get('number') or '')}</td><td>{escape(t.get('heading') or '')}</td>"
                   f"<td>{escape('、'.join(t.get('units') or []))}</td></tr>" for t in tasks[:300])
    table = (f'<div style="margin-top:12px"><b>本文件任务（{len(tasks)}）</b></div>'
             f'<table class="kg-table"><thead><tr><th>编号</th><th>任务</th><th>单位</th></tr></thead>'
             f"<tbody>{rows}</tbody></table>") if tasks else ""
    return trace_html(doc.get("trace")) + children_html(doc.get("children_tree")) + table


def network_frame(unit: str | None = None, doc_id: str | None = None, height: int = 640,
                  ticket: str | None = None) -> str:
    """Neither unit nor document: the units with the most tasks (what the tab opens on). `ticket`: the
    read-only token the page sends to /api when accounts are on."""
    q = urlencode({**({"unit": unit} if unit else {"doc_id": doc_id} if doc_id else {}),
                   **({"ticket": ticket} if ticket else {})})
    return (f'<iframe id="kg-network-frame" src="/network{"?" + escape(q) if q else ""}" '
            f'style="width:100%;height:{height}px;border:1px solid #d0d7de;border-radius:6px" '
            f'title="责任网络"></iframe>')
