"""Turn a Plan into the parameter rows the load statements UNWIND: one place that decides ids,
evidence quotes and de-duplication, the same for both engines."""
from __future__ import annotations

import re

from kg.model import Plan, document_id, normalize_doc_no, normalize_title

from . import copies
from .cypher import ROLE_RELS

QUOTE_MAX = 200
_STOPS = "\n。；;！？!?"


def quote(text: str, start: int | None, end: int | None, fallback: str | None = None) -> str:
    """The sentence (or line) of `text` around [start, end): the evidence a fact is quoted by."""
    if not text or start is None or end is None or not (0 <= start <= end <= len(text)):
        return (fallback or "").strip()[:QUOTE_MAX]
    lo = start
    while lo > 0 and text[lo - 1] not in _STOPS:
        lo -= 1
    hi = end
    while hi < len(text) and text[hi] not in _STOPS:
        hi += 1
    if hi < len(text) and text[hi] not in "\n":
        hi += 1  # keep the sentence's own full stop
    q = text[lo:hi].strip()
    if len(q) > QUOTE_MAX:  # keep the span itself in view
        a = max(lo, min(start - QUOTE_MAX // 3, hi - QUOTE_MAX))
        q = text[a:min(hi, a + QUOTE_MAX)].strip()
    return q or (fallback or "").strip()[:QUOTE_MAX]


def surface(text: str, start: int | None, end: int | None, raw: str | None) -> str:
    """The unit's name as written: the mention's span in the text (`raw` may be the whole line)."""
    if text and start is not None and end is not None and 0 <= start < end <= len(text) and end - start <= 60:
        return text[start:end].strip()
    return (raw or "").strip() if raw and len(raw) <= 60 else ""


def split_issuers(issuer: str | None) -> list[str]:
    if not issuer:
        return []
    names = [n.strip() for n in re.split(r"[、,，;；]", issuer)]
    return [n for n in dict.fromkeys(names) if n]


class PlanRows:
    """Everything `load_plan` writes, as plain dicts."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.doc_id = plan.doc_id
        text = plan.text or ""
        self.title_key = normalize_title(plan.title)
        self.doc = {
            "doc_id": self.doc_id, "doc_no": normalize_doc_no(plan.doc_no) or plan.doc_no, "title": plan.title,
            "title_key": self.title_key, "issuer": plan.issuer, "date": plan.date, "level": plan.level,
            "region": plan.region, "source": plan.source, "text": text, "warnings": list(plan.warnings or []),
        }
        self.tasks, self.part_of = [], []
        self.roles: dict[str, list[dict]] = {rel: [] for rel in ROLE_RELS.values()}
        self.deadlines, self.task_targets, self.doc_targets = [], [], []
        units: dict[str, dict] = {}

        def add_unit(name: str, aliases=(), kind: str | None = None):
            name = (name or "").strip()
            if not name:
                return
            u = units.setdefault(name, {"name": name, "aliases": [], "kind": kind or "unit"})
            for a in aliases:
                a = (a or "").strip()
                if a and a not in u["aliases"]:
                    u["aliases"].append(a)
            if kind and u["kind"] == "unit":
                u["kind"] = kind

        for u in plan.units:
            add_unit(u.name, u.aliases, u.kind)

        task_ids = {t.id for t in plan.tasks}
        seen_roles = set()
        for t in plan.tasks:
            self.tasks.append({"id": t.id, "parent_id": t.parent_id, "number": t.number, "path": t.path,
                               "heading": t.heading, "text": t.text, "start": t.start, "end": t.end})
            if t.parent_id and t.parent_id in task_ids:
                self.part_of.append({"child": t.id, "parent": t.parent_id})
            for m in t.units:
                rel = ROLE_RELS.get(m.role)
                if not rel or not (m.name or "").strip():
                    continue
                add_unit(m.name, [surface(text, m.start, m.end, m.raw)])
                key = (m.name.strip(), rel, t.id)
                if key in seen_roles:
                    continue
                seen_roles.add(key)
                self.roles[rel].append({"unit": m.name.strip(), "task": t.id, "start": m.start, "end": m.end,
                                        "raw": m.raw, "evidence": quote(text, m.start, m.end, m.raw)})
            for i, d in enumerate(t.deadlines):
                self.deadlines.append({"id": f"{t.id}#due{i}", "task": t.id, "text": d.text, "date": d.date,
                                       "start_date": d.start_date, "kind": d.kind, "start": d.start, "end": d.end,
                                       "evidence": quote(text, d.start, d.end, d.text),
                                       "due_key": copies.due_key(d.date, self.doc_id)})
            for i, x in enumerate(t.targets):
                self.task_targets.append(self._target(x, f"{t.id}#target{i}", text, owner=t.id))
        for i, x in enumerate(plan.targets):
            self.doc_targets.append(self._target(x, f"{self.doc_id}#target{i}", text))

        self.issuers = split_issuers(plan.issuer)
        for name in self.issuers:
            add_unit(name, [name])
        self.units = list(units.values())

        # citations: parents -> IMPLEMENTS; other documents a task cites -> CITES (+ REFERENCES from the task)
        self.parents, self.cites, self.references = [], [], []
        self.stubs: dict[str, dict] = {}
        seen_parents, seen_cites, seen_refs = set(), set(), set()
        for r in plan.parents:
            did = r.doc_id
            if did == self.doc_id or did in seen_parents or did.startswith("src:"):
                continue
            seen_parents.add(did)
            self._stub(r, did)
            self.parents.append({"doc_id": did, "start": r.start, "end": r.end,
                                 "evidence": quote(text, r.start, r.end, r.title or r.doc_no)})
        for t in plan.tasks:
            for r in t.references:
                did = r.doc_id
                if did == self.doc_id or did.startswith("src:"):
                    continue
                self._stub(r, did)
                ev = quote(text, r.start, r.end, r.title or r.doc_no)
                if (t.id, did) not in seen_refs:
                    seen_refs.add((t.id, did))
                    self.references.append({"task": t.id, "doc_id": did, "start": r.start, "end": r.end,
                                            "evidence": ev})
                if did not in seen_parents and did not in seen_cites:
                    seen_cites.add(did)
                    self.cites.append({"doc_id": did, "start": r.start, "end": r.end, "evidence": ev})
        self._stamp()

    def _stamp(self) -> None:
        """Every row names its document, so rows of several plans can share one statement."""
        d = self.doc_id
        for rows in (self.tasks, self.part_of, self.deadlines, self.task_targets, self.doc_targets,
                     *self.roles.values()):
            for r in rows:
                r["doc_id"] = d
        for rows in (self.parents, self.cites, self.references):
            for r in rows:
                r["from"] = d
        self.issued_by = [{"doc_id": d, "name": n} for n in self.issuers]

    @staticmethod
    def _target(x, tid: str, text: str, owner: str | None = None) -> dict:
        row = {"id": tid, "indicator": x.indicator, "op": x.op, "value": x.value, "unit": x.unit, "year": x.year,
               "text": x.text, "start": x.start, "end": x.end, "evidence": quote(text, x.start, x.end, x.text)}
        if owner:
            row["owner"] = owner
        return row

    def _stub(self, ref, did: str) -> None:
        if did not in self.stubs:
            self.stubs[did] = {"doc_id": did, "title": ref.title, "doc_no": normalize_doc_no(ref.doc_no),
                               "title_key": normalize_title(ref.title)}
        else:
            s = self.stubs[did]
            s["title"] = s["title"] or ref.title
            s["title_key"] = s["title_key"] or normalize_title(ref.title)

    def resolve(self, known: dict[str, str]) -> None:
        """Point title-only citations at a document already in the store under its 文号
        (`known`: title_key -> doc_id)."""
        remap = {}
        for did, s in self.stubs.items():
            if did.startswith("title:") and s["title_key"] in known and known[s["title_key"]] != did:
                remap[did] = known[s["title_key"]]
        if not remap:
            return
        for did, new in remap.items():
            s = self.stubs.pop(did)
            if new == self.doc_id:
                continue
            self.stubs.setdefault(new, dict(s, doc_id=new))

        def fix(rows, key="doc_id"):
            out, seen = [], set()
            for r in rows:
                r = dict(r, **{key: remap.get(r[key], r[key])})
                k = (r.get("task"), r[key])
                if r[key] == self.doc_id or k in seen:
                    continue
                seen.add(k)
                out.append(r)
            return out

        self.parents = fix(self.parents)
        parent_ids = {p["doc_id"] for p in self.parents}
        self.cites = [c for c in fix(self.cites) if c["doc_id"] not in parent_ids]
        self.references = fix(self.references)

    def title_only_keys(self) -> list[str]:
        return sorted({s["title_key"] for d, s in self.stubs.items() if d.startswith("title:") and s["title_key"]})

    @property
    def task_ids(self) -> list[str]:
        return [t["id"] for t in self.tasks]

    @property
    def ids_unique(self) -> bool:
        """No id twice among the plan's tasks, deadlines and targets: its nodes can be CREATEd on a first
        load (a plan repeating an id is MERGEd, which folds the repeats into one node, as before)."""
        ids = [x["id"] for rows in (self.tasks, self.deadlines, self.task_targets, self.doc_targets) for x in rows]
        return len(ids) == len(set(ids))

    reloaded: bool = False  # set by the load: the document had been loaded before
    revision: dict | None = None  # set by a re-load that changed the plan: what the diff counted

    def counts(self) -> dict:
        out = {"doc_id": self.doc_id, "source": self.plan.source, "tasks": len(self.tasks),
                "units": len(self.units), "roles": sum(len(v) for v in self.roles.values()),
                "deadlines": len(self.deadlines), "targets": len(self.task_targets) + len(self.doc_targets),
                "citations": len(self.parents) + len(self.cites)}
        if self.reloaded:
            out["reloaded"] = True
        if self.revision:
            out["revision"] = self.revision
        return out


__all__ = ["PlanRows", "quote", "split_issuers", "document_id"]
