"""Read and write operations the API routes and the Gradio UI share. Every query takes parameters;
user text never becomes Cypher. Functions return plain dicts (the API wraps them in pydantic models).
"""
from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

from kg.qa.reads import READ

from kg.errors import ApiError, not_found

from kg.roles import REL_ROLE, ROLE_CN, ROLES  # noqa: E402  (the one role vocabulary)
ROLE_ORDER = {r.key: r.rank for r in ROLES}
QUOTE_MAX = 300
MAX_QUESTION_CHARS = 500
MAX_TRACE_DEPTH = 8
MAX_GRAPH_TASKS = 400
EXPORT_FORMATS = {"ttl": "text/turtle; charset=utf-8", "jsonld": "application/ld+json; charset=utf-8"}


def _loaders():
    from kg import loaders

    return loaders


def max_file_bytes() -> int:
    return int(getattr(_loaders(), "MAX_FILE_BYTES", 20 * 1024 * 1024))


def supported_extensions() -> list[str]:
    exts = getattr(_loaders(), "SUPPORTED_EXTENSIONS", (".txt", ".html", ".htm", ".docx", ".pdf"))
    return sorted({e if e.startswith(".") else "." + e for e in exts})


def clean_context(context: dict | None) -> dict:
    """Keep the follow-up context an answer handed out ({units, documents, tasks: [str], intent: str});
    anything else a client sends is dropped rather than passed to the QA."""
    out: dict = {}
    if not isinstance(context, dict):
        return out
    for key in ("units", "documents", "tasks"):
        items = context.get(key)
        if isinstance(items, list):
            kept = [x for x in items if isinstance(x, str) and 0 < len(x) <= 300][:20]
            if kept:
                out[key] = kept
    if isinstance(context.get("intent"), str) and len(context["intent"]) <= 50:
        out["intent"] = context["intent"]
    return out


class Service:
    """Operations over one store. Loads are serialised by a lock; reads run concurrently."""

    def __init__(self, store):
        self.store = store
        self.write_lock = threading.Lock()
        # health's node and relationship counts, per graph version (store.writes): counting a 10,000-plan
        # graph takes ~15 s, and a probe polling meanwhile must not start more counts (one at a time)
        self._counts_lock = threading.Lock()
        self._counts: tuple | None = None  # (writes, counts, when)

    # ------------------------------------------------------------------ basics
    def run(self, cypher: str, params: dict | None = None) -> list[dict]:
        return self.store.run(cypher, params or {})

    def health(self) -> dict:
        try:
            counts = self._stats()
            status = "ok"
        except Exception as exc:  # the store answered nothing: report it, do not crash the probe
            counts, status = {"error": str(exc)[:200]}, "degraded"
        try:
            from importlib.metadata import version

            ver = version("policy-kg")
        except Exception:
            ver = None
        return {"status": status, "engine": str(getattr(self.store, "engine", "unknown")),
                "counts": counts, "version": ver}

    def _stats(self) -> dict:
        """store.stats(), kept while this process has not written (and, on a server other processes may
        write, for at most 30 s: kg.qa.answer_cache.ttl)."""
        from kg.qa import answer_cache

        version = getattr(self.store, "writes", None)
        limit = answer_cache.ttl(self.store)
        with self._counts_lock:
            if version is not None and self._counts is not None and self._counts[0] == version \
                    and (limit is None or time.monotonic() - self._counts[2] <= limit):
                return self._counts[1]
            counts = self.store.stats()
            if version is not None:
                self._counts = (version, counts, time.monotonic())
            return counts

    def _docs(self, ids) -> dict[str, dict]:
        ids = [i for i in dict.fromkeys(ids) if i]
        if not ids:
            return {}
        rows = self.run(READ("documents_by_id"), {"ids": ids})
        return {r["doc_id"]: r for r in rows}

    @staticmethod
    def evidence(doc: dict | None, doc_id: str, start, end, what: str | None = None) -> dict | None:
        if start is None or end is None:
            return None
        doc = doc or {}
        text = doc.get("text") or ""
        s, e = int(start), int(end)
        quote = text[s:e].strip() if text else ""
        if len(quote) > QUOTE_MAX:
            quote = quote[:QUOTE_MAX] + "…"
        ev = {"doc_id": doc_id, "doc_no": doc.get("doc_no"), "title": doc.get("title"), "quote": quote,
              "start": s, "end": e}
        if what:
            ev["what"] = what
        return ev

    @staticmethod
    def doc_brief(d: dict | None) -> dict | None:
        if not d:
            return None
        return {k: d.get(k) for k in ("doc_id", "doc_no", "title", "issuer", "date", "level", "region")} | {
            "stub": bool(d.get("stub"))}

    # ------------------------------------------------------------------ ask
    @staticmethod
    def ask_key(question: str, today: date | None = None, context: dict | None = None) -> str | None:
        """The kg.qa.answer_cache key ask() answers under (None for a question it refuses)."""
        from kg.qa import answer_cache

        q = (question or "").strip()
        if not q or len(q) > MAX_QUESTION_CHARS:
            return None
        return answer_cache.key(q, today or date.today(), clean_context(context) or None, True)

    def ask(self, question: str, today: date | None = None, context: dict | None = None,
            debug: bool = False) -> dict:
        from kg.qa import answer

        q = (question or "").strip()
        if not q:
            raise ApiError(422, "empty_question", "问题不能为空", "question is empty")
        if len(q) > MAX_QUESTION_CHARS:
            raise ApiError(422, "question_too_long", f"问题过长（最多 {MAX_QUESTION_CHARS} 字）",
                           f"question is longer than {MAX_QUESTION_CHARS} characters")
        result = answer(q, self.store, today=today, context=clean_context(context) or None)
        if not debug:
            result.pop("debug", None)
            result.pop("queries", None)
        return result

    # ------------------------------------------------------------------ units
    def units(self, q: str | None = None, limit: int = 1000) -> list[dict]:
        rows = self.run(
            READ("units_with_counts"), {})
        out = []
        for r in rows:
            if q and q not in (r.get("name") or "") and not any(q in a for a in (r.get("aliases") or [])):
                continue
            out.append({"name": r["name"], "kind": r.get("kind") or "unit", "aliases": list(r.get("aliases") or []),
                        "tasks": int(r.get("tasks") or 0), "leads": int(r.get("leads") or 0)})
        out.sort(key=lambda u: (-u["tasks"], u["name"]))
        return out[:limit]

    def resolve_unit(self, name: str) -> dict:
        name = (name or "").strip()
        if not name:
            raise not_found("单位", "unit", name)
        rows = self.run(READ("unit_by_name"), {"name": name})
        if not rows:
            rows = self.run(READ("unit_by_alias"), {"name": name})
        if not rows:
            raise not_found("单位", "unit", name)
        r = rows[0]
        return {"name": r["name"], "kind": r.get("kind") or "unit", "aliases": list(r.get("aliases") or [])}

    def unit_tasks(self, name: str) -> dict:
        unit = self.resolve_unit(name)
        rows = self.run(
            READ("unit_tasks"), {"name": unit["name"]})
        docs = self._docs(r["doc_id"] for r in rows)
        tasks: dict[str, dict] = {}
        for r in rows:
            d = docs.get(r["doc_id"])
            t = tasks.get(r["task_id"])
            if t is None:
                t = tasks[r["task_id"]] = {
                    "task_id": r["task_id"], "number": r.get("number"), "path": r.get("path"),
                    "heading": r.get("heading"), "doc_id": r["doc_id"], "doc_no": (d or {}).get("doc_no"),
                    "document": (d or {}).get("title"), "roles": [], "deadlines": [x for x in r.get("deadlines") or [] if x],
                    "start": r.get("start"), "evidence": []}
                ev = self.evidence(d, r["doc_id"], r.get("start"), r.get("end"), "task")
                if ev:
                    t["evidence"].append(ev)
            role = REL_ROLE.get(r["rel"], r["rel"])
            if role not in t["roles"]:
                t["roles"].append(role)
            ev = self.evidence(d, r["doc_id"], r.get("ev_start"), r.get("ev_end"), "role")
            if ev and all(ev["start"] != e["start"] or ev["end"] != e["end"] for e in t["evidence"]):
                t["evidence"].append(ev)
        out = sorted(tasks.values(), key=lambda t: (t["doc_id"] or "", t.get("start") or 0))
        for t in out:
            t["roles"].sort(key=lambda x: ROLE_ORDER.get(x, 9))
            t.pop("start", None)
        return {"unit": unit, "tasks": out}

    # ------------------------------------------------------------------ tasks
    def task(self, task_id: str) -> dict:
        rows = self.run(READ("task"), {"id": task_id})
        if not rows:
            raise not_found("任务", "task", task_id)
        t = dict(rows[0])
        doc_id = t["doc_id"]
        if not doc_id:
            hd = self.run(READ("task_document"),
                          {"id": task_id})
            doc_id = t["doc_id"] = hd[0]["doc_id"] if hd else None
        units = self.run(READ("task_units"),
                         {"id": task_id})
        deadlines = self.run(READ("task_deadlines"), {"id": task_id})
        targets = self.run(READ("task_targets"),
                           {"id": task_id})
        parent = self.run(READ("task_parent"), {"id": task_id})
        children = self.run(READ("task_children"), {"id": task_id})
        children.sort(key=lambda c: c.get("start") or 0)
        docs = self._docs([doc_id])
        d = docs.get(doc_id)
        t["evidence"] = self.evidence(d, doc_id, t.get("start"), t.get("end"), "task")
        t["document"] = self.doc_brief(d)
        t["units"] = sorted(
            [{"name": u["name"], "role": REL_ROLE.get(u["rel"], u["rel"]), "raw": u.get("raw"),
              "evidence": self.evidence(d, doc_id, u.get("start"), u.get("end"), "role")} for u in units],
            key=lambda u: (ROLE_ORDER.get(u["role"], 9), u["name"]))
        t["deadlines"] = deadlines
        t["targets"] = targets
        t["parent_task"] = parent[0] if parent else None
        t["subtasks"] = [{k: c[k] for k in ("task_id", "number", "heading")} for c in children]
        from kg.supervision.progress import progress_of, task_scope

        t["status"] = (task_scope(self.store, task_id) or {}).get("status")
        t["progress"] = progress_of(self.store, task_id)
        t["aligned"] = self.aligned_up(task_id)
        t["trace"] = self.trace_up(doc_id, aligned=t["aligned"]) if doc_id else None
        return t

    def find_tasks(self, text: str, doc_id: str | None = None) -> list[dict]:
        """Tasks by id, else by words in their heading or text (in `doc_id` when given); tasks that carry
        out a parent task first: their trace is the interesting one."""
        rows = self.run(READ("task_by_id"), {"q": text})
        if rows:
            return rows
        rows = self.run(READ("tasks_containing"), {"q": text})
        if doc_id:
            rows = [r for r in rows if r.get("doc_id") == doc_id]
        ids = [r["id"] for r in rows]
        aligned = {r["id"] for r in self.run(READ("tasks_aligned"), {"ids": ids})} if ids else set()
        rows.sort(key=lambda r: (r["id"] not in aligned, len(r.get("heading") or ""), r.get("start") or 0))
        return rows

    def aligned_up(self, task_id: str) -> list[dict]:
        """Tasks this one carries out (ALIGNS_WITH), followed up level by level."""
        out, seen, frontier, depth = [], {task_id}, [task_id], 0
        while frontier and depth < MAX_TRACE_DEPTH:
            depth += 1
            rows = self.run(READ("aligned_up"), {"ids": frontier})
            frontier = []
            for r in rows:
                if r["task_id"] in seen:
                    continue
                seen.add(r["task_id"])
                frontier.append(r["task_id"])
                out.append(dict(r, depth=depth))
        docs = self._docs(r["doc_id"] for r in out)
        for r in out:
            r["evidence"] = self.evidence(docs.get(r["doc_id"]), r["doc_id"], r.pop("start"), r.pop("end"), "task")
            if r.get("score") is not None:
                r["score"] = round(float(r["score"]), 3)
        return out

    # ------------------------------------------------------------------ documents
    def documents(self) -> list[dict]:
        rows = self.run(READ("documents"), {})
        out = [dict(self.doc_brief(r), tasks=int(r.get("tasks") or 0)) for r in rows]
        out.sort(key=lambda d: (d["stub"], d.get("date") or "", d.get("title") or d["doc_id"]))
        return out

    def _doc_edges(self, ids: list[str], up: bool) -> list[dict]:
        return self.run(READ("doc_parents_of" if up else "doc_children_of"), {"ids": ids})

    def _walk(self, doc_id: str, up: bool) -> tuple[dict[str, list[str]], dict[str, int]]:
        links: dict[str, list[str]] = {}
        depth = {doc_id: 0}
        frontier = [doc_id]
        level = 0
        while frontier and level < MAX_TRACE_DEPTH:
            level += 1
            nxt = []
            for r in self._doc_edges(frontier, up):
                links.setdefault(r["from_id"], [])
                if r["doc_id"] not in links[r["from_id"]]:
                    links[r["from_id"]].append(r["doc_id"])
                if r["doc_id"] not in depth:
                    depth[r["doc_id"]] = level
                    nxt.append(r["doc_id"])
            frontier = nxt
        return links, depth

    def trace_up(self, doc_id: str, aligned: list[dict] | None = None) -> dict:
        """The chain of documents `doc_id` implements, as a tree rooted at `doc_id`; each node lists the
        aligned tasks that live in that document. `highest` is the top-most loaded (non-stub) directive."""
        links, depth = self._walk(doc_id, up=True)
        docs = self._docs(depth)
        by_doc: dict[str, list[dict]] = {}
        for a in aligned or []:
            by_doc.setdefault(a["doc_id"], []).append(
                {k: a.get(k) for k in ("task_id", "number", "heading", "score", "evidence")})

        def node(i: str, seen: frozenset) -> dict:
            d = self.doc_brief(docs.get(i)) or {"doc_id": i, "doc_no": None, "title": None, "stub": True}
            n = dict(d, depth=depth.get(i, 0), aligned_tasks=by_doc.get(i, []), parents=[])
            for p in links.get(i, []):
                if p not in seen:
                    n["parents"].append(node(p, seen | {p}))
            return n

        tree = node(doc_id, frozenset({doc_id}))
        loaded = [(depth[i], i) for i in depth if not (docs.get(i) or {}).get("stub") and i in docs]
        highest = max(loaded)[1] if loaded else doc_id
        return {"tree": tree, "highest": self.doc_brief(docs.get(highest)) or {"doc_id": highest}}

    def document(self, doc_id: str) -> dict:
        docs = self._docs([doc_id])
        if doc_id not in docs:
            raise not_found("文件", "document", doc_id)
        d = docs[doc_id]
        up_links, up_depth = self._walk(doc_id, up=True)
        down_links, down_depth = self._walk(doc_id, up=False)
        others = self._docs([i for i in list(up_depth) + list(down_depth) if i != doc_id])
        parents = [dict(self.doc_brief(others.get(i)) or {"doc_id": i}, depth=k)
                   for i, k in sorted(up_depth.items(), key=lambda x: x[1]) if i != doc_id]
        children = [dict(self.doc_brief(others.get(i)) or {"doc_id": i}, depth=k)
                    for i, k in sorted(down_depth.items(), key=lambda x: x[1]) if i != doc_id]
        tasks = self.run(READ("document_tasks"), {"d": doc_id})
        tasks.sort(key=lambda t: t.get("start") or 0)
        targets = self.run(READ("document_targets"), {"d": doc_id})
        out = dict(self.doc_brief(d), parents=parents, children=children, targets=targets,
                   tasks=[{k: t.get(k) for k in ("task_id", "number", "path", "heading", "units")} for t in tasks])
        out["trace"] = self.trace_up(doc_id)
        out["children_tree"] = self._tree_down(doc_id, down_links, down_depth, others | {doc_id: d})
        return out

    def _tree_down(self, doc_id, links, depth, docs) -> dict:
        def node(i: str, seen: frozenset) -> dict:
            d = self.doc_brief(docs.get(i)) or {"doc_id": i, "doc_no": None, "title": None, "stub": True}
            n = dict(d, depth=depth.get(i, 0), children=[])
            for c in links.get(i, []):
                if c not in seen:
                    n["children"].append(node(c, seen | {c}))
            return n

        return node(doc_id, frozenset({doc_id}))

    # ------------------------------------------------------------------ graph
    def graph(self, unit: str | None = None, doc_id: str | None = None, limit: int = MAX_GRAPH_TASKS,
              busiest: int = 3) -> dict:
        """Responsibility subgraph of a unit, of a document, of a unit within a document (both given), or
        with neither of the `busiest` units with the most tasks (what the 责任网络 view opens on)."""
        if unit and doc_id:
            u = self.resolve_unit(unit)
            if not self._docs([doc_id]):
                raise not_found("文件", "document", doc_id)
            ids = [r["id"] for r in self.run(
                READ("graph_unit_in_document"), {"name": u["name"], "d": doc_id})]
            center, title = "u:" + u["name"], u["name"]
        elif unit:
            u = self.resolve_unit(unit)
            ids = [r["id"] for r in self.run(
                READ("graph_unit"), {"name": u["name"]})]
            center, title = "u:" + u["name"], u["name"]
        elif doc_id:
            found = self._docs([doc_id])
            if not found:
                raise not_found("文件", "document", doc_id)
            title = found[doc_id].get("title") or found[doc_id].get("doc_no") or doc_id
            ids = [r["id"] for r in self.run(
                READ("graph_document"), {"d": doc_id})]
            center = "d:" + doc_id
        else:
            names = [r["name"] for r in self.busiest_units(busiest)]
            ids = list(dict.fromkeys(r["id"] for r in self.run(
                READ("graph_units_tasks"), {"names": names}))) if names else []
            center = "u:" + names[0] if names else "busiest"
            title = "任务最多的单位：" + "、".join(names) if names else "（图中没有单位）"
        truncated = len(ids) > limit
        ids = ids[:limit]
        rows = self.run(
            READ("graph_roles"), {"ids": ids}) if ids else []
        dls = self.run(READ("graph_deadlines"), {"ids": ids}) if ids else []
        due: dict[str, list[str]] = {}
        for r in dls:
            due.setdefault(r["task_id"], []).append(r["text"])
        docs = self._docs(r["doc_id"] for r in rows)
        nodes: dict[str, dict] = {}
        edges = []
        unit_counts: dict[str, dict[str, int]] = {}
        for r in rows:
            role = REL_ROLE.get(r["rel"], r["rel"])
            uid, tid = "u:" + r["unit"], "t:" + r["task_id"]
            if uid not in nodes:
                nodes[uid] = {"id": uid, "kind": "unit", "label": r["unit"], "key": r["unit"],
                              "facts": {"单位": r["unit"], "类别": r.get("kind") or "unit"}}
            counts = unit_counts.setdefault(uid, {"lead": 0, "responsible": 0, "support": 0})
            counts[role] = counts.get(role, 0) + 1
            if tid not in nodes:
                d = docs.get(r["doc_id"]) or {}
                heading = (r.get("heading") or "").strip()
                nodes[tid] = {"id": tid, "kind": "task", "key": r["task_id"],
                              "label": ((r.get("number") or "") + (heading[:16] + ("…" if len(heading) > 16 else ""))),
                              "facts": {"任务": heading, "编号": r.get("number"), "文件": d.get("title"),
                                        "文号": d.get("doc_no"), "时限": "；".join(due.get(r["task_id"], [])) or None,
                                        "单位": []}}
            nodes[tid]["facts"]["单位"].append(f"{r['unit']}（{ROLE_CN.get(role, role)}）")
            edges.append({"from": uid, "to": tid, "role": role, "label": ROLE_CN.get(role, role),
                          "evidence": r.get("raw")})
        for uid, c in unit_counts.items():
            nodes[uid]["facts"].update({"牵头任务": c.get("lead", 0), "责任任务": c.get("responsible", 0),
                                        "配合任务": c.get("support", 0)})
        for n in nodes.values():
            if n["kind"] == "task":
                n["facts"]["单位"] = "、".join(n["facts"]["单位"])
        if center in nodes:
            nodes[center]["center"] = True
        return {"center": center, "title": title, "nodes": list(nodes.values()), "edges": edges,
                "truncated": truncated}

    def busiest_units(self, k: int = 3) -> list[dict]:
        """[{name, n}]: the k units named on the most tasks (any role), from the ranking kept at load time;
        counted from every role edge only in a store that has none (seconds at 10,000 plans)."""
        rows = self.run(READ("busiest_units_ranked"), {"k": int(k)})
        if rows and rows[0]["rows"] is not None:
            return rows[0]["rows"]
        return self.run(READ("graph_busiest_units"), {"k": int(k)})

    def dated_task(self, day: date | None = None) -> dict | None:
        """{heading, date}: a task due on or after `day` (default today), else the first one due at all."""
        since = (day or date.today()).isoformat()
        rows = self.run(READ("dated_task_from"), {"from": since}) or self.run(READ("dated_task_from"), {"from": ""})
        return rows[0] if rows else None

    # ------------------------------------------------------------------ overview
    def analytics(self, top: int = 15) -> dict:
        """Unit load, co-responsibility network, centrality, tasks without a lead (kg.ontology.analytics)."""
        from kg.ontology.analytics import analyse

        return analyse(self.store, top=top)

    def deadlines(self) -> list[dict]:
        rows = self.run(READ("deadlines"), {})
        docs = self._docs(r["doc_id"] for r in rows)
        for r in rows:
            d = docs.get(r["doc_id"]) or {}
            r["document"] = d.get("title") or d.get("doc_no") or r["doc_id"]
            r["date"] = str(r["date"])[:10]
        rows.sort(key=lambda r: (r["date"], r["doc_id"] or ""))
        return rows

    def overdue(self, asof: date) -> list[dict]:
        from kg.qa.intents.base import listed_rows

        # until: the as-of date, every deadline key before that day (overdue_tasks.cypher)
        rows, _cypher = listed_rows(self.run, "overdue_tasks", {"until": asof.isoformat(), "docs": [], "limit": 1000})
        docs = self._docs(r["doc_id"] for r in rows)
        for r in rows:
            r.pop("task_text", None)  # the QA answer's quote source, not a ledger column
            d = docs.get(r["doc_id"]) or {}
            r["document"] = d.get("title") or d.get("doc_no") or r["doc_id"]
        return rows

    # ------------------------------------------------------------------ upload
    def read_upload(self, filename: str, data: bytes):
        """Bytes -> LoadedText, or ApiError(413/415/400) naming the file and the reason."""
        name = Path(filename or "").name or "upload"
        ext = Path(name).suffix.lower()
        exts = supported_extensions()
        if ext not in exts:
            raise ApiError(415, "unsupported_type",
                           f"{name}：不支持的文件类型 {ext or '（无扩展名）'}，支持 {' '.join(exts)}",
                           f"{name}: unsupported file type {ext or '(none)'}; supported: {' '.join(exts)}")
        limit = max_file_bytes()
        if len(data) > limit:
            raise ApiError(413, "file_too_large", f"{name}：文件过大（上限 {limit // (1024 * 1024)} MB）",
                           f"{name}: file is larger than {limit} bytes")
        if not data:
            raise ApiError(400, "empty_file", f"{name}：文件为空", f"{name}: file is empty")
        loaders = _loaders()
        try:
            return loaders.load_bytes(data, name)
        except loaders.LoadError as exc:
            reason = getattr(exc, "reason", str(exc))
            raise ApiError(400, "unreadable_file", f"{name}：无法读取（{reason}）", f"{name}: cannot be read: {reason}")

    def extract_upload(self, filename: str, data: bytes):
        from kg.extract import extract_text

        name = Path(filename or "").name or "upload"
        loaded = self.read_upload(name, data)
        plan = extract_text(loaded.text, source=name, meta=getattr(loaded, "meta", None))
        plan.warnings = list(getattr(loaded, "warnings", []) or []) + list(plan.warnings)
        if not plan.tasks and not plan.title and not plan.doc_no:
            raise ApiError(422, "not_a_plan", f"{name}：没有识别出标题、文号或编号任务，未入库",
                           f"{name}: no title, document number or numbered tasks found; nothing stored")
        return plan

    @staticmethod
    def plan_summary(plan) -> dict:
        tasks = []
        n_deadlines = 0
        for t in plan.tasks:
            n_deadlines += len(t.deadlines)
            tasks.append({"id": t.id, "number": t.number, "path": t.path, "heading": t.heading,
                          "units": [f"{u.name}（{ROLE_CN.get(u.role, u.role)}）" for u in t.units],
                          "deadlines": [d.text for d in t.deadlines],
                          "targets": [x.text for x in t.targets]})
        return {"source": plan.source, "doc_id": plan.doc_id, "title": plan.title, "doc_no": plan.doc_no,
                "issuer": plan.issuer, "date": plan.date, "level": plan.level, "region": plan.region,
                "parents": [{"title": p.title, "doc_no": p.doc_no, "doc_id": p.doc_id} for p in plan.parents],
                "counts": {"tasks": len(plan.tasks), "units": len(plan.units), "deadlines": n_deadlines,
                           "targets": len(plan.targets) + sum(len(t.targets) for t in plan.tasks)},
                "units": [u.name for u in plan.units], "tasks": tasks, "warnings": list(plan.warnings)}

    def safe_stats(self) -> dict:
        try:
            return self.store.stats()
        except Exception as exc:
            return {"error": str(exc)[:200]}

    def upload(self, files: list[tuple[str, bytes]], dry_run: bool = False) -> dict:
        """Each file is read, extracted and (unless dry_run) loaded on its own: one bad file does not stop
        the others. Raises the first file's ApiError when no file succeeds."""
        if not files:
            raise ApiError(400, "no_file", "没有上传文件", "no file uploaded")
        results, errors = [], []
        plans = []
        for name, data in files:
            try:
                plan = self.extract_upload(name, data)
            except ApiError as exc:
                errors.append(exc)
                results.append({"file": Path(name or "").name, "ok": False, "status": exc.status,
                                "error": exc.message, "error_en": exc.message_en})
                continue
            plans.append(plan)
            results.append({"file": plan.source, "ok": True, "plan": self.plan_summary(plan)})
        before = self.safe_stats()
        after = before
        if not dry_run and plans:
            with self.write_lock:
                by_source = {r["file"]: r for r in results if r["ok"]}
                for plan in plans:
                    t0 = time.perf_counter()
                    try:
                        by_source[plan.source]["loaded"] = self.store.load_plan(plan)
                    except Exception as exc:  # a store refusing one plan must not lose the others
                        r = by_source[plan.source]
                        r.update(ok=False, status=500, error=f"{plan.source}：入库失败（{exc}）",
                                 error_en=f"{plan.source}: loading failed: {exc}")
                        continue
                    by_source[plan.source]["seconds"] = round(time.perf_counter() - t0, 2)
                try:
                    from kg.qa.indexing import index_new_tasks

                    index = index_new_tasks(self.store)
                except Exception as exc:
                    index = {"error": str(exc)[:200]}
                for r in results:
                    if r["ok"]:
                        r["index"] = index
                after = self.safe_stats()
        if not any(r["ok"] for r in results):
            first = errors[0] if errors else ApiError(500, "load_failed", "入库失败", "loading failed")
            raise ApiError(first.status, first.code, first.message, first.message_en,
                           detail={"files": results})
        return {"dry_run": dry_run, "files": results, "stats_before": before, "stats_after": after}

    # ------------------------------------------------------------------ export
    def export(self, fmt: str) -> tuple[str, str]:
        fmt = (fmt or "").lower()
        if fmt not in EXPORT_FORMATS:
            raise ApiError(400, "bad_format", f"不支持的导出格式：{fmt}（可选 ttl、jsonld）",
                           f"unsupported export format {fmt!r}: use ttl or jsonld")
        try:
            from kg.ontology.rdf import PK, export_graph
        except ImportError:
            raise ApiError(501, "not_available", "RDF 导出尚未提供", "RDF export is not available")
        g = export_graph(self.store)
        if fmt == "ttl":
            data = g.serialize(format="turtle")
        else:
            data = g.serialize(format="json-ld", context={"pk": str(PK), "xsd": "http://www.w3.org/2001/XMLSchema#"})
        if isinstance(data, bytes):
            data = data.decode("utf-8")
        return data, EXPORT_FORMATS[fmt]
