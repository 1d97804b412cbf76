"""Intents about a unit: the tasks it leads / is responsible for / supports, and its partners."""
from __future__ import annotations

import re

from kg.roles import ALL_RELS, ROLE_CN

from ..context import (Ctx, children_of, family_of, docs_of, next_siblings_of, parents_of, rels_for, resolve_tasks, sentence_bounds,
                       item_label, units_of)
from ..linking import Match
from ..prose import (asked_actor, body_named_in_full, items_as_subject, named_in_text, sector_units, unit_forms,
                     written_as_in)
from ..signals import (COUNT, DOWN, DUE, FACTS, NOLEAD, OPEN, OVERDUE, PARTNER, TARGET, THIS_DOC, THIS_TASK, UNIT_TASK, UP,
                       WHEN, WHO, WORKLOAD, Signals)
from .base import intent


SHOWN = 30  # items a unit's task list prints


def _rule_unit_tasks(s: Signals) -> float:
    v = (2.0 if s.has_actor and s.has(UNIT_TASK) else 0.0) + (1.0 if s.has_actor else 0.0)
    if s.unit_asked_of:
        v += 2.0
    # `报送国务院办公厅备案要求什么时候完成`: asked when, not which tasks — the unit is part of the task
    if s.has(WHEN) and not re.search(r"哪些|哪几|几项|什么任务|什么工作|啥任务", s.q):
        v -= 1.5
    return v


def _rule_unit_partners(s: Signals) -> float:
    return (3.5 if s.has_unit and s.has(PARTNER) else 0.0) + (1.0 if s.has(WHO) and s.has_unit and s.has(PARTNER) else 0.0)


@intent('unit_tasks', family='unit', description='某单位负责（牵头 / 责任 / 配合）哪些任务',
        needs=['actor'], templates=['unit_tasks', 'unit_tasks_docs', 'unit_docs', 'tasks_mentioning', 'units_by_workload'],
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
    if not units and c.ln.unknown_unit:
        units = sector_units(c, c.ln.unknown_unit, docs)  # 发改部门: the document's 发展改革委
        if units:
            c.notes.append(f"“{c.ln.unknown_unit}”按文中的{'、'.join(units)}理解")
        else:
            return named_in_text(c, c.ln.unknown_unit, docs)
    if not units:
        return None
    if len(units) > AMBIGUOUS and not docs:
        return _which_of_many(c, units)
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

    if docs:
        full = body_named_in_full(c, units)
        if full:  # 实行全系统垂直管理的国务院部门办公厅（室）…, linked to 国务院部门: the body the document names
            _forget_linking(c, units)
            return named_in_text(c, full, docs)
    rows = fetch(rels)
    widened = False
    if not rows and rels != ALL_RELS:
        rows = fetch(ALL_RELS)
        widened = bool(rows)
        if rows:
            c.notes.append(f"图中没有写明{'、'.join(units)}{ROLE_CN[rels[0]]}的任务，列出其承担的全部任务")
    if docs and not rows:
        written = written_as_in(c, docs)
        if written and written not in units:  # 人民银行泰州中支 asked, 人行泰州中支 written: the document's form
            _forget_linking(c, units)
            c.notes.append(f"“{asked_actor(c)}”按文中写法“{written}”理解")
            units = [written]
            rows = fetch(rels) or fetch(ALL_RELS)
    who = "、".join(units)
    if docs and not rows:
        # (the body as the question writes it too: 各有关单位 linked to 省各有关单位)
        said = items_as_subject(c, unit_forms(c, units) + [f for f in [asked_actor(c)] if f], docs)
        if said:  # prose duties (市场监管总局要…, 由X负责…) the extractor did not read as roles
            return said, f"图中没有记录{who}在{c.doc_label(docs[0])}中的分工；该文件中写到它要做的条目共{len(said)}项：\n" + \
                "\n".join(f"- {item_label(c, a)}" for a in said[:SHOWN])
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
    _shared_items_quoted_by_heading(c, rows, by_task)
    role_word = "承担" if widened else {"lead": "牵头", "support": "配合"}.get(c.ln.role or "", "承担")
    if not answers:
        return answers, f"图中没有找到{who}{role_word}的任务。"
    lines = [f"{who}{role_word}的任务共{len(answers)}项："]
    for a in answers[:SHOWN]:
        lines.append(f"- {item_label(c, a)}（{'/'.join(a['roles'])}；{c.doc_label(a['doc_id'])}）")
    if len(answers) > SHOWN:
        lines.append(f"……另有{len(answers) - SHOWN}项")
    if docs and c.ln.role in (None, "responsible"):  # what it must do in one document: its prose duties too
        more = []  # (司法部负责组织协调…, 请人力资源社会保障部…)
        for r in items_as_subject(c, unit_forms(c, units), docs):
            if r["task_id"] in by_task:
                by_task[r["task_id"]]["evidence"] += [e for e in r["evidence"] if e not in by_task[r["task_id"]]["evidence"]]
            else:
                more.append(dict(r, roles=["原文要求"]))
        if more:
            lines.append(f"另外，原文写到{who}要做的条目{len(more)}项：")
            lines += [f"- {item_label(c, a)}" for a in more[:20]]
            answers += more
    return answers, "\n".join(lines)




def _forget_linking(c: Ctx, units: list[str]) -> None:
    """Drop the notes saying how the question's name was linked to `units`: the answer names another body."""
    c.notes[:] = [n for n in c.notes if not any(f"按{u}" in n for u in units)]


def _shared_items_quoted_by_heading(c: Ctx, rows: list[dict], by_task: dict[str, dict]) -> None:
    """An item that gives different units their duties in different sentences (`（二）积极协调企业用工。人社部门
    要…。交通运输部门要…`): the item's quote is its first sentence, the heading, and the sentence naming the asked
    unit says what it must do — the item's opening is another unit's duty."""
    shown = set(list(by_task)[:SHOWN])  # (the items the answer lists: a unit of 500 tasks reads 30 texts, not 500)
    late = {r["task_id"]: r["ev_start"] - r["start"] for r in rows
            if r["task_id"] in shown and r.get("ev_start") is not None and r["ev_start"] > r["start"]}
    if not late:
        return
    found = c.run("tasks_text_roles", {"tasks": sorted(late)})  # each text and its units' role offsets
    texts = {t["id"]: t.get("text") or "" for t in found}
    others: dict[str, set] = {}
    asked = {r["unit"] for r in rows}
    for t in found:
        text = texts[t["id"]]
        for r in t.get("roles") or []:
            if r["unit"] not in asked and r.get("ev_start") is not None and text:
                others.setdefault(t["id"], set()).add(sentence_bounds(text, r["ev_start"] - t["start"])[0])
    for tid, at in late.items():
        a, text = by_task.get(tid), texts.get(tid, "")
        if a is None or not a["evidence"] or a["evidence"][0].what != "task" or len(text) != a["end"] - a["start"]:
            continue
        first_end = sentence_bounds(text, 0)[1]
        mine = sentence_bounds(text, at)[0]
        if at >= first_end and others.get(tid) and mine not in others[tid]:
            head = c.evidence(a["doc_id"], a["start"], a["start"] + first_end, "task", text[:first_end])
            if head:
                a["evidence"][0] = head


# one short name for more bodies than this (市生态环境局 in a library of many cities) asks which is meant
AMBIGUOUS = 30


def _which_of_many(c: Ctx, units: list[str]):
    """A name that stands for many bodies of different places, with no document named: their tasks together
    answer nobody; say so, and name those with the most tasks, so the question can be asked again."""
    said = "、".join(dict.fromkeys(m.surface for m in c.ln.units))
    rows = c.run("units_by_workload", {"units": units, "limit": 10})
    top = "；".join(f"{r['unit']}（{r['tasks']}项）" for r in rows)
    return [], (f"“{said}”在图中对应{len(units)}个不同地方的单位，没有找到唯一的一个。请写明地方（如“某市{said}”）"
                f"或文件。任务最多的是：{top}")


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


