"""Intents about a task: who does it, which directive it carries out, tasks without a lead."""
from __future__ import annotations

import re

from kg.roles import ALL_RELS, ROLE_CN

from ..context import (Ctx, asked_sentence, children_of, docs_of, next_siblings_of, parents_of, rels_for, resolve_tasks, runner_up_rows,
                       sentence_bounds, task_label, units_of)
from ..linking import Match
from ..prose import subjects_in_items
from ..signals import (COUNT, DOWN, DUE, FACTS, LEVEL_ASKED, NOLEAD, OPEN, OVERDUE, PARTNER, TARGET, THIS_DOC, THIS_TASK, UNIT_TASK, UP,
                       WHEN, WHO, WORKLOAD, Signals)
from .base import intent
from ..context import _citation_span


# the question asks for a unit (`联合采购办公室的日常工作是哪家单位在承担`, `路费谁出`): a unit it names is part
# of the task, not the actor
ASKS_FOR_UNIT = re.compile(r"由(?:哪|谁)|(?:哪个|哪些|哪几个|什么|哪家|哪一个)(?:部门|单位|机构)?(?:在|来)?"
                           r"(?:牵头|负责|配合|承担|组织|主办|承办)|谁(?:来|在)?(?:牵头|负责|管|承担|组织|出钱|出|付|支付|主办|承办)"
                           r"|(?:归|归口|交给|交由)(?:哪个|哪家|哪些|哪几个|哪几家|谁)|谁挑头|谁来抓"  # 这事归哪个部门
                           r"|(?:底下|下面|下设的?)哪(?:个|些|几个)|" + LEVEL_ASKED +  # 联合采购办公室底下哪个组
                           # …共建人才实训基地…那条，牵头和参加单位是哪些: the item's units
                           r"|(?:牵头|责任|参加|参与|配合)(?:[和、及](?:牵头|责任|参加|参与|配合))?(?:单位|部门)(?:分别)?(?:是|有)(?:哪|谁)")


def _rule_task_units(s: Signals) -> float:
    v = 0.0
    if s.has(WHO) and not s.has_actor:  # (a name in the actor slot: 中心是哪几条的责任单位 asks its tasks)
        v += 2.5
    if s.ln.role and not s.has_actor and re.search(r"谁|哪", s.q):
        v += 1.0
    if s.has(THIS_TASK):
        v += 0.5
    # `高校的创新创业教育工作机制由哪个部门牵头`: it asks for the unit; the unit it names is part of the task
    if s.has_unit and ASKS_FOR_UNIT.search(s.q):
        v += 3.5
    return v


def _rule_task_directive(s: Signals) -> float:
    v = 0.5 if s.has(THIS_TASK) else 0.0
    if not s.has_doc and s.has(UP) and (s.has_task_words or s.has(THIS_TASK)):
        v += 3.0
    return v


def _rule_tasks_no_lead(s: Signals) -> float:
    return 6.0 if s.has(NOLEAD) else 0.0


def _units_answer(c: Ctx, rows: list[dict], within: tuple[int, int] | None = None):
    """One answer per (task, unit); `within`: the asked sentence, quoted for the task instead of its whole text."""
    by_unit: dict[tuple, dict] = {}
    for r in rows:
        key = (r["task_id"], r["unit"])
        a = by_unit.get(key)
        if a is None:
            a = {"task_id": r["task_id"], "heading": r.get("heading"), "number": r.get("number"),
                 "doc_id": r.get("doc_id"), "unit": r["unit"], "roles": [], "evidence": []}
            ev = c.evidence(r["doc_id"], *(within or (r.get("start"), r.get("end"))), "task")
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




def _in_asked_sentence(c: Ctx, rows: list[dict], scope: list[str]
                       ) -> tuple[list[dict], list[dict], tuple[int, int] | None]:
    """An item naming several bodies, asked about one sentence of it (…跟踪监测和第三方评估是谁来组织): the bodies
    named in that sentence; with none named there, the sentence's own subject (工业和信息化部将…组织…评估), read
    from the text — unless a bracketed role clause (（X牵头，Y配合）) speaks for the whole item. Also the sentence's
    span when the rows were narrowed to it."""
    # (bodies all named in one statement, the usual bracket, need no sentence: no extra query)
    # (nor when the question names the item by its heading: it asks about the whole item)
    several = len({r["unit"] for r in rows}) > 1 and len({r.get("ev_text") for r in rows}) > 1 \
        and not any(m.how == "heading" for m in c.tasks)
    focus = asked_sentence(c, scope) if several else None
    if not focus:
        return rows, [], None
    mine = [r for r in rows if r["task_id"] == focus["task_id"] and r.get("ev_start") is not None]
    inside = [r for r in mine if focus["a"] <= r["ev_start"] < focus["b"]]
    if inside:  # a bracketed role clause of the item (（责任单位：A、B）) speaks for its every sentence
        inside += [r for r in mine if r not in inside and (r.get("ev_text") or "")[:1] in "（(〔【"]
    if inside and len({r["unit"] for r in inside}) < len({r["unit"] for r in rows}):
        c.notes.append("按问题所指的原句列出其中写明的单位")
        return inside, [], (focus["a"], focus["b"])
    if not inside and mine and not any((r.get("ev_text") or "")[:1] in "（(〔【" for r in mine):
        return rows, subjects_in_items(c, [focus["task_id"]], within=(focus["a"], focus["b"])), None
    return rows, [], None


@intent('task_units', family='task', description='某项任务由谁牵头 / 谁负责 / 谁配合',
        needs=['task'], templates=['task_units'], empty_is_unanswerable=True,
        rule=_rule_task_units,
        examples=[
              '谁牵头燃煤锅炉拆改',
              '燃煤锅炉拆改的牵头单位是谁',
              '道路扬尘污染管控由哪个单位负责',
              '严控散煤反弹谁来管',
              '秸秆禁烧哪些单位负责',
              '加强油品质量监管的责任单位有哪些',
              '露天矿山整治是哪个部门牵头的',
              '淘汰老旧车辆谁配合'])
def h_task_units(c: Ctx):
    tasks = resolve_tasks(c)
    if not tasks and c.ln.units:  # 部际联席会议由哪个部门牵头: the body asked about names the item
        tasks = resolve_tasks(c, words=" ".join(u.surface for u in c.ln.units))
    if not tasks:
        return None
    rels = rels_for(c.ln.role, c.q, True)
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
    if not rows:
        rows = runner_up_rows(c, tasks, lambda ids: c.run("task_units", {"tasks": ids, "rels": rels}))
    if not rows and rels != ALL_RELS:
        rows = c.run("task_units", {"tasks": scope, "rels": ALL_RELS})
        if rows:
            c.notes.append(f"该任务未写明{ROLE_CN[rels[0]]}单位，列出所有相关单位")
    rows, said, within = _in_asked_sentence(c, rows, scope)
    if said:
        lines = ["问题所指的原句中承担它的是："] + [f"- {a['unit']}（{c.doc_label(a['doc_id'])}）" for a in said]
        return said, "\n".join(lines)
    answers = _units_answer(c, rows, within)
    heads = "、".join(task_label(c.lex.tasks.get(t, {"heading": t})) for t in tasks)
    if not answers:
        answers = subjects_in_items(c, scope)
        if answers:
            lines = [f"图中没有为任务「{heads}」记录单位（抽取时未读出其分工）。原文中承担它的是："]
            lines += [f"- {a['unit']}（{c.doc_label(a['doc_id'])}）" for a in answers]
            return answers, "\n".join(lines)
    if not answers:  # the passage itself, so the reader sees what the item says of who does it: the sentence
        # asked about when one holds the question's words (…督导评估情况汇报: 国务院教育督导委员会定期听取…)
        focus = asked_sentence(c, scope[:2])
        quotes = [focus["sentence"].strip()] if focus else \
            [(r.get("text") or "").strip() for r in c.run("task_details", {"tasks": scope[:2], "limit": 2})]
        passage = "".join(f"\n原文：“{q[:200]}{'…' if len(q) > 200 else ''}”" for q in quotes if q)
        return answers, f"任务「{heads}」在图中没有写明单位。{passage}"
    by_task: dict[str, list] = {}
    for a in answers:
        by_task.setdefault(a["task_id"], []).append(a)
    lines = []
    for t, items in by_task.items():
        lines.append(f"「{task_label(items[0])}」（{c.doc_label(items[0]['doc_id'])}）：")
        for role in ("牵头", "责任", "配合"):
            names = [a["unit"] for a in items if role in a["roles"]]
            if names:
                lines.append(f"  {role}单位：{'、'.join(names)}")
    return answers, "\n".join(lines)




@intent('task_directive', family='task', description='某项任务落实的上级要求（任务 → 文件 → IMPLEMENTS 链 + 对应上级任务）',
        needs=['task'], templates=['task_directive', 'task_references'],
        rule=_rule_task_directive,
        examples=[
              '燃煤锅炉拆改落实的是哪个上级文件',
              '严控煤炭消费总量这项任务依据什么',
              '这个任务对应上级方案的哪一条',
              '加强油品质量监管是根据哪个文件要求的',
              '淘汰老旧车辆的上级依据是什么'])
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
        lines.append(f"「{task_label(first)}」出自{c.doc_label(first['doc_id'])}。")
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
    else:  # a standard or rule the task's text follows by name, with no 《》 (按照…分级标准评估)
        for a, line in _named_in_task(c, tasks):
            answers.append(a)
            lines.append(line)
    return answers, "\n".join(lines)


def _named_in_task(c: Ctx, tasks: list[str]) -> list[tuple[dict, str]]:
    """Documents the tasks' own text names after 按照/依据/参照… without 《》, each quoted by its sentence."""
    from .document import UNBRACKETED

    out = []
    for r in c.run("task_details", {"tasks": tasks[:2], "limit": 2}):
        text = r.get("text") or ""
        for m in UNBRACKETED.finditer(text):
            a, b = sentence_bounds(text, m.start())
            ev = c.evidence(r["doc_id"], r["start"] + a, r["start"] + b, "citation", text[a:b]) \
                if len(text) == r["end"] - r["start"] else None
            out.append(({"task_id": r["task_id"], "reference_title": m.group("title"), "evidence": [ev] if ev else []},
                        f"任务正文提到：{m.group('title')}（“{text[a:b].strip()[:120]}”）"))
    return out




@intent('tasks_no_lead', family='task', description='没有牵头单位的任务（督查用）',
        needs=[], templates=['tasks_no_lead', 'tasks_no_lead_docs'],
        rule=_rule_tasks_no_lead,
        examples=[
              '哪些任务没有牵头单位',
              '有没有缺牵头单位的任务',
              '没明确牵头部门的工作有哪些'])
def h_tasks_no_lead(c: Ctx):
    docs = docs_of(c, use_context=False)
    rows = c.run("tasks_no_lead_docs", {"docs": docs}) if docs else c.run("tasks_no_lead", {})
    answers = [dict(r, evidence=[e for e in [c.evidence(r["doc_id"], r["start"], r["end"], "task")] if e])
               for r in rows]
    if not answers:
        return answers, "没有缺牵头单位的任务。" if docs else "没有只写了责任单位却缺牵头单位的任务。"
    lines = [f"没有写牵头单位的任务共{len(answers)}项：" if docs else f"写了责任单位但没有牵头单位的任务共{len(answers)}项："]
    for a in answers[:30]:
        lines.append(f"- {task_label(a)}（{'、'.join(a.get('units') or [])}；{c.doc_label(a['doc_id'])}）")
    return answers, "\n".join(lines)


