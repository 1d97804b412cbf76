"""Intents about time: the deadline of a task, tasks due in a period, overdue tasks."""
from __future__ import annotations

import math
import re

from kg.extract.deadlines import find_deadlines
from kg.model import Deadline
from kg.roles import ALL_RELS, ROLE_CN
from kg.store.copies import through

from .. import dates
from ..context import (Ctx, asked_sentence, children_of, cutoff, docs_of, next_siblings_of, parents_of, rels_for, resolve_tasks, runner_up_rows,
                       sentence_bounds, task_label, task_probe, units_of)
from ..asked import asked_items, grams
from ..linking import Match
from ..retrieval import bigrams
from ..signals import (COUNT, DOWN, DUE, FACTS, NOLEAD, OPEN, OVERDUE, PARTNER, TARGET, THIS_DOC, THIS_TASK, UNIT_TASK, UP,
                       WHEN, WHO, WORKLOAD, Signals)
from .base import intent


WHAT_THEN = re.compile(r"(?:什么|哪些)要求|要求(?:做到|完成|实现)?(?:什么|哪些)|(?:打造|建成|建设|形成|实现|做到|达到)出?(?:什么|哪些)")
LATEST = re.compile(r"最晚|最迟|(?:哪年(?:年?底|末)?|哪天|几月|什么时候)(?:之)?前|定在哪一?年|限到哪")


def _rule_task_deadline(s: Signals) -> float:
    v = 3.0 if s.has(WHEN) and (not s.has_period or s.year_only) else 0.0
    if LATEST.search(s.q):  # `…全覆盖，最晚哪年前实现`: a limit, not the document's year
        v = max(v, 4.0)
    # `2020年1月申报的…税款最晚什么时候支付`: the date describes the task; the question asks its limit
    if s.has_period and re.search(r"最晚|什么时候|何时|哪一?天|几号", s.q) and not re.search(r"哪些|什么任务|哪几|完成什么|做什么", s.q):
        v = max(v, 3.5)
    return v + (0.5 if s.has(THIS_TASK) else 0.0)


def _rule_tasks_due(s: Signals) -> float:
    # `对2017年提出了什么要求`, `到2022年…要打造出什么`: what is due in that period
    if s.has_period and (s.has(DUE) or WHAT_THEN.search(s.q)):
        return 3.0
    return 1.5 if s.has_period else 0.0


def _rule_overdue(s: Signals) -> float:
    if re.search(r"算什么|算不算|视为|视作|会怎样|怎么办", s.q):
        return 0.0  # 过了期限没回复算什么: what the text says follows, not which tasks are late
    return 5.0 if s.has(OVERDUE) else 0.0


def _deadline_rows(c: Ctx, tasks: list[str]) -> list[dict]:
    """The tasks' own time limits; else their sub-items', else their parent items' (said in a note)."""
    rows = c.run("task_deadline", {"tasks": tasks})
    for related, whose in ((children_of, "子任务"), (parents_of, "上级条目")):
        if rows:
            break
        others = related(c, tasks)
        rows = c.run("task_deadline", {"tasks": others}) if others else []
        if rows:
            c.notes.append(f"该任务本身未写时限，以下为其{whose}的时限")
    return rows




_TEXT_DEADLINE = re.compile(r"(\d{4}年)?\d{1,2}月(\d{1,2}日|底|末|中旬|上旬|下旬)?(前|之前|以前)|\d{4}年(底|年底)前|"
                            r"\d{4}年\d{1,2}月\d{1,2}日")


def _alone_on_line(text: str, m: re.Match) -> bool:
    line_start = text.rfind("\n", 0, m.start()) + 1
    line_end = text.find("\n", m.end())
    return not text[line_start:m.start()].strip() and not text[m.end():len(text) if line_end < 0 else line_end].strip()


def _deadline_in_text(c: Ctx, tasks: list[str]) -> list[dict]:
    """A time limit written in the task's own text that the extractor did not attach (…于2022年6月底前完成…)."""
    from ..dates import parse_period

    rows = c.run("task_details", {"tasks": tasks})
    out = []
    for r in rows:
        text = r.get("text") or ""
        # a date alone on its line is the signature's, not a time limit
        m = next((m for m in _TEXT_DEADLINE.finditer(text) if not _alone_on_line(text, m)), None)
        if not m:
            continue
        d = (c.lex.docs.get(r["doc_id"]) or {}).get("date") or ""
        ref = int(d[:4]) if re.match(r"\d{4}", str(d)) else None
        p = parse_period(m.group(0), c.today, ref)
        if p and p.end:
            out.append({"task_id": r["task_id"], "heading": r.get("heading"), "number": r.get("number"),
                        "doc_id": r["doc_id"], "start": r["start"], "end": r["end"], "deadline": m.group(0),
                        "date": p.end, "from_text": True})
    if out:
        c.notes.append("时限取自任务原文")
    return out


def _in_sentence(c: Ctx, rows: list[dict], focus: dict) -> list[dict]:
    """The limits written in the asked sentence; else one read from that sentence's own words (力争2020年…)."""
    inside = [r for r in rows if r.get("dl_start") is not None and focus["a"] <= r["dl_start"] < focus["b"]
              and r["task_id"] == focus["task_id"]]
    if inside or rows and all(r.get("dl_start") is None for r in rows):
        return inside
    d = (c.lex.docs.get(focus["doc_id"]) or {}).get("date") or ""
    year = int(d[:4]) if re.match(r"\d{4}", str(d)) else None
    found = [x for x in find_deadlines(focus["sentence"], 0, len(focus["sentence"]), year, d or None) if x.date]
    bare = _BARE_YEAR.search(focus["sentence"])
    if not found and bare:
        found = [Deadline(text=bare.group(0), date=f"{bare.group('y')}-12-31", start_date=None, kind="by",
                          start=bare.start(), end=bare.end())]
    if found:
        c.notes.append("时限取自问题所指的原文句子")
    return [{"task_id": focus["task_id"], "heading": focus.get("heading"), "number": focus.get("number"),
             "doc_id": focus["doc_id"], "start": focus["a"], "end": focus["b"], "deadline": x.text, "date": x.date,
             "from_text": True} for x in found[:1]]


SENTENCE_MIN = 3  # shared two-character words for a written limit to stand for the question


def _deadlines_by_sentence(c: Ctx, docs: list[str], tasks: list[str]) -> list[dict]:
    """The document's limits whose sentence, and the act after them, share the most of the question's words (…需要补建、改建、
    新建的…2020年12月底前完成项目竣工验收 for 补建改建新建的幼儿园什么时候完成竣工验收) — returned only when they
    share clearly more than the limits of the task the question was resolved to, so a question naming a task by
    its heading keeps that task."""
    asked = set(bigrams(task_probe(c.ln.without_titles())))  # the units named too: 全市政府部门…在6月底前
    if len(asked) < SENTENCE_MIN:
        return []
    found = []
    for r in c.run("doc_deadlines", {"docs": docs}):
        text, rel = r.get("task_text") or "", (r.get("dl_start") or -1) - (r.get("start") or 0)
        if len(text) != (r["end"] or 0) - (r["start"] or 0) or not 0 <= rel < len(text):
            continue
        a, b = sentence_bounds(text, rel)
        if b - a < 30 or text[a:a + 1] in "（(":  # `（8月底完成，牵头考核单位：…）` closing the item: its sentence before
            a = sentence_bounds(text, max(a - 2, 0))[0]
        _, then = sentence_bounds(text, rel, stops="。；;\n，,")  # what is due by it: from the limit to the clause's end
        if then - rel <= 12 and then < len(text) and text[then - 1] in "，,":  # `在2014年底前，全国供应…柴油`: the next one
            _, then = sentence_bounds(text, then, stops="。；;\n，,")
        found.append((asked & set(bigrams(text[a:b])), asked & set(bigrams(text[rel:then])),
                      dict(r, start=r["start"] + a, end=r["start"] + b)))
    # a word most of the document's limits share (京津冀 in a regional plan) tells them apart less than a rare one
    df = {g: sum(g in words for words, _, _ in found) for g in asked}
    weight = {g: math.log(1 + len(found) / (1 + df[g])) for g in asked}
    scored = [(sum(weight[g] for g in words) + sum(weight[g] for g in act), r) for words, act, r in found]
    if not scored:
        return []
    best = max(s for s, _ in scored)
    own = max((s for s, r in scored if r["task_id"] in tasks), default=0)
    if best >= max(SENTENCE_MIN * 2, 0.4 * sum(weight.values())) and best >= own * 1.25:
        c.notes.append("按问题的用词匹配到写有该时限的原句")
        return [r for s, r in scored if s == best]
    mine = [(s, r) for s, r in scored if r["task_id"] in tasks]
    if own >= SENTENCE_MIN and sum(s == own for s, _ in mine) < len(mine):  # one of the task's limits
        return [r for s, r in mine if s == own]
    return []


# the document's own validity asked (这些政策管到什么时候, 有效期到哪天): its closing 有效期至… / 暂执行至… line
VALIDITY_ASKED = re.compile(r"有效期|施行期|执行期|管到|(?:政策|措施|文件|通知|办法|意见|方案)(?:的)?(?:执行|施行|实施|有效)到")
VALIDITY_WRITTEN = re.compile(r"有效期|(?:施行|实施|执行)(?:期|至|到)|之日起")


def _validity_rows(c: Ctx, docs: list[str]) -> list[dict]:
    """The named document's validity limit (the last one written: a plan states it in its closing lines),
    quoted with its sentence."""
    rows = [r for r in c.run("doc_deadlines", {"docs": docs}) if VALIDITY_WRITTEN.search(r.get("deadline") or "")
            and r.get("date") and r.get("dl_start") is not None]
    if not rows:
        return []
    r = rows[-1]
    text, rel = r.get("task_text") or "", r["dl_start"] - (r.get("start") or 0)
    if len(text) == (r["end"] or 0) - (r["start"] or 0) and 0 <= rel < len(text):
        a, b = sentence_bounds(text, rel)
        r = dict(r, start=r["start"] + a, end=r["start"] + b)
    r = dict(r, validity=True, start_date=None)  # the end is asked (有效期到哪天), not the day it began
    c.notes.append("问的是文件本身的有效期：取自文件写明的施行/有效期限")
    return [r]


DURATION_ASKED = re.compile(r"多长时间|多久|几天|多少天|几个工作日|多少个工作日|几个月|多少个月")
DURATION = re.compile(r"(?:\d+|[一二三四五六七八九十两]+)个?(?:工作日|日|天|周|个月|月|年|小时)")


# a year that opens what is to be achieved: 力争2020年…, 到2025年… (a year the extractor left unattached)
_BARE_YEAR = re.compile(r"(?:^|力争|到|至|在|于|推动)(?P<y>(?:19|20)\d{2})年(?![\d月起以来度])")


@intent('task_deadline', family='time', description='某项任务的完成时限',
        needs=['task'], templates=['task_deadline', 'doc_deadlines'],
        rule=_rule_task_deadline,
        examples=[
              '燃煤锅炉拆改什么时候完成',
              '燃煤锅炉拆改的截止时间是哪天',
              '非法露天开采矿山多久要取缔完毕',
              '烟气超低排放示范工程的完成时限',
              '这个任务的截止时间呢',
              '涉气工业企业监控全覆盖哪个月底前完成',
              '清理整治阶段要在什么时间前完成'])
def h_task_deadline(c: Ctx):
    tasks = resolve_tasks(c)
    docs = docs_of(c, use_context=False)
    if not tasks and docs:
        # no task recognised, but a document named: a document that sets no deadline at all is answered so
        dl = c.run("tasks_due", {"start": "0000-01-01", "until": through("9999-12-31"), "docs": docs})
        if not dl:
            c.unanswerable = True  # the document sets no deadline at all: nothing to answer with
            return [], f"{c.doc_label(docs[0])}没有规定任何完成期限（图中没有找到该文件的时限）。"
    rows = _validity_rows(c, docs) if docs and VALIDITY_ASKED.search(c.ln.without_titles()) else []
    if rows:
        return _deadline_answer(c, rows)
    if not tasks:
        return None
    rows = _deadline_rows(c, tasks)
    focus = asked_sentence(c, tasks)
    if focus:
        rows = _in_sentence(c, rows, focus) or rows
    rows = (_deadlines_by_sentence(c, docs, tasks) if docs else []) or rows  # the limit written where its words are
    rows = rows or _deadline_in_text(c, tasks)
    if not rows:
        rows = runner_up_rows(c, tasks, lambda ids: c.run("task_deadline", {"tasks": ids}))
    if DURATION_ASKED.search(c.q) and not any(DURATION.search(r.get("deadline") or "") for r in rows):
        return None  # 审核一般要给多长时间: a length of time the passage states, not an item's limit (立即)
    rows = rows or _target_years(c, tasks)
    if not rows:
        c.unanswerable = True  # the task is found, its text sets no time limit: nothing to answer with
        heads = "、".join(task_label(c.lex.tasks.get(t, {"heading": t})) for t in tasks)
        return [], f"任务「{heads}」在图中没有写明完成时限。"
    return _deadline_answer(c, rows)


def _sentence_at(text: str, pos) -> str:
    if pos is None or not text:
        return ""
    a, b = sentence_bounds(text, int(pos))
    return text[a:b]


def _quotes_value(q: str, value) -> bool:
    return value is not None and re.search(r"(?<![\d.])" + re.escape(f"{value:g}") + r"(?![\d.])", q) is not None


def _target_years(c: Ctx, tasks: list[str]) -> list[dict]:
    """A goal's year when the item sets no limit (营收突破2.2万亿元是定在哪年年底): the targets of the items whose
    words the question shares most, each with the year it is set for."""
    asked = set(bigrams(task_probe(c.ln.without_titles())))
    docs = list({c.lex.tasks.get(t, {}).get("doc_id") for t in tasks} - {None})
    found = [(len(asked & set(bigrams(g.get("text") or ""))), g)
             for g in c.run("targets", {"until": "\uffff", "indicators": [], "year": 0, "docs": docs})
             if g.get("task_id") in tasks and g.get("year")] if docs else []
    texts = {d: (c.docs([d]).get(d) or {}).get("text") or "" for d in {g["doc_id"] for _, g in found}}
    found = [(n, g) for n, g in found  # a year written in its sentence, not the plan's year assumed for it
             if f"{g['year']}年" in _sentence_at(texts[g["doc_id"]], g.get("start"))]
    quoted = [(n, g) for n, g in found if _quotes_value(c.q, g.get("value"))]
    found = quoted or found  # the question quotes the value (突破2.2万亿元): that target, not its neighbours
    best = max((n for n, _ in found), default=0)
    return [{"task_id": g["task_id"], "heading": g.get("heading"), "doc_id": g["doc_id"], "start": g["start"],
             "end": g["end"], "deadline": f"{g['year']}年（{g.get('text')}）", "date": f"{g['year']}-12-31", "kind": "by"}
            for n, g in found if n == best and n >= SENTENCE_MIN]


# the end of a span is asked (培训班哪天结束, 最晚哪天): a range answers with its last day
END_ASKED = re.compile(r"结束|截止|截至|最晚|最迟|到哪天|到什么时候|返程|到期")


def _deadline_answer(c: Ctx, rows: list[dict]):
    ends = bool(END_ASKED.search(c.q))
    answers = []
    for r in rows:  # (a task_deadline.cypher row quotes its task from its own text: Ctx.evidence)
        a = {k: v for k, v in r.items() if k != "quote_source"}
        ev = c.evidence(r["doc_id"], r["start"], r["end"], "task", r.get("quote_source"))
        answers.append(dict(a, evidence=[e for e in [ev] if e], **({"start_date": None} if ends else {})))
    lines = []
    for a in answers:
        when = a.get("deadline") or ""
        iso = a.get("date")
        what = "文件有效期" if a.get("validity") else f"「{task_label(a)}」"
        lines.append(f"{what}：{when}" + (f"（{iso}）" if iso and iso not in when else "")
                     + f"；{c.doc_label(a['doc_id'])}")
    return answers, "\n".join(lines)




def _period_bounds(c: Ctx) -> tuple[str, str]:
    p = c.ln.period
    end = p.end
    start = p.start
    if start is None:
        start = end[:4] + "-01-01" if end else "0000-01-01"
    return start, end


# a year's goals (到2025年，…。建设…。打造…。): the sentences after the one that names the year are its goals too,
# over line breaks (a 发展目标 item's short paragraphs)
YEAR_GOAL = re.compile(r"(?:到|至|力争)?\d{4}年(?:底|末)?$|^(?:从|自)\d{4}年.*起$")
GOAL_CHARS = 400  # at most, up to the next year named or the next numbered item


def _with_goal_sentences(text: str, at: int, passage: str) -> str:
    end = at + len(passage)
    while end - at < GOAL_CHARS:
        nxt = re.match(r"\s*[^。；\n]*[。；]", text[end:])
        if not nxt or re.search(r"\d{4}年|^\s*(?:[（(]?[一二三四五六七八九十\d]{1,2}[）)、.．])", nxt.group(0)):
            break
        end += nxt.end()
    return text[at:end]


GOAL_ASKING = re.compile(r"什么程度|什么样|什么水平|要实现|实现|做到|完成|干成|搞成|要求|目标|任务")
ITEM_OPENS = re.compile(r"\n\s*(?:[（(][一二三四五六七八九十]{1,2}[）)]|[一二三四五六七八九十]{1,2}、)")
OTHER_YEAR_OPENS = re.compile(r"\s*(?:[^，。：:\n]{0,8}[：:])?\s*(?:到|至|力争)?\d{4}年")
GOAL_EXTRA_MAX = 4  # sentences of a year's goals quoted beyond GOAL_CHARS for the things the question names


def _asked_goal_sentences(c: Ctx, text: str, after: int) -> list[tuple[str, int, int]]:
    """The sentences of a goal item after `after` that best match each thing the question names (到2025年学前、
    乡村义务教育和特殊教育各要达到什么程度 → the 学前…, 乡村…, 特殊教育… sentences), with their offsets in `text`."""
    items = asked_items(c, GOAL_ASKING)
    if not items:
        return []
    stop = ITEM_OPENS.search(text, after)  # (the next item is not this year's goals)
    region = text[after:stop.start() if stop else len(text)]
    sentences = []
    for para in re.finditer(r"[^\n]+", region):  # a paragraph or sentence of another year is that year's goals
        if OTHER_YEAR_OPENS.match(para.group(0)):
            continue
        for m in re.finditer(r"[^。；;]+[。；;]?", para.group(0)):
            said = m.group(0).strip()
            if said and not re.search(r"\d{4}年", said):
                at = after + para.start() + m.start() + len(m.group(0)) - len(m.group(0).lstrip())
                sentences.append((said, at, at + len(said)))
    picked = set()
    for item in items:
        best = max(sentences, key=lambda s: len(item & grams(s[0])), default=None)
        if best and len(item & grams(best[0])) >= min(2, len(item)):
            picked.add(best)
    return sorted(picked, key=lambda x: x[1])[:GOAL_EXTRA_MAX]


def _task_rows_answer(c: Ctx, rows: list[dict]) -> list[dict]:
    seen: dict[str, dict] = {}
    for r in rows:
        key = (r["task_id"], r.get("deadline"))
        if key in seen:
            if r.get("unit") and r["unit"] not in seen[key].setdefault("units", []):
                seen[key]["units"].append(r["unit"])
            continue
        a = dict(r)
        source = a.pop("task_text", None)  # the quote's source, not an answer column (Ctx.evidence)
        if "unit" in a:
            a["units"] = [a.pop("unit")]
            a.pop("role", None)
        start, end = r["start"], r["end"]
        at = source.find(a["passage"]) if source and a.get("passage") else -1
        extra = []  # (a year's goals: the sentences further on about the things the question names)
        if at >= 0 and len(source) == end - start:  # the sentence that sets the limit, not the whole item
            if YEAR_GOAL.match(a.get("deadline") or ""):
                a["passage"] = _with_goal_sentences(source, at, a["passage"])
                extra = [(t, start + x, start + y) for t, x, y in _asked_goal_sentences(c, source, at + len(a["passage"]))]
            start, end, source = start + at, start + at + len(a["passage"]), a["passage"]
        a["evidence"] = [e for e in [c.evidence(r["doc_id"], start, end, "task", source)] +
                         [c.evidence(r["doc_id"], x, y, "task", t) for t, x, y in extra] if e]
        if extra:
            a["passage"] += "".join(f"…{t}" for t, _, _ in extra)
        seen[key] = a
    return list(seen.values())




def _year_written(c: Ctx, docs: list[str], year: int, have: set[str]) -> list[dict]:
    """A whole year asked of a named plan (2020年全年在信贷余额上要确保做到什么): the sentences that write that
    year as what they are for (确保2020年…信贷余额不低于…) and share the most of the question's other words —
    a year the extractor did not take as a limit."""
    asked = set(bigrams(task_probe(c.ln.residual)))
    if len(asked) < SENTENCE_MIN:
        return []
    ids = [t for t in c.lex.tasks_in(docs) if t not in have]
    written = re.compile(rf"(?<!\d){year}年(?:全年|内|度)?(?![\d月—\-至到])")
    found = []
    for r in c.run("task_details", {"tasks": ids[:300], "limit": 300}) if ids else []:
        text = r.get("text") or ""
        for m in written.finditer(text):
            a, b = sentence_bounds(text, m.start())
            shared = len(asked & set(bigrams(text[a:b])))
            if shared >= SENTENCE_MIN:
                found.append((shared, r, text[a:b], m.group(0)))
    best = max((n for n, *_ in found), default=0)
    if best:
        c.notes.append(f"另按原文写明“{year}年”的句子补充")
    return [{"task_id": r["task_id"], "number": r.get("number"), "heading": r.get("heading"), "doc_id": r["doc_id"],
             "start": r["start"], "end": r["end"], "deadline": said_year, "date": f"{year}-12-31", "kind": "by",
             "passage": sentence, "task_text": r.get("text")}
            for n, r, sentence, said_year in found if n == best]


GOALS_ASKED = re.compile(r"目标|指标|达到(?:什么|哪些|多少)")


def _with_year_targets(c: Ctx, answers: list[dict], docs: list[str], end: str) -> None:
    """A period that closes a year (到2020年末) in a named plan: the targets a due task sets for that year are
    what it must achieve then (`确保2020年小微企业信贷增长20%以上` beside `至2020年末…`), quoted with it; asked for
    goals (目标, 指标), the items that set targets for that year without a limit of their own are added."""
    if not docs or not end.endswith("-12-31"):
        return
    by_task = {a.get("task_id"): a for a in answers}
    goals_asked = bool(GOALS_ASKED.search(c.q))
    for g in c.run("targets", {"until": "\uffff", "indicators": [], "year": int(end[:4]), "docs": docs}):
        a = by_task.get(g.get("task_id"))
        if a is None and goals_asked and g.get("task_id"):  # 2025年要达到哪些硬目标: the goals set for that year
            a = by_task[g["task_id"]] = {"task_id": g["task_id"], "heading": g.get("heading"), "doc_id": g["doc_id"],
                                         "deadline": f"{end[:4]}年", "date": end, "kind": "by", "evidence": []}
            answers.append(a)
        if a is not None and g.get("text") and g["text"] not in (a.get("passage") or ""):
            a.setdefault("targets", []).append(g["text"])
            ev = c.evidence(g["doc_id"], g["start"], g["end"], "target", g["text"])  # (its text is the span)
            if ev:
                a["evidence"].append(ev)


def _year_of_the_plan(c: Ctx, docs: list[str]) -> None:
    """A year-less period (上半年, 6月底前) in a named plan whose date is unknown: the year its own deadlines
    name most often, not this year (a 2020 relief plan's 上半年 is 2020's)."""
    if not docs or c.ln.ref_year or re.search(r"\d{4}年|今年|明年|去年|本年", c.ln.period.text or ""):
        return
    years = [str(r.get("date") or "")[:4] for r in c.run("tasks_due", {"start": "0000-01-01",
                                                                         "until": through("9999-12-31"), "docs": docs})]
    years = [y for y in years if y.isdigit()]
    if years:
        year = max(set(years), key=years.count)
        # (the words naming the plan stay out: 昌吉州2017年…方案，5月10号之前 asks about 5月10号, not 2017)
        period = dates.parse_period(c.ln.without_titles(), c.today, int(year))
        if period:
            c.ln.period = period


@intent('tasks_due', family='time', description='某个时间段内要完成的任务（可限定单位）',
        needs=['period'], templates=['tasks_due', 'tasks_due_unit'],
        rule=_rule_tasks_due,
        examples=[
              '2019年10月底前要完成什么',
              '今年9月有哪些任务到期',
              '下个月要完成哪些工作',
              '2019年6月底前需要做完哪些事',
              '矿区环保中队9月底前要完成什么',
              '年底前还有哪些任务要完成',
              '2017年5月有什么工作节点'])
def h_tasks_due(c: Ctx):
    if not c.ln.period:
        return None
    docs = docs_of(c, use_context=False)
    _year_of_the_plan(c, docs)
    start, end = _period_bounds(c)
    units = units_of(c) if c.ln.units else []
    if units:
        rows = c.run("tasks_due_unit", {"units": units, "rels": rels_for(c.ln.role, c.q, False),
                                        "start": start, "end": end, "docs": docs})
    else:
        until = cutoff(c, "tasks_due", {"start": start, "end": through(end), "docs": docs})
        rows = c.run("tasks_due", {"start": start, "until": until or through(end), "docs": docs})
    if docs:
        rows = [r for r in rows if r.get("doc_id") in docs]
        # 每年1月底前: a recurring limit has no single date; its text names the period
        asked = re.sub(r"^每(?:年|月|季度)", "", c.ln.period.text)
        since = re.search(r"(\d{4})年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:开始|起|以来)", c.q)  # 从2019年开始要启动什么: the limits that start then
        undated = c.run("tasks_recurring", {"docs": docs, "kinds": ["ongoing", "recurring"] if since else ["recurring"]})
        rows += [r for r in undated if r.get("kind") == "recurring" and asked and asked in (r.get("deadline") or "")]
        if since:
            rows += [r for r in undated if re.search(since.group(1) + r"年.{0,4}(?:开始|起)", r.get("deadline") or "")]
    if docs and start[5:] == "01-01" and end[5:] == "12-31" and start[:4] == end[:4]:
        rows += _year_written(c, docs, int(end[:4]), {r["task_id"] for r in rows})
    if docs and c.ln.period.kind == "by" and re.search(r"\d{1,2}月", c.ln.period.text):
        # 10月底前得完成的有哪些, of one plan: the items due that month; the earlier ones are counted
        month = [r for r in rows if str(r.get("date") or "")[:7] == end[:7]]
        if month and len(month) < len(rows):
            c.notes.append(f"另有{len({r['task_id'] for r in rows} - {r['task_id'] for r in month})}项在此之前到期"
                           f"（问“{end[:7]}之前到期的全部任务”可列出）")
            rows = month
    answers = _task_rows_answer(c, rows)
    _with_year_targets(c, answers, docs, end)
    span = f"{start}至{end}" if not start.startswith("0000") else f"{end}前"
    if answers and all(a.get("kind") == "recurring" for a in answers):
        span = "周期性时限"
    who = ("、".join(units)) if units else ""
    if not answers:
        return answers, f"图中没有{who}在{c.ln.period.text}（{span}）到期的任务。"
    lines = [f"{c.ln.period.text}（{span}）{who}要完成的任务共{len(answers)}项："]
    for a in answers[:40]:  # the sentence that sets the limit says what is due, a long heading may not
        said = f"：“{a['passage']}”" if a.get("passage") and a["passage"] not in task_label(a) else ""
        goals = f"；目标：{'；'.join(a['targets'])}" if a.get("targets") else ""
        lines.append(f"- {a.get('deadline')}：{task_label(a)}（{c.doc_label(a['doc_id'])}）{said}{goals}")
    if len(answers) > 40:
        lines.append(f"……另有{len(answers) - 40}项")
    return answers, "\n".join(lines)




@intent('overdue_tasks', family='time', description='截至某日已过期限的任务（已完成的不计：完成情况来自填报的进展）',
        needs=[], templates=['overdue_tasks', 'overdue_tasks_unit'],
        rule=_rule_overdue,
        examples=[
              '哪些任务已经逾期了',
              '截至2019年11月1日哪些任务超期',
              '到今天为止有哪些任务过了截止日期',
              '矿区环保中队有没有逾期的任务',
              '已经过了期限的工作有哪些'])
def h_overdue(c: Ctx):
    p = c.ln.period
    asof = p.end if p and p.end else c.today.isoformat()
    if p and p.kind == "range" and p.start and p.start != p.end:
        asof = p.end
    units = units_of(c) if c.ln.units else []
    docs = docs_of(c, use_context=False)
    if units:
        rows = c.run("overdue_tasks_unit", {"units": units, "rels": ALL_RELS, "asof": asof, "docs": docs})
    else:
        until = cutoff(c, "overdue_tasks", {"asof": asof, "docs": docs})
        rows = c.run("overdue_tasks", {"docs": docs, "until": until or asof})  # asof: every key before that day
    if docs:
        rows = [r for r in rows if r.get("doc_id") in docs]
    answers = _task_rows_answer(c, rows)
    who = "、".join(units)
    if not answers:
        return answers, f"截至{asof}，图中{who}没有已过期限的任务。"
    lines = [f"截至{asof}，{who}已过完成期限、尚未完成的任务共{len(answers)}项（图中没有完成情况，只按期限判断）："]
    for a in answers[:40]:
        lines.append(f"- {a.get('deadline')}（{a.get('date')}）：{task_label(a)}（{c.doc_label(a['doc_id'])}）")
    if len(answers) > 40:
        lines.append(f"……另有{len(answers) - 40}项")
    return answers, "\n".join(lines)


