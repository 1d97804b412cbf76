"""task_count: how many tasks (条/项/措施) a document has, or how many a unit carries in it."""
from __future__ import annotations

import re

from kg.model import PREAMBLE_PATH
from kg.roles import ALL_RELS

from ..context import Ctx, docs_of, rels_for, task_label, units_of
from ..dates import cn_to_int
from ..prose import body_named_in_full, named_in_text
from ..signals import COUNT, WORKLOAD, Signals
from .base import intent


PARAGRAPH = re.compile(r"/¶\d+$")


# 推出多少项精品赛事 / 培育多少家: a count the plan sets as a goal (a target), not how many items it has
GOAL_VERB = re.compile(r"(?:推出|建成|培育|打造|新增|达到|引进|创建|建设|认定|形成|突破|举办|培养|扶持|要到|实现)[\u4e00-\u9fff]{0,2}$")


# what is counted, when it is no item of the plan (任务, 工作, 措施, 条…)
OTHER_THING = re.compile(r"(?!任务|工作|措施|事|条|政策|举措|内容|分工|职责|活|重点|目标)[\u4e00-\u9fff]{2,}?(?:要求|记录单|记录|试验|问题|意见|建议|人次|次)")

NAMES_DOC = re.compile(r"(?:政策|措施|意见|规定|办法)?[里中内]")


def _asked_count(q: str) -> re.Match | None:
    """Where `q` (the question without its documents' words) asks how many: not 那几条政策里, a document's name."""
    return next((m for m in COUNT.finditer(q) if not NAMES_DOC.match(q, m.end())), None)


def _rule(s: Signals) -> float:
    q = s.ln.without_documents()  # words of the document's name count nothing (试验区那几条政策里)
    m = _asked_count(q)
    if not m or (s.has(WORKLOAD) and re.search(r"最多|最少|排名|排行|哪个", s.q)) or GOAL_VERB.search(q[:m.start()]):
        return 0.0
    if OTHER_THING.match(q, m.end()):  # 提了多少项整改要求, 形成了多少个检查记录单: a figure the text reports
        return 0.0
    return 4.0 + (0.5 if s.has_doc else 0.0)


def _num(number: str | None) -> int | None:
    m = re.search(r"\d+|[零〇一二两三四五六七八九十百]+", number or "")
    if not m:
        return None
    g = m.group(0)
    if g.isdigit():
        return int(g)
    if "百" in g:
        return None
    return cn_to_int(g)


def count_level(rows: list[dict]) -> tuple[int, list[dict]]:
    """The numbering level that counts a document's items: among the hierarchy levels, those whose numbers
    run 1..n through the whole document without restarting under each parent; of those, the one with the
    most items (a 21-item list under five sections counts 21). Returns (depth, items of that level)."""
    by_depth: dict[int, list[dict]] = {}
    for r in rows:
        if r.get("path") == PREAMBLE_PATH:
            continue  # the text before the first item holds its limits, it is no item
        depth = (r.get("path") or "").count("/") + 1
        by_depth.setdefault(depth, []).append(r)
    best = (0, 0, [])
    for depth, items in sorted(by_depth.items()):
        nums = [_num(r.get("number")) for r in items]
        running = all(n is not None for n in nums) and nums == list(range(1, len(nums) + 1))
        score = (1 if running else 0, len(items))
        if score > best[:2]:
            best = (score[0], score[1], items)
            best_depth = depth
    if not best[2]:
        return 0, []
    return best_depth, best[2]


@intent("task_count", family="statistics", description="文件有多少条任务 / 某单位在文件里负责几条",
        needs=["document"], templates=["task_count", "unit_tasks_docs"], rule=_rule,
        examples=["这个方案一共有多少条任务", "国发〔2019〕3号一共有多少条主要任务", "若干措施一共多少条",
                  "住建部在这个文件里负责了几条", "督查激励措施一共多少项"])
def h_task_count(c: Ctx):
    docs = docs_of(c)
    if not docs:
        return None
    doc = docs[0]
    if c.ln.units:
        units = units_of(c)
        rels = rels_for(c.ln.role, c.q, False)
        if c.ln.role == "responsible":
            rels = ALL_RELS
        rows = c.run("unit_tasks_docs", {"units": units, "rels": rels, "docs": [doc]})
        role_note = ""
        if not rows and rels != ALL_RELS:  # `参与几项`: often any part in it, not strictly 配合
            rows = c.run("unit_tasks_docs", {"units": units, "rels": ALL_RELS, "docs": [doc]})
            role_note = "（按所写角色没有找到，以下按任何角色计）" if rows else ""
        seen: dict[str, dict] = {}
        for r in rows:
            item = PARAGRAPH.sub("", r["task_id"])  # a paragraph (¶) of an item counts as that item
            if item not in seen:
                ev = c.evidence(r["doc_id"], r.get("start"), r.get("end"), "task")
                named = r if item == r["task_id"] else (c.lex.tasks.get(item) or {})  # the ¶'s own item
                seen[item] = {"task_id": item, "number": named.get("number"), "heading": named.get("heading"),
                              "doc_id": r["doc_id"], "unit": r["unit"], "evidence": [e for e in [ev] if e]}
        answers = list(seen.values())
        who = "、".join(units)
        full = body_named_in_full(c, units) if not answers else None
        if full:  # 生态环境部辐射源安全监管司, linked to 生态环境部: count the items that name it
            return named_in_text(c, full, [doc])
        if not answers:
            return [], f"{who}在{c.doc_label(doc)}中没有找到负责的任务（0条）。"
        verb = "参与" if role_note else {"lead": "牵头", "support": "配合"}.get(c.ln.role or "", "负责")
        lines = [f"{who}在{c.doc_label(doc)}中{verb}{len(answers)}条（项）任务{role_note}："]
        for a in answers[:40]:
            lines.append(f"- {a.get('number') or ''}{task_label(a)}")
        return [dict(a, count=len(answers)) for a in answers], "\n".join(lines)
    rows = c.run("task_count", {"docs": [doc]})
    depth, items = count_level(rows)
    if not items:
        return [], f"{c.doc_label(doc)}在图中没有编号的条目。"
    n = len(items)
    answers = [{"doc_id": doc, "count": n, "level": depth, "task_id": it["task_id"], "number": it.get("number"),
                "heading": it.get("heading"),
                "evidence": [e for e in [c.evidence(doc, it.get("start"), it.get("end"), "task")] if e]}
               for it in items]
    lines = [f"{c.doc_label(doc)}共有{n}条（项）（按第{depth}级编号计，从{items[0].get('number')}到{items[-1].get('number')}）："]
    stated = _stated_count(c, doc)
    if stated:
        quote, a, b = stated
        lines.insert(0, f"原文写明：“{quote}”")
        answers.insert(0, {"doc_id": doc, "kind": "stated", "text": quote,
                           "evidence": [e for e in [c.evidence(doc, a, b, "count", quote)] if e]})
    for a in [a for a in answers if a.get("kind") != "stated"][:40]:
        lines.append(f"- {a.get('number') or ''}{task_label(a)}")
    return answers, "\n".join(lines)


STATED = re.compile(r"(?P<n>\d+|[一二三四五六七八九十两]+)(?:项|条|个|类)")


def _stated_count(c: Ctx, doc: str) -> tuple[str, int, int] | None:
    """The document's own count of what is asked (推广的改革举措（共23项）, 实行五项制度): a number of 项/条/个
    beside the question's noun, which numbering alone may miscount. (quote, start, end) or None."""
    q = c.ln.without_documents()
    m = _asked_count(q)
    if not m:
        return None
    noun = re.sub(r"[？?。！!，,\s]|^(?:的|是)", "", q[m.end():]) or re.sub(r"(?:一共|总共|共有|共计|合计|有|了)+$", "", q[:m.start()])
    want = {noun[i:i + 2] for i in range(len(noun) - 1)} - {"一共", "总共"}
    text = (c.docs([doc]).get(doc) or {}).get("text") or ""
    if not want or not text:
        return None
    best = None
    for hit in STATED.finditer(text):
        before = re.split(r"[，。；：、\n]", text[max(0, hit.start() - 14):hit.start()])[-1]
        after = re.split(r"[，。；：、\n（）()]", text[hit.end():hit.end() + 14])[0]
        near = before + after
        score = len(want & {near[i:i + 2] for i in range(len(near) - 1)})
        if score >= min(2, len(want)) and (best is None or score > best[0]):
            a, b = hit.start() - len(before), hit.end() + len(after)
            b += text[b:b + 1] in "）)" and "（" in text[a:b]  # 改革举措（共23项）: the bracket closed
            best = (score, text[a:b].strip(), a, b)
    return best[1:] if best else None
