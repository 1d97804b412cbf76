"""open_tasks: tasks not yet 已完成 according to the progress reports (督办, kg.supervision)."""
from __future__ import annotations

import re

from kg.roles import ALL_RELS

from ..context import Ctx, docs_of, units_of
from ..signals import COMPLETION, HANDLED, NOT_DONE, OVERDUE, Signals
from .base import intent
from .time import _task_rows_answer, task_label


def _rule(s: Signals) -> float:
    # status from progress reports — not what a plan rules for those who fail (没完成任务的部门怎么处理, 由谁问责)
    if s.has(NOT_DONE) and not s.has(HANDLED) and not re.search(r"问责|处罚|处分|追责|考核", s.q):
        return 6.0
    return 0.0


@intent("open_tasks", family="time", description="还没完成的任务（按填报的进展状态；逾期 + 没有进展 = 已过期限且从未填报）",
        needs=[], templates=["open_tasks", "open_tasks_unit"], rule=_rule,
        examples=["矿区环保中队还有哪些任务没完成", "哪些任务还没有完成", "哪些逾期任务还没有进展", "还有哪些工作没做完"])
def h_open_tasks(c: Ctx):
    """Tasks not 已完成 by the progress reports; with 逾期/超期: only those past their deadline, and with
    没有进展: only those never reported on."""
    asof = c.today.isoformat() if OVERDUE.search(c.q) else None
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
        lines.append(f"- [{a.get('status') or '未填报'}] {task_label(a)}（{c.doc_label(a['doc_id'])}）")
    if len(answers) > 40:
        lines.append(f"……另有{len(answers) - 40}项")
    return answers, "\n".join(lines)


def _rule_completion(s: Signals) -> float:
    # `…调试试验完成了多少项` about a named document and no unit: a figure its text reports, not progress
    if not s.has(COMPLETION) or (s.has_doc and not s.has_actor and re.search(r"完成了(?:多少|几)", s.q)
                                 and not re.search(r"完成率|完成情况|完成进度|各单位|哪些单位|哪个单位", s.q)):
        return 0.0
    return 6.0


@intent("unit_completion", family="statistics", description="各单位完成率（按填报的进展：已完成 / 承担的任务）",
        needs=[], templates=["unit_completion"], rule=_rule_completion,
        examples=["各单位完成率", "各单位任务完成情况怎么样", "矿区环保中队的完成率是多少"])
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
