"""Answer a Chinese question from the graph: link entities, choose an intent, run its Cypher template
with parameters (user text never enters the Cypher), attach evidence quotes, write a short answer.

    answer(question, store, today=None, context=None) -> {
        question, intent, entities, cypher, params, answers: [{…row…, evidence: [...]}], text, context}
"""
from __future__ import annotations

import re
import time
from datetime import date

from kg.model import normalize_doc_no

from . import intents as intents_mod
from .linking import Lexicon, Linked, Match, lexicon_for, link
from .retrieval import search_tasks

ALL_RELS = ["LEADS", "RESPONSIBLE_FOR", "SUPPORTS"]
ROLE_CN = {"LEADS": "牵头", "RESPONSIBLE_FOR": "责任", "SUPPORTS": "配合"}
LIMIT = 200
QUOTE_MAX = 160

# words that carry the question's intent, not the task it is about
_TASK_STOP = sorted(set("""
那 它 那它 谁 谁来 谁负责 谁牵头 哪个 哪些 哪家 哪几个 什么 啥 单位 部门 牵头单位 责任单位 配合单位 牵头 负责 配合 参与 协助 主抓
由 是 的 了 吗 呢 啊 呀 吧 嘛 要 在 把 给 对 和 与 及 以及 这项 这个 该 此 这条 任务 工作 事 事项 一项 项
什么时候 何时 截止 时间 日期 期限 时限 完成 做完 干完 办完 多久 哪天 哪一天 几月 前 之前 底 月底 时间节点 节点 最后期限 截止时间 截止日期 完成时限
落实 贯彻 依据 根据 按照 上级 文件 方案 要求 来源 出处 对应 哪一条 哪条 条 上级文件 上级方案 上级依据 是根据 是依据
管 干 做 搞 抓 来 去 能 会 应该 应当 需要 请问 一下 告诉 我 我们 你 知道 有 没有 请 帮 查 查询 看看 看 说说
""".split()), key=len, reverse=True)
_TASK_STOP_RX = re.compile("|".join(re.escape(w) for w in _TASK_STOP))


def task_probe(text: str) -> str:
    s = re.sub(r"[?？!！,，。.、:：;；\"“”'‘’()（）《》\s]", " ", text)
    s = _TASK_STOP_RX.sub(" ", s)
    parts = [p for p in s.split() if len(p) >= 2]
    return "".join(parts)


# ---------------------------------------------------------------------------------------------

class Ctx:
    """Per-question working state."""

    def __init__(self, store, lex: Lexicon, ln: Linked, today: date, context: dict):
        self.store, self.lex, self.ln, self.today, self.context = store, lex, ln, today, context
        self.q = ln.question
        self.queries: list[dict] = []
        self.doc_cache: dict[str, dict] = {}
        self.notes: list[str] = []
        self.tasks: list[Match] = []
        self._qvec = None
        self.retrieval_info: dict = {}
        self._pending: list[dict] = []

    @property
    def qvec(self):
        if self._qvec is None:
            from . import embedding

            self._qvec = embedding.embed_query(self.q)
        return self._qvec

    def run(self, name: str, params: dict) -> list[dict]:
        cypher = intents_mod.template(name)
        p = {"limit": LIMIT, **params}
        t0 = time.perf_counter()
        rows = self.store.run(cypher, p)
        for r in rows:  # pattern-comprehension lists may repeat an item (a unit named twice on one task)
            for k in ("units", "deadlines"):
                if isinstance(r.get(k), list):
                    r[k] = list(dict.fromkeys(x for x in r[k] if x is not None))
        self.queries.append({"template": name, "cypher": cypher, "params": p,
                             "rows": len(rows), "ms": round((time.perf_counter() - t0) * 1000, 1)})
        return rows

    def docs(self, ids) -> dict[str, dict]:
        need = [i for i in set(ids) if i and i not in self.doc_cache]
        if need:
            rows = self.store.run(
                "MATCH (d:Document) WHERE d.doc_id IN $ids RETURN d.doc_id AS doc_id, d.doc_no AS doc_no, "
                "d.title AS title, d.issuer AS issuer, d.date AS date, d.stub AS stub, d.text AS text",
                {"ids": need})
            for r in rows:
                self.doc_cache[r["doc_id"]] = r
            for i in need:
                self.doc_cache.setdefault(i, {"doc_id": i, "doc_no": None, "title": None, "text": None})
        return {i: self.doc_cache[i] for i in ids if i in self.doc_cache}

    def evidence(self, doc_id, start, end, label: str | None = None) -> dict | None:
        """An evidence record for the span; its quote, doc_no and title are filled in by fill_evidence(),
        one query for the whole answer (a 200-row answer used to fetch up to 200 document texts)."""
        if doc_id is None or start is None or end is None:
            return None
        ev = {"doc_id": doc_id, "doc_no": None, "title": None, "quote": None, "start": int(start), "end": int(end)}
        if label:
            ev["what"] = label
        self._pending.append(ev)
        return ev

    def fill_evidence(self) -> None:
        pend = [e for e in self._pending if e["quote"] is None]
        self._pending = []
        if not pend:
            return
        spans: dict[tuple, list[dict]] = {}
        for e in pend:
            d = self.doc_cache.get(e["doc_id"])
            if d is not None and d.get("text") is not None:  # text already here (citations, doc facts)
                self._set_quote(e, d, d["text"][e["start"]:e["end"]])
            else:
                spans.setdefault((e["doc_id"], e["start"], e["end"]), []).append(e)
        if not spans:
            return
        keys = list(spans)
        rows = self.store.run(
            "UNWIND $spans AS s MATCH (d:Document) WHERE d.doc_id = s.d "
            "RETURN s.i AS i, d.doc_no AS doc_no, d.title AS title, substring(d.text, s.a, s.n) AS quote",
            {"spans": [{"i": i, "d": k[0], "a": max(0, k[1]), "n": max(0, min(k[2] - k[1], QUOTE_MAX + 1))}
                       for i, k in enumerate(keys)]})
        got = {r["i"]: r for r in rows}
        for i, k in enumerate(keys):
            r = got.get(i) or {}
            for e in spans[k]:
                self._set_quote(e, r, r.get("quote") or "")

    @staticmethod
    def _set_quote(ev: dict, doc: dict, quote: str) -> None:
        if len(quote) > QUOTE_MAX:
            quote = quote[:QUOTE_MAX] + "…"
        ev.update(doc_no=doc.get("doc_no"), title=doc.get("title"), quote=quote.strip())

    def doc_label(self, doc_id: str | None) -> str:
        if not doc_id:
            return ""
        d = self.lex.docs.get(doc_id) or self.docs([doc_id]).get(doc_id) or {}
        title = d.get("title")
        no = d.get("doc_no")
        if title and no:
            return f"《{title}》（{no}）"
        if title:
            return f"《{title}》"
        return no or doc_id


def _rels_for(role: str | None, q: str, for_task: bool) -> list[str]:
    if role == "lead":
        return ["LEADS"]
    if role == "support":
        return ["SUPPORTS"]
    if role == "responsible" and "责任单位" in q:
        return ["RESPONSIBLE_FOR"]
    return ALL_RELS


def _task_label(row: dict) -> str:
    h = (row.get("heading") or "").strip()
    return h if len(h) <= 40 else h[:40] + "…"


# ---------------------------------------------------------------------------------------------
# entity resolution helpers

def context_kinds(context: dict) -> set[str]:
    out = set()
    if context.get("units"):
        out.add("unit")
    if context.get("tasks"):
        out.add("task")
    if context.get("documents"):
        out.add("document")
    return out


def units_of(c: Ctx) -> list[str]:
    names = []
    for m in c.ln.units:
        if m.key not in names:
            names.append(m.key)
    if not names and c.context.get("units"):
        names = list(c.context["units"])
        c.notes.append("沿用上一问的单位：" + "、".join(names))
    return names


def docs_of(c: Ctx, use_context: bool = True) -> list[str]:
    ids = []
    for m in c.ln.documents:
        if m.key not in ids:
            ids.append(m.key)
    if not ids and use_context and c.context.get("documents"):
        ids = list(c.context["documents"])
        c.notes.append("沿用上一问的文件")
    return ids


def resolve_tasks(c: Ctx, max_tasks: int = 3) -> list[str]:
    """The task(s) a question is about: 这个任务 → context; else heading match + retrieval."""
    this = intents_mod.THIS_TASK.search(c.q)
    probe = task_probe(c.ln.residual)
    if c.context.get("tasks") and (this or len(probe) < 2):
        ids = list(c.context["tasks"])[:max_tasks]
        for t in ids:
            c.tasks.append(Match("task", t, "这个任务", 0, 0, 100, "context"))
        return ids
    if len(probe) < 2:
        return []
    allowed = None
    doc_ids = docs_of(c, use_context=False)
    if doc_ids:
        allowed = {t for t, v in c.lex.tasks.items() if v.get("doc_id") in doc_ids}
    heads = c.lex.fuzzy_tasks(probe, limit=10, cutoff=70)
    if allowed is not None:
        heads = [h for h in heads if h[0] in allowed]
    picked: list[tuple[str, float, str]] = []
    if heads and heads[0][1] >= 88:
        top = heads[0][1]
        picked = [(t, s, "heading") for t, s in heads if s >= top - 2][:max_tasks]
    else:
        try:
            qv = None
            try:
                from . import embedding

                qv = embedding.embed_query(probe)
            except Exception:
                qv = None
            fused = search_tasks(c.store, probe, c.lex, limit=5, qvec=qv, allowed=allowed,
                                 info=c.retrieval_info)
        except Exception as exc:
            c.retrieval_info["error"] = str(exc)[:200]
            fused = []
        if fused:
            picked = [(fused[0][0], fused[0][1], "retrieval")]
    for t, s, how in picked:
        c.tasks.append(Match("task", t, probe, 0, 0, s, how))
    return [t for t, _s, _h in picked]


def children_of(c: Ctx, ids: list[str]) -> list[str]:
    rows = c.store.run("MATCH (ch:Task)-[:PART_OF]->(p:Task) WHERE p.id IN $ids RETURN ch.id AS id, ch.start AS s "
                       "ORDER BY s", {"ids": ids})
    return [r["id"] for r in rows]


def next_siblings_of(c: Ctx, ids: list[str]) -> list[str]:
    """Items after the given ones under the same parent item, in text order. Plans often list the
    牵头单位/责任单位 lines once after the last sub-item of a numbered item: they then belong to the
    whole item, but the extractor hangs them on that last sub-item."""
    rows = c.store.run("MATCH (t:Task)-[:PART_OF]->(p:Task)<-[:PART_OF]-(s:Task) WHERE t.id IN $ids AND s.start > t.start "
                       "RETURN DISTINCT s.id AS id, s.start AS s ORDER BY s", {"ids": ids})
    return [r["id"] for r in rows if r["id"] not in ids]


def parents_of(c: Ctx, ids: list[str]) -> list[str]:
    rows = c.store.run("MATCH (ch:Task)-[:PART_OF]->(p:Task) WHERE ch.id IN $ids RETURN p.id AS id", {"ids": ids})
    return [r["id"] for r in rows]


# ---------------------------------------------------------------------------------------------
# handlers: each returns (answers, text) and leaves its queries in c.queries

def h_unit_tasks(c: Ctx):
    units = units_of(c)
    rels = _rels_for(c.ln.role, c.q, False)
    rows = c.run("unit_tasks", {"units": units, "rels": rels})
    widened = False
    if not rows and rels != ALL_RELS:
        rows = c.run("unit_tasks", {"units": units, "rels": ALL_RELS})
        widened = bool(rows)
        if rows:
            c.notes.append(f"图中没有写明{'、'.join(units)}{ROLE_CN[rels[0]]}的任务，列出其承担的全部任务")
    docs = docs_of(c, use_context=False)
    if docs:
        rows = [r for r in rows if r.get("doc_id") in docs]
    by_task: dict[str, dict] = {}
    for r in rows:
        a = by_task.get(r["task_id"])
        if a is None:
            a = dict(r, roles=[], evidence=[])
            a.pop("role", None)
            for k in ("ev_start", "ev_end", "ev_text"):
                a.pop(k, None)
            ev = c.evidence(r["doc_id"], r["start"], r["end"], "task")
            if ev:
                a["evidence"].append(ev)
            by_task[r["task_id"]] = a
        role = ROLE_CN.get(r["role"], r["role"])
        if role not in a["roles"]:
            a["roles"].append(role)
        ev = c.evidence(r["doc_id"], r.get("ev_start"), r.get("ev_end"), "role")
        if ev and ev not in a["evidence"]:
            a["evidence"].append(ev)
    answers = list(by_task.values())
    who = "、".join(units)
    role_word = "承担" if widened else {"lead": "牵头", "support": "配合"}.get(c.ln.role or "", "承担")
    if not answers:
        return answers, f"图中没有找到{who}{role_word}的任务。"
    lines = [f"{who}{role_word}的任务共{len(answers)}项："]
    for a in answers[:30]:
        lines.append(f"- {a.get('number') or ''}{_task_label(a)}（{'/'.join(a['roles'])}；{c.doc_label(a['doc_id'])}）")
    if len(answers) > 30:
        lines.append(f"……另有{len(answers) - 30}项")
    return answers, "\n".join(lines)


def _units_answer(c: Ctx, rows: list[dict]):
    by_unit: dict[tuple, dict] = {}
    for r in rows:
        key = (r["task_id"], r["unit"])
        a = by_unit.get(key)
        if a is None:
            a = {"task_id": r["task_id"], "heading": r.get("heading"), "number": r.get("number"),
                 "doc_id": r.get("doc_id"), "unit": r["unit"], "roles": [], "evidence": []}
            ev = c.evidence(r["doc_id"], r.get("start"), r.get("end"), "task")
            if ev:
                a["evidence"].append(ev)
            by_unit[key] = a
        role = ROLE_CN.get(r["role"], r["role"])
        if role not in a["roles"]:
            a["roles"].append(role)
        ev = c.evidence(r["doc_id"], r.get("ev_start"), r.get("ev_end"), "role")
        if ev and ev not in a["evidence"]:
            a["evidence"].append(ev)
    return list(by_unit.values())


def h_task_units(c: Ctx):
    tasks = resolve_tasks(c)
    if not tasks:
        return None
    rels = _rels_for(c.ln.role, c.q, True)
    if c.ln.role == "responsible" and "责任单位" not in c.q:
        rels = ALL_RELS
    rows = c.run("task_units", {"tasks": tasks, "rels": rels})
    scope = tasks
    if not rows:
        kids = children_of(c, tasks)
        if kids:
            rows = c.run("task_units", {"tasks": kids, "rels": rels})
            scope = kids
            if rows:
                c.notes.append("该任务本身未写单位，以下为其子任务的单位")
    if not rows:
        ups = parents_of(c, tasks)
        if ups:
            rows = c.run("task_units", {"tasks": ups, "rels": rels})
            if rows:
                c.notes.append("该任务本身未写单位，以下为其上级条目的单位")
    if not rows:
        sibs = next_siblings_of(c, tasks)
        if sibs:
            found = c.run("task_units", {"tasks": sibs, "rels": ALL_RELS})
            if found:
                first = min(found, key=lambda r: sibs.index(r["task_id"]))["task_id"]
                rows = [r for r in c.run("task_units", {"tasks": [first], "rels": rels})]
                if rows:
                    c.notes.append("该任务本身未写单位，以下为同一条目下紧随其后的子项所列单位"
                                   "（单位写在整条最后，通常适用于整条）")
    if not rows and rels != ALL_RELS:
        rows = c.run("task_units", {"tasks": scope, "rels": ALL_RELS})
        if rows:
            c.notes.append(f"该任务未写明{ROLE_CN[rels[0]]}单位，列出所有相关单位")
    answers = _units_answer(c, rows)
    if not answers:
        heads = "、".join(_task_label(c.lex.tasks.get(t, {"heading": t})) for t in tasks)
        return answers, f"任务「{heads}」在图中没有写明单位。"
    by_task: dict[str, list] = {}
    for a in answers:
        by_task.setdefault(a["task_id"], []).append(a)
    lines = []
    for t, items in by_task.items():
        lines.append(f"「{_task_label(items[0])}」（{c.doc_label(items[0]['doc_id'])}）：")
        for role in ("牵头", "责任", "配合"):
            names = [a["unit"] for a in items if role in a["roles"]]
            if names:
                lines.append(f"  {role}单位：{'、'.join(names)}")
    return answers, "\n".join(lines)


def _deadline_rows(c: Ctx, tasks: list[str]) -> list[dict]:
    rows = c.run("task_deadline", {"tasks": tasks})
    if not rows:
        kids = children_of(c, tasks)
        if kids:
            rows = c.run("task_deadline", {"tasks": kids})
            if rows:
                c.notes.append("该任务本身未写时限，以下为其子任务的时限")
    if not rows:
        ups = parents_of(c, tasks)
        if ups:
            rows = c.run("task_deadline", {"tasks": ups})
            if rows:
                c.notes.append("该任务本身未写时限，以下为其上级条目的时限")
    return rows


def h_task_deadline(c: Ctx):
    tasks = resolve_tasks(c)
    if not tasks:
        return None
    rows = _deadline_rows(c, tasks)
    answers = []
    for r in rows:
        a = dict(r, evidence=[e for e in [c.evidence(r["doc_id"], r["start"], r["end"], "task")] if e])
        answers.append(a)
    if not answers:
        heads = "、".join(_task_label(c.lex.tasks.get(t, {"heading": t})) for t in tasks)
        return answers, f"任务「{heads}」在图中没有写明完成时限。"
    lines = []
    for a in answers:
        when = a.get("deadline") or ""
        iso = a.get("date")
        lines.append(f"「{_task_label(a)}」：{when}" + (f"（{iso}）" if iso and iso not in when else "")
                     + f"；{c.doc_label(a['doc_id'])}")
    return answers, "\n".join(lines)


def _period_bounds(c: Ctx) -> tuple[str, str]:
    p = c.ln.period
    end = p.end
    start = p.start
    if start is None:
        start = end[:4] + "-01-01" if end else "0000-01-01"
    return start, end


def _task_rows_answer(c: Ctx, rows: list[dict]) -> list[dict]:
    seen: dict[str, dict] = {}
    for r in rows:
        key = (r["task_id"], r.get("deadline"))
        if key in seen:
            if r.get("unit") and r["unit"] not in seen[key].setdefault("units", []):
                seen[key]["units"].append(r["unit"])
            continue
        a = dict(r)
        if "unit" in a:
            a["units"] = [a.pop("unit")]
            a.pop("role", None)
        a["evidence"] = [e for e in [c.evidence(r["doc_id"], r["start"], r["end"], "task")] if e]
        seen[key] = a
    return list(seen.values())


def h_tasks_due(c: Ctx):
    if not c.ln.period:
        return None
    start, end = _period_bounds(c)
    units = units_of(c) if c.ln.units else []
    if units:
        rows = c.run("tasks_due_unit", {"units": units, "rels": _rels_for(c.ln.role, c.q, False),
                                        "start": start, "end": end})
    else:
        rows = c.run("tasks_due", {"start": start, "end": end})
    docs = docs_of(c, use_context=False)
    if docs:
        rows = [r for r in rows if r.get("doc_id") in docs]
    answers = _task_rows_answer(c, rows)
    span = f"{start}至{end}" if not start.startswith("0000") else f"{end}前"
    who = ("、".join(units)) if units else ""
    if not answers:
        return answers, f"图中没有{who}在{c.ln.period.text}（{span}）到期的任务。"
    lines = [f"{c.ln.period.text}（{span}）{who}要完成的任务共{len(answers)}项："]
    for a in answers[:40]:
        lines.append(f"- {a.get('deadline')}：{_task_label(a)}（{c.doc_label(a['doc_id'])}）")
    if len(answers) > 40:
        lines.append(f"……另有{len(answers) - 40}项")
    return answers, "\n".join(lines)


def h_overdue(c: Ctx):
    p = c.ln.period
    asof = p.end if p and p.end else c.today.isoformat()
    if p and p.kind == "range" and p.start and p.start != p.end:
        asof = p.end
    units = units_of(c) if c.ln.units else []
    if units:
        rows = c.run("overdue_tasks_unit", {"units": units, "rels": ALL_RELS, "asof": asof})
    else:
        rows = c.run("overdue_tasks", {"asof": asof})
    docs = docs_of(c, use_context=False)
    if docs:
        rows = [r for r in rows if r.get("doc_id") in docs]
    answers = _task_rows_answer(c, rows)
    who = "、".join(units)
    if not answers:
        return answers, f"截至{asof}，图中{who}没有已过期限的任务。"
    lines = [f"截至{asof}，{who}已过完成期限、尚未完成的任务共{len(answers)}项（按期限和填报的进展判断）："]
    for a in answers[:40]:
        lines.append(f"- {a.get('deadline')}（{a.get('date')}）：{_task_label(a)}（{c.doc_label(a['doc_id'])}）")
    if len(answers) > 40:
        lines.append(f"……另有{len(answers) - 40}项")
    return answers, "\n".join(lines)


def _citation_span(text: str, doc_no: str | None, title: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    if doc_no:
        no = normalize_doc_no(doc_no) or doc_no
        m = re.match(r"(.+?)〔(\d{4})〕(\d+)号", no)
        if m:
            rx = re.escape(m.group(1)) + r"\s*[〔\[(（【〈﹝]\s*" + m.group(2) + r"\s*[〕\])）】〉﹞]\s*0*" + m.group(3) + r"\s*[号號]?"
            mm = re.search(rx, text)
            if mm:
                return _widen(text, mm.start(), mm.end())
        i = text.find(doc_no)
        if i >= 0:
            return _widen(text, i, i + len(doc_no))
    if title:
        i = text.find(title)
        if i >= 0:
            return _widen(text, i, i + len(title))
    return None


def _widen(text: str, s: int, e: int) -> tuple[int, int]:
    """Grow a citation to the clause around it (back to 《 / 按照 / 根据, forward to the next ,/。)."""
    left = max(0, s - 80)
    seg = text[left:s]
    k = max(seg.rfind(x) for x in ("按照", "根据", "依据", "贯彻落实", "落实", "《", "，", ",", "。"))
    ns = left + k if k >= 0 else s
    m = re.search(r"[，,。；;\n]", text[e:e + 60])
    ne = e + (m.start() if m else 0)
    return ns, ne


def _chain_evidence(c: Ctx, rows: list[dict], from_key: str) -> None:
    """Evidence for IMPLEMENTS rows: where the lower document cites the upper one."""
    ids = {r.get(from_key) for r in rows} | {r.get("doc_id") for r in rows}
    docs = c.docs([i for i in ids if i])
    loaded = [d for d in docs.values() if d.get("text")]
    for r in rows:
        r["evidence"] = []
        target_no, target_title = r.get("doc_no"), r.get("title")
        if from_key == "to_doc_id":  # children: the child cites the parent
            up = c.lex.docs.get(r["to_doc_id"]) or docs.get(r["to_doc_id"]) or {}
            target_no, target_title = up.get("doc_no"), up.get("title")
            cands = [docs.get(r["doc_id"])] + loaded
        else:
            cands = [docs.get(r[from_key])] + loaded
        for d in cands:
            if not d or not d.get("text"):
                continue
            span = _citation_span(d["text"], target_no, target_title)
            if span:
                r["evidence"].append(c.evidence(d["doc_id"], span[0], span[1], "citation"))
                break


def _chain_documents(c: Ctx, template: str, docs: list[str], citing_key: str) -> list[dict]:
    """Documents up (doc_parents) or down (doc_children) the IMPLEMENTS chain, each once, in the
    template's order, with the citing sentence quoted as evidence."""
    rows = c.run(template, {"docs": docs})
    _chain_evidence(c, rows, citing_key)
    seen, answers = set(), []
    for r in rows:
        if r["doc_id"] not in seen:
            seen.add(r["doc_id"])
            answers.append(r)
    return answers


def h_doc_parents(c: Ctx):
    docs = docs_of(c)
    if not docs:
        return None
    answers = _chain_documents(c, "doc_parents", docs, "from_doc_id")
    name = "、".join(c.doc_label(d) for d in docs)
    if not answers:
        return answers, f"{name}在图中没有记录依据的上级文件。"
    lines = [f"{name}依据的上级文件："]
    for a in answers:
        tag = "（未载入全文）" if a.get("stub") else ""
        lvl = "直接依据" if a.get("depth") == 1 else f"上溯第{a.get('depth')}级"
        lines.append(f"- {lvl}：{a.get('doc_no') or ''}{'《' + a['title'] + '》' if a.get('title') else ''}{tag}")
    return answers, "\n".join(lines)


def h_doc_children(c: Ctx):
    docs = docs_of(c)
    if not docs:
        return None
    answers = _chain_documents(c, "doc_children", docs, "to_doc_id")
    name = "、".join(c.doc_label(d) for d in docs)
    if not answers:
        return answers, f"图中没有落实{name}的下级方案。"
    lines = [f"落实{name}的方案共{len(answers)}个："]
    for a in answers:
        lvl = "直接落实" if a.get("depth") == 1 else f"经{a.get('depth') - 1}级转落实"
        lines.append(f"- {lvl}：{c.doc_label(a['doc_id'])}")
    return answers, "\n".join(lines)


def h_task_directive(c: Ctx):
    tasks = resolve_tasks(c)
    if not tasks:
        return None
    rows = c.run("task_directive", {"tasks": tasks})
    refs = c.run("task_references", {"tasks": tasks})
    answers = []
    parents_seen, aligned_seen = set(), set()
    for r in rows:
        a = dict(r, evidence=[e for e in [c.evidence(r["doc_id"], r["start"], r["end"], "task")] if e])
        if r.get("aligned_task_id") and r["aligned_task_id"] not in aligned_seen:
            aligned_seen.add(r["aligned_task_id"])
            ev = c.evidence(r.get("aligned_doc_id"), r.get("aligned_start"), r.get("aligned_end"), "aligned_task")
            if ev:
                a["evidence"].append(ev)
        if r.get("parent_doc_id"):
            parents_seen.add(r["parent_doc_id"])
            d = c.docs([r["doc_id"]]).get(r["doc_id"]) or {}
            span = _citation_span(d.get("text") or "", r.get("parent_doc_no"), r.get("parent_title"))
            if span and r.get("depth") == 1:
                a["evidence"].append(c.evidence(r["doc_id"], span[0], span[1], "citation"))
        answers.append(a)
    for r in refs:
        answers.append({"task_id": r["task_id"], "reference_doc_id": r["doc_id"], "reference_doc_no": r.get("doc_no"),
                        "reference_title": r.get("title"), "evidence": []})
    if not answers:
        return answers, "图中没有这项任务的上级依据。"
    first = rows[0] if rows else {}
    lines = []
    if first:
        lines.append(f"「{_task_label(first)}」出自{c.doc_label(first['doc_id'])}。")
    par = []
    for r in rows:
        if r.get("parent_doc_id") and r["parent_doc_id"] not in [p[0] for p in par]:
            par.append((r["parent_doc_id"], r))
    if par:
        lines.append("该方案依据的上级文件：")
        for _pid, r in par:
            tag = "（未载入全文）" if r.get("parent_stub") else ""
            lvl = "" if r.get("depth") == 1 else f"（上溯第{r.get('depth')}级）"
            title = f"《{r['parent_title']}》" if r.get("parent_title") else ""
            lines.append(f"- {r.get('parent_doc_no') or ''}{title}{lvl}{tag}")
    al = [r for r in rows if r.get("aligned_task_id")]
    if al:
        seen = set()
        lines.append("对应的上级任务：")
        for r in al:
            if r["aligned_task_id"] in seen:
                continue
            seen.add(r["aligned_task_id"])
            score = r.get("aligned_score")
            lines.append(f"- 「{(r.get('aligned_heading') or '')[:40]}」（{c.doc_label(r.get('aligned_doc_id'))}"
                         + (f"，相似度{score:.2f}" if isinstance(score, (int, float)) else "") + "）")
    elif par and all(r.get("parent_stub") for _p, r in par):
        lines.append("上级文件未载入全文，无法对应到上级方案的具体任务。")
    if refs:
        lines.append("任务正文引用：" + "、".join(
            (r.get("doc_no") or "") + (f"《{r['title']}》" if r.get("title") else "") for r in refs))
    return answers, "\n".join(lines)


def _graph_indicators(c: Ctx, canon: str) -> list[str]:
    from .linking import INDICATORS

    syns = INDICATORS.get(canon, [canon])
    out = []
    for surface, cn in c.lex.indicators.items():
        if cn == canon or any(s and s in surface for s in syns):
            out.append(surface)
    return out


def h_targets(c: Ctx):
    inds: list[str] = []
    for m in c.ln.indicators:
        inds += _graph_indicators(c, m.key) + [m.surface]
    # the graph's own spelling (e.g. "PM2.5平均浓度") is what x.indicator holds
    inds = sorted(set(inds))
    year = c.ln.year or 0
    rows = c.run("targets", {"indicators": inds, "year": year})
    if not rows and year:
        rows = c.run("targets", {"indicators": inds, "year": 0})
        if rows:
            c.notes.append(f"没有{year}年的该项目标，列出各年份的目标")
    docs = docs_of(c, use_context=False)
    if docs:
        scoped = [r for r in rows if r.get("doc_id") in docs]
        rows = scoped if scoped or not c.ln.documents else scoped
    seen, answers = set(), []
    for r in rows:
        key = (r.get("doc_id"), r.get("indicator"), r.get("value"), r.get("year"), r.get("start"))
        if key in seen:
            continue
        seen.add(key)
        answers.append(dict(r, evidence=[e for e in [c.evidence(r.get("doc_id"), r.get("start"), r.get("end"), "target")] if e]))
    if not answers:
        what = "、".join(m.surface for m in c.ln.indicators) or "量化"
        return answers, f"图中没有找到{what}目标。"
    lines = [f"目标共{len(answers)}条："]
    for a in answers[:30]:
        yr = f"{a['year']}年" if a.get("year") else ""
        lines.append(f"- {yr}{a.get('text') or (a.get('indicator'), a.get('op'), a.get('value'))}（{c.doc_label(a.get('doc_id'))}）")
    return answers, "\n".join(lines)


def h_unit_partners(c: Ctx):
    units = units_of(c)
    if not units:
        return None
    rows = c.run("unit_partners", {"units": units})
    answers = [dict(r, tasks=(r.get("tasks") or [])[:10], evidence=[]) for r in rows]
    who = "、".join(units)
    if not answers:
        return answers, f"图中没有和{who}共同承担任务的单位。"
    lines = [f"与{who}共同承担任务的单位（按共同任务数）："]
    for a in answers[:20]:
        lines.append(f"- {a['unit']}：{a['shared_tasks']}项")
    return answers, "\n".join(lines)


def h_unit_workload(c: Ctx):
    rels = ["LEADS"] if c.ln.role == "lead" else (["SUPPORTS"] if c.ln.role == "support" else ALL_RELS)
    docs = docs_of(c, use_context=False)
    if docs:
        rows = c.run("unit_workload_docs", {"rels": rels, "docs": docs})
    else:
        rows = c.run("unit_workload", {"rels": rels})
    answers = [dict(r, evidence=[]) for r in rows]
    if c.ln.units:
        names = {m.key for m in c.ln.units}
        mine = [a for a in answers if a["unit"] in names]
        if mine:
            c.notes.append("、".join(f"{a['unit']}排第{answers.index(a) + 1}位" for a in mine))
    if not answers:
        return answers, "图中没有单位的任务分工。"
    word = "牵头" if rels == ["LEADS"] else "承担"
    lines = [f"按{word}任务数排名" + (f"（{'、'.join(c.doc_label(d) for d in docs)}）" if docs else "") + "："]
    for i, a in enumerate(answers[:15], 1):
        lines.append(f"{i}. {a['unit']}：{a['tasks']}项" + (f"（牵头{a['leads']}项）" if rels != ["LEADS"] else ""))
    return answers, "\n".join(lines)


def h_doc_facts(c: Ctx):
    docs = docs_of(c)
    if not docs:
        return None
    rows = c.run("doc_facts", {"docs": docs})
    answers = []
    for r in rows:
        a = dict(r, evidence=[])
        d = c.docs([r["doc_id"]]).get(r["doc_id"]) or {}
        text = d.get("text") or ""
        for val, what in ((r.get("doc_no"), "doc_no"), (r.get("issuer"), "issuer"), (r.get("date"), "date")):
            if val and text:
                i = text.find(val)
                if i >= 0:
                    a["evidence"].append(c.evidence(r["doc_id"], i, i + len(val), what))
        answers.append(a)
    if not answers:
        return answers, "图中没有这个文件。"
    lines = []
    for a in answers:
        parts = [c.doc_label(a["doc_id"])]
        parts.append(f"发文单位：{a.get('issuer') or '未注明'}")
        parts.append(f"成文日期：{a.get('date') or '未注明'}")
        parts.append(f"文号：{a.get('doc_no') or '无'}")
        if a.get("stub"):
            parts.append("（仅被引用，未载入全文）")
        lines.append("；".join(parts))
    return answers, "\n".join(lines)


def h_tasks_no_lead(c: Ctx):
    rows = c.run("tasks_no_lead", {})
    docs = docs_of(c, use_context=False)
    if docs:
        rows = [r for r in rows if r.get("doc_id") in docs]
    answers = [dict(r, evidence=[e for e in [c.evidence(r["doc_id"], r["start"], r["end"], "task")] if e])
               for r in rows]
    if not answers:
        return answers, "没有只写了责任单位却缺牵头单位的任务。"
    lines = [f"写了责任单位但没有牵头单位的任务共{len(answers)}项："]
    for a in answers[:30]:
        lines.append(f"- {_task_label(a)}（{'、'.join(a.get('units') or [])}；{c.doc_label(a['doc_id'])}）")
    return answers, "\n".join(lines)


def h_open(c: Ctx, reason: str | None = None):
    allowed = None
    docs = docs_of(c, use_context=False)
    if docs:
        allowed = {t for t, v in c.lex.tasks.items() if v.get("doc_id") in docs}
    probe = re.sub(r"^(关于|有关|对于)", "", c.q)
    probe = re.sub(r"(有哪些|有什么|哪些|什么|怎么|如何|怎样)(措施|要求|做法|办法|规定|举措|内容|工作)?[?？。]*$", "", probe) or c.q
    fused = search_tasks(c.store, probe, c.lex, limit=8, qvec=c.qvec if probe == c.q else None,
                         allowed=allowed, info=c.retrieval_info)
    ids = [t for t, _ in fused]
    if not ids:
        msg = reason or ""
        return [], (msg + "图中没有找到相关内容：问题里没有认出单位、任务、文件或日期，语义检索也没有命中。"
                    "可以换个说法，或写出单位/任务的名称。")
    rows = c.run("task_details", {"tasks": ids})
    order = {t: i for i, t in enumerate(ids)}
    score = dict(fused)
    rows.sort(key=lambda r: order.get(r["task_id"], 99))
    answers = []
    for r in rows:
        a = dict(r, score=round(score.get(r["task_id"], 0.0), 5))
        a["text"] = (a.get("text") or "")[:300]
        a["evidence"] = [e for e in [c.evidence(r["doc_id"], r["start"], r["end"], "task")] if e]
        answers.append(a)
    for a in answers:
        c.tasks.append(Match("task", a["task_id"], probe, 0, 0, a["score"], "retrieval"))
    lines = [(reason or "") + "相关的任务（语义检索 + 全文检索融合排序）："]
    for a in answers[:5]:
        units = "、".join(a.get("units") or [])
        lines.append(f"- {_task_label(a)}（{c.doc_label(a['doc_id'])}" + (f"；{units}" if units else "") + "）")
    return answers, "\n".join(lines)


def _has_content(c: Ctx) -> bool:
    ln = c.ln
    if ln.units or ln.documents or ln.indicators or ln.period or c.context.get("tasks"):
        return True
    return len(re.findall(r"[\u4e00-\u9fff]", c.q)) >= 2


def h_open_tasks(c: Ctx):
    """Tasks not 已完成 by the progress reports; with 逾期/超期: only those past their deadline, and with
    没有进展: only those never reported on."""
    asof = c.today.isoformat() if intents_mod.OVERDUE.search(c.q) else None
    no_progress = bool(re.search(r"没有进展|没进展|未填报|没填报", c.q))
    units = units_of(c) if c.ln.units else []
    params = {"asof": asof, "no_progress": no_progress}
    rows = (c.run("open_tasks_unit", {"units": units, "rels": ALL_RELS, **params}) if units
            else c.run("open_tasks", params))
    docs = docs_of(c, use_context=False)
    if docs:
        rows = [r for r in rows if r.get("doc_id") in docs]
    answers = _task_rows_answer(c, rows)
    who = "、".join(units)
    what = ("已过期限且没有进展" if no_progress else "已过期限、尚未完成") if asof else (
        "没有进展" if no_progress else "尚未完成")
    if not answers:
        return answers, f"{who}没有{what}的任务。"
    lines = [f"{who}{what}的任务共{len(answers)}项（按填报的进展状态）："]
    for a in answers[:40]:
        lines.append(f"- [{a.get('status') or '未填报'}] {_task_label(a)}（{c.doc_label(a['doc_id'])}）")
    if len(answers) > 40:
        lines.append(f"……另有{len(answers) - 40}项")
    return answers, "\n".join(lines)


def h_unit_completion(c: Ctx):
    """已完成 / tasks per unit, by the progress reports; the units named in the question, else all."""
    rows = c.run("unit_completion", {})
    answers = [dict(r, rate=round(r["done"] / r["tasks"], 3) if r["tasks"] else 0.0, evidence=[]) for r in rows]
    if c.ln.units:
        names = {m.key for m in c.ln.units}
        answers = [a for a in answers if a["unit"] in names] or answers
    if not answers:
        return answers, "图中没有单位的任务分工。"
    lines = ["各单位完成率（按填报的进展：已完成 / 承担的任务）："]
    for i, a in enumerate(answers[:15], 1):
        lines.append(f"{i}. {a['unit']}：{a['done']}/{a['tasks']}（{a['rate']:.0%}），已填报{a['reported']}项")
    return answers, "\n".join(lines)


HANDLERS = {
    "unit_tasks": h_unit_tasks, "task_units": h_task_units, "task_deadline": h_task_deadline,
    "tasks_due": h_tasks_due, "overdue_tasks": h_overdue, "doc_parents": h_doc_parents,
    "doc_children": h_doc_children, "task_directive": h_task_directive, "targets": h_targets,
    "unit_partners": h_unit_partners, "unit_workload": h_unit_workload, "doc_facts": h_doc_facts,
    "tasks_no_lead": h_tasks_no_lead, "open_question": h_open, "open_tasks": h_open_tasks,
    "unit_completion": h_unit_completion,
}

MISSING = {
    "task": "没有认出问题里说的是哪项任务",
    "unit": "没有认出问题里的单位",
    "document": "没有认出问题里的文件（可写文号或方案名称）",
    "period": "没有认出问题里的时间",
}


def answer(question: str, store, today: date | None = None, context: dict | None = None,
           use_similarity: bool = True) -> dict:
    t0 = time.perf_counter()
    today = today or date.today()
    context = dict(context or {})
    lex = lexicon_for(store)
    ln = link(question, lex, today)
    c = Ctx(store, lex, ln, today, context)
    has_task_words = len(task_probe(ln.residual)) >= 2
    choice = intents_mod.choose(c.q, ln, context_kinds(context), has_task_words, qvec=lambda: c.qvec,
                                use_similarity=use_similarity)
    intent = choice.intent
    result = None
    reason = None
    try:
        result = HANDLERS[intent](c) if (intent != "open_question" or _has_content(c)) else None
    except Exception as exc:  # a template failing must not leave the user with nothing
        reason = f"（{intent} 查询出错：{type(exc).__name__}）"
        c.notes.append(reason)
        result = None
    if result is None and intent == "open_question" and not _has_content(c):
        result = ([], "问题里没有可识别的中文内容（单位、任务、文件、日期或关键词），无法回答。请用中文描述要查的内容。")
    if result is None:
        need = (intents_mod.load_intents()[intent].get("needs") or ["task"])[0]
        reason = reason or MISSING.get(need, "没有认出问题里的关键信息")
        reason = f"{reason}，改用语义检索。"
        intent_used = "open_question"
        answers, text = h_open(c, reason)
    else:
        intent_used = intent
        answers, text = result
    c.fill_evidence()
    if c.notes:
        text = text + "\n（" + "；".join(c.notes) + "）"
    main = c.queries[0] if c.queries else {"cypher": "", "params": {}}
    entities = ln.to_dict()
    entities["tasks"] = [m.to_dict() for m in c.tasks]
    new_ctx = {
        "units": [m.key for m in ln.units] or context.get("units", []),
        "documents": [m.key for m in ln.documents] or context.get("documents", []),
        "tasks": list(dict.fromkeys([m.key for m in c.tasks]))[:3] or
                 [a["task_id"] for a in answers[:1] if a.get("task_id")] or context.get("tasks", []),
        "intent": intent_used,
    }
    if intent_used in ("unit_tasks", "tasks_due", "overdue_tasks") and answers and len(answers) == 1 and answers[0].get("task_id"):
        new_ctx["tasks"] = [answers[0]["task_id"]]
    return {
        "question": question,
        "intent": intent_used,
        "entities": entities,
        "cypher": main["cypher"],
        "params": main["params"],
        "answers": answers,
        "text": text,
        "context": new_ctx,
        "queries": [{k: v for k, v in q.items()} for q in c.queries],
        "debug": {"intent_scores": choice.scores, "how": choice.how, "asked_intent": intent,
                  "retrieval": {k: v for k, v in c.retrieval_info.items()},
                  "ms": round((time.perf_counter() - t0) * 1000, 1)},
    }
