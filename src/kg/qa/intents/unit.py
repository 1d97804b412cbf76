"""Intents about a unit: the tasks it leads / is responsible for / supports, and its partners."""
from __future__ import annotations

import re

from kg.roles import ALL_RELS, ROLE_CN

from ..context import (Ctx, children_of, family_of, docs_of, next_siblings_of, parents_of, rels_for, resolve_tasks,
                       item_label, units_of)
from kg.extract.gazetteer import sector_forms

from ..linking import Match, body_forms
from ..signals import (COUNT, DOWN, DUE, FACTS, NOLEAD, OPEN, OVERDUE, PARTNER, TARGET, THIS_DOC, THIS_TASK, UNIT_TASK, UP,
                       WHEN, WHO, WORKLOAD, Signals)
from .base import intent


def _rule_unit_tasks(s: Signals) -> float:
    v = (2.0 if s.has_actor and s.has(UNIT_TASK) else 0.0) + (1.0 if s.has_actor else 0.0)
    # `报送国务院办公厅备案要求什么时候完成`: asked when, not which tasks — the unit is part of the task
    if s.has(WHEN) and not re.search(r"哪些|哪几|几项|什么任务|什么工作|啥任务", s.q):
        v -= 1.5
    return v


def _rule_unit_partners(s: Signals) -> float:
    return (3.5 if s.has_unit and s.has(PARTNER) else 0.0) + (1.0 if s.has(WHO) and s.has_unit and s.has(PARTNER) else 0.0)


@intent('unit_tasks', family='unit', description='某单位负责（牵头 / 责任 / 配合）哪些任务',
        needs=['actor'], templates=['unit_tasks', 'unit_tasks_docs', 'unit_docs', 'tasks_mentioning'],
        empty_is_unanswerable=True,
        rule=_rule_unit_tasks,
        examples=[
              '矿区环保中队负责哪些任务',
              '矿区煤炭科牵头了哪些工作',
              '工商质监所要配合做什么',
              '综合行政执法大队有哪些任务',
              '经济发展服务中心牵头的事项有哪些',
              '州环境监察支队管哪些事',
              '派出所在方案里承担什么工作',
              '我们村镇办要干啥'])
def h_unit_tasks(c: Ctx):
    units = units_of(c)
    docs = docs_of(c, use_context=False)
    if not units:
        return _named_in_text(c, c.ln.unknown_unit, docs) if c.ln.unknown_unit else None
    rels = rels_for(c.ln.role, c.q, False)
    scope = family_of(c, docs) if docs else []

    def fetch(rels_):
        if docs:
            rows_ = c.run("unit_tasks_docs", {"units": units, "rels": rels_, "docs": docs})
            if not rows_ and len(scope) > len(docs):  # the named document's family: plans implementing it
                rows_ = c.run("unit_tasks_docs", {"units": units, "rels": rels_, "docs": scope})
                if rows_:
                    c.notes.append("该文件本身没有写，以下为落实它的下级方案中的任务")
            return rows_
        return c.run("unit_tasks", {"units": units, "rels": rels_})

    rows = fetch(rels)
    widened = False
    if not rows and rels != ALL_RELS:
        rows = fetch(ALL_RELS)
        widened = bool(rows)
        if rows:
            c.notes.append(f"图中没有写明{'、'.join(units)}{ROLE_CN[rels[0]]}的任务，列出其承担的全部任务")
    if docs and not rows:
        who = "、".join(units)
        said = _items_as_subject(c, [m.surface for m in c.ln.units] + units, docs)
        if said:  # prose duties (市场监管总局要…, 由X负责…) the extractor did not read as roles
            return said, f"图中没有记录{who}在{c.doc_label(docs[0])}中的分工；该文件中写到它要做的条目共{len(said)}项：\n" + \
                "\n".join(f"- {item_label(c, a)}" for a in said[:30])
        # precise "not found": the unit has no task in the named document; say where it does have tasks
        where = c.run("unit_docs", {"units": units})
        text = f"{who}在{c.doc_label(docs[0])}中没有找到负责的任务。"
        if where:
            text += "它在以下文件中有任务：" + "；".join(
                f"{c.doc_label(w['doc_id'])}（{w['tasks']}项）" for w in where[:5])
        else:
            text += "图中也没有它在其他文件中的任务。"
        return [], text
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
        lines.append(f"- {item_label(c, a)}（{'/'.join(a['roles'])}；{c.doc_label(a['doc_id'])}）")
    if len(answers) > 30:
        lines.append(f"……另有{len(answers) - 30}项")
    if docs and c.ln.role in (None, "responsible"):  # what it must do in one document: its prose duties too
        more = []  # (司法部负责组织协调…, 请人力资源社会保障部…)
        names = [f for n in [m.surface for m in c.ln.units] + units for f in sorted(body_forms(n))]
        for r in _items_as_subject(c, names, docs):
            if r["task_id"] in by_task:
                by_task[r["task_id"]]["evidence"] += [e for e in r["evidence"] if e not in by_task[r["task_id"]]["evidence"]]
            else:
                more.append(dict(r, roles=["原文要求"]))
        if more:
            lines.append(f"另外，原文写到{who}要做的条目{len(more)}项：")
            lines += [f"- {item_label(c, a)}" for a in more[:20]]
            answers += more
    return answers, "\n".join(lines)




COLLECTIVE = re.compile(r"(?P<pre>各地区|各地|各级|地方各级|县级以上|省、市两级|各省|各)(?P<core>[\u4e00-\u9fff]{2,8}?)(?:部门|机关|单位|机构)")


# X要… / X负责… / X会同… ; in a list (X、Y要…) only a modal or 负责 closes it: 国家药监局、联合采购办公室 is no duty
_DUTY_AFTER = (r"(?:要|应|须|负责|牵头|会同|做好|加强|组织|指导|配合|抓好|联合|共同"
               r"|[、，,和及与](?:(?!组成|选派|参加)[^。；;，,]){0,30}?(?:要|应当|应|须|负责|牵头|会同))")


def _innermost(rows: list[dict]) -> list[dict]:
    """An item's text holds its sub-items': keep the deepest items that match."""
    return [r for r in rows if not any(o is not r and o["doc_id"] == r["doc_id"] and r["start"] <= o["start"]
                                       and o["end"] <= r["end"] for o in rows)]


def _with_evidence(c: Ctx, rows: list[dict]) -> list[dict]:
    out = []
    for r in rows:
        ev = c.evidence(r["doc_id"], r["start"], r["end"], "task", source=r.get("text"))
        out.append(dict(r, evidence=[ev] if ev else []))
    return out


def _items_as_subject(c: Ctx, names: list[str], docs: list[str]) -> list[dict]:
    """Items of the documents whose text makes one of `names` the subject of a duty (X要…, X会同Y…, 由X负责,
    请X…), each quoted by the sentences that say so."""
    rows: dict[str, dict] = {}
    said: dict[str, list[tuple[int, int]]] = {}
    for name in dict.fromkeys(n for n in names if len(n) >= 2):
        duty = re.compile(re.escape(name) + _DUTY_AFTER + "|[由请]" + re.escape(name))
        for r in c.run("tasks_mentioning", {"docs": docs, "text": name}):
            text = r.get("text") or ""
            hits = [m.start() for m in duty.finditer(text)]
            if hits:
                rows.setdefault(r["task_id"], r)
                said.setdefault(r["task_id"], []).extend(_sentence(text, i) for i in hits)
    out = []
    for r in _innermost(sorted(rows.values(), key=lambda r: (r["doc_id"], r["start"]))):
        text = r.get("text") or ""
        exact = len(text) == r["end"] - r["start"]  # the text is the document's own span: sentences can be cut
        spans = sorted(set(said[r["task_id"]])) if exact else [(0, len(text))]
        evs = [c.evidence(r["doc_id"], r["start"] + a, r["start"] + b, "task", text[a:b]) for a, b in spans]
        out.append(dict(r, evidence=[e for e in evs if e]))
    return out


def _sentence(text: str, at: int) -> tuple[int, int]:
    start = max(text.rfind(ch, 0, at) for ch in "。；;\n") + 1
    ends = [i for i in (text.find(ch, at) for ch in "。；;\n") if i >= 0]
    return start, (min(ends) + 1 if ends else len(text))


def _named_in_text(c: Ctx, name: str, docs: list[str]):
    """A body the graph does not hold as a unit: the items of the named document whose text names it (the
    innermost ones), said as such — never another unit's tasks."""
    if not docs:
        return [], f"图中没有找到名为“{name}”的单位。请在问题中写明文件，以便查找文件中写到它的条目。"
    rows = c.run("tasks_mentioning", {"docs": docs, "text": name})
    said = f"“{name}”"
    sector = re.fullmatch(r"(?:各地|各级|各)?(?P<word>[\u4e00-\u9fff]{2,10}?)部门", name)
    for word in sorted(sector_forms(sector.group("word")) if sector and not rows else (), key=len, reverse=True):
        rows = c.run("tasks_mentioning", {"docs": docs, "text": word + "部门"})  # 人社部门: 人力资源社会保障部门
        if rows:
            said = f"“{word}部门”"
            break
    m = COLLECTIVE.fullmatch(name)
    if not rows and m:  # 各地公安部门: the text lists sectors (各地公安、市场监管部门); the items naming the sector,
        # those that name it after the same collective word first
        rows = c.run("tasks_mentioning", {"docs": docs, "text": m.group("core")})
        near = re.compile(re.escape(m.group("pre")) + r"[^。；;]{0,20}" + re.escape(m.group("core")))
        rows = [r for r in rows if near.search(r.get("text") or "")] or rows
        said = f"“{m.group('core')}”"
    answers = _with_evidence(c, _innermost(rows))
    where = c.doc_label(docs[0])
    if not answers:
        return [], f"图中没有找到名为“{name}”的单位，{where}中也没有写到它的条目。"
    lines = [f"图中没有把“{name}”记为单位（抽取时未读出它的职责分工）。{where}中写到{said}的条目共{len(answers)}项："]
    lines += [f"- {item_label(c, a)}" for a in answers[:30]]
    return answers, "\n".join(lines)


@intent('unit_partners', family='unit', description='与某单位共同承担任务的单位',
        needs=['unit'], templates=['unit_partners'],
        rule=_rule_unit_partners,
        examples=[
              '哪些单位和矿区环保中队一起承担任务',
              '跟工商质监所合作最多的单位是哪些',
              '矿区煤炭科和谁一起干活',
              '与综合行政执法大队共同负责任务的单位'])
def h_unit_partners(c: Ctx):
    units = units_of(c)
    if not units:
        return None
    docs = docs_of(c, use_context=False)
    rows = c.run("unit_partners", {"units": units, "docs": docs})
    answers = [dict(r, tasks=(r.get("tasks") or [])[:10], evidence=[]) for r in rows]
    who = "、".join(units)
    if not answers:
        return answers, f"图中没有和{who}共同承担任务的单位。"
    lines = [f"与{who}共同承担任务的单位（按共同任务数）："]
    for a in answers[:20]:
        lines.append(f"- {a['unit']}：{a['shared_tasks']}项")
    return answers, "\n".join(lines)


