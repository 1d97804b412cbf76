"""Intents that count and rank: targets (quantities), unit workload ranking, task counts."""
from __future__ import annotations

import re

from kg.roles import ALL_RELS, ROLE_CN

from ..context import (Ctx, children_of, cutoff, docs_of, next_siblings_of, parents_of, rels_for, resolve_tasks,
                       sentence_bounds, task_label, units_of)
from ..asked import asked_items, grams
from ..linking import Match
from ..signals import (AID, COUNT, DOWN, DUE, FACTS, NOLEAD, OPEN, OVERDUE, PARTNER, TARGET, THIS_DOC, THIS_TASK, UNIT_TASK, UP,
                       WHEN, WHO, WORKLOAD, Signals)
from .base import intent


def _rule_targets(s: Signals) -> float:
    v = 3.0 if s.has_ind else 0.0
    if s.has(TARGET):
        v += 1.5 if not s.has_ind else 0.5
        if s.year_only or re.search(r"到\d{4}年", s.q) or (s.has_period and re.search(r"(?:什么|哪些|啥)硬?指标|硬指标", s.q)):
            # 到2025年…达到多少, 年底前…提了什么硬指标: a target, not tasks due then
            # (到2020年要实现哪些目标, no quantity asked: the goals written for that year, tasks_due)
            v += 2.0 if s.has_ind or re.search(r"多少|几|百分之|比例|比重|占比|规模|数量|指标", s.q) else 0.5
        elif re.search(r"多少|几成|百分之|(?:比例|比重|占比)[^，。？?]{0,4}(?:要求|规定)", s.q) \
                and not re.search(r"(?<!哪)(多少|几)(条|项|款)", s.q) \
                and not s.has(FACTS):
            v += 2.0
    if s.has(WHEN) and not re.search(r"多少|几成|百分之", s.q):  # 建成…10个左右，期限是什么时候: its deadline
        v -= 1.0
    if s.has(AID):  # 分别奖励多少: a support amount is a provision of the text, not a target
        v -= 1.5
    if s.has(WHO):  # `…完善工程是哪个部门组织实施的`: asks for a unit, whatever indicator it names
        v -= 2.0
    return v


def _rule_unit_workload(s: Signals) -> float:
    if s.has(WORKLOAD) and re.search(r"单位|部门|谁|哪个|各", s.q):
        return 3.0 + (1.0 if not s.has_unit else 0.0)
    return 0.0


NO_BOUND = "\uffff"  # after every doc_id: targets.cypher's $until when the cutoff finds fewer rows


def _graph_indicators(c: Ctx, canon: str) -> list[str]:
    from ..linking import INDICATORS

    syns = INDICATORS.get(canon, [canon])
    out = []
    for surface, cn in c.lex.indicators.items():
        if cn == canon or any(s and s in surface for s in syns):
            out += c.lex.indicator_spellings.get(surface, [surface])
    return out




@intent('targets', family='statistics', description='指标目标（按指标 / 地方 / 年份）',
        needs=[], templates=['targets'], empty_is_unanswerable=True,
        rule=_rule_targets,
        examples=[
              'PM2.5的目标是多少',
              '送表矿区2019年优良天数要达到多少天',
              '细颗粒物浓度控制在多少',
              '金华开发区有哪些量化目标',
              'PM10平均浓度不能高于多少',
              '污水处理率要达到多少'])
def h_targets(c: Ctx):
    inds: list[str] = []
    for m in c.ln.indicators:
        inds += _graph_indicators(c, m.key) + c.lex.indicator_spellings.get(m.surface, [m.surface])
    # the graph's own spelling (e.g. "PM2.5平均浓度") is what x.indicator holds
    inds = sorted(set(inds))
    year = c.ln.year or 0
    docs = docs_of(c, use_context=False)
    def fetch(yr):
        p = {"indicators": inds, "year": yr, "docs": docs}
        return c.run("targets", {**p, "until": cutoff(c, "targets", p) or NO_BOUND})

    rows = fetch(year)
    if not rows and year:
        rows = fetch(0)
        if rows:
            c.notes.append(f"没有{year}年的该项目标，列出各年份的目标")
    seen, answers = set(), []
    for r in rows:
        key = (r.get("doc_id"), r.get("indicator"), r.get("value"), r.get("year"), r.get("start"))
        if key in seen:
            continue
        seen.add(key)
        # a target's text is its document's text[start:end] (stripped): quoted from it, no document text read
        # (~20 ms of a 200-target answer on the embedded engine)
        ev = c.evidence(r.get("doc_id"), r.get("start"), r.get("end"), "target", r.get("text"))
        answers.append(dict(r, evidence=[e for e in [ev] if e]))
    from .open import answer_type_ok

    # the passages add what the extractor missed — not other numbers once every thing the question names has a
    # target (…标杆企业、…智能工厂), and only on the things still unanswered (…比例、…增加值占GDP的比例各定了多少)
    items = asked_items(c, _TARGET_WORDS)
    open_items = [i for i in items if not any(_answers(a, i) for a in answers)]
    partial = len(items) >= 2 and len(open_items) < len(items)  # (one thing named: its target may be another
    # figure of it — 营收年均增长 for 营收 — so the passages stay)
    if items and not open_items:  # every thing named has its target: those targets only (and, for one thing,
        # the other figures of its clause: 试点示范项目运营成本降低20%、生产效率提高20%以上 for 降本增效)
        named = [a for a in answers if any(_answers(a, i) for i in items)]
        answers = named + (_clause_mates(c, named, answers) if len(items) == 1 else [])
    if partial:  # only on the things still unanswered
        passages = _target_passages(c, docs, answers, open_items) if docs else []
    elif items and not open_items:  # the one thing named has a target: other figures of it only, in their clauses
        passages = _target_passages(c, docs, answers, items, least=ITEM_MIN + 1) if docs else []
    else:
        passages = _target_passages(c, docs, answers) if docs else []
    passages = [p for p in passages if answer_type_ok(c.q, [p["text"]])]  # 多少钱 needs an amount in 元
    if passages and items and len(open_items) == len(items):  # no target is about a thing named (失业保险返还
        answers = []  # 多少以内): the passages that are answer it, not the plan's unrelated goals
    if not answers and not passages:
        what = "、".join(m.surface for m in c.ln.indicators) or "量化"
        return answers, f"图中没有找到{what}目标。"
    lines = [f"目标共{len(answers)}条：" if answers else "图中没有抽取出这项量化目标，原文相关条文："]
    for a in answers[:30]:
        yr = f"{a['year']}年" if a.get("year") else ""
        lines.append(f"- {yr}{a.get('text') or (a.get('indicator'), a.get('op'), a.get('value'))}（{c.doc_label(a.get('doc_id'))}）")
    if passages and answers:
        lines.append("原文相关条文：")
    for p in passages:
        lines.append(f"- {task_label(p)}：{(p.get('text') or '')[:200]}")
    return answers + passages, "\n".join(lines)


_TARGET_WORDS = re.compile(r"目标|指标|多少|达到|分别|各定了|定了|要建|提出|是多少|占比|多大规模|数目(?!标)|每万人|年均")
# what a goal's figure looks like: digits, or a rank or multiple in words (达到世界第二, 翻一番)
FIGURE = re.compile(r"\d|[世全]\w{0,2}第[一二三四五六七八九十]|前[一二三四五六七八九十]+[位名]|翻[一两]番")
ITEM_MIN = 2  # shared character bigrams for a target to be about a thing the question names


def _clause_mates(c: Ctx, named: list[dict], answers: list[dict]) -> list[dict]:
    """The targets other than `named` written in the same clause (cut at ，；。) as one of them."""
    texts = {d: r.get("text") or "" for d, r in c.docs({a.get("doc_id") for a in named}).items()}
    clauses = {(a.get("doc_id"), sentence_bounds(texts[a["doc_id"]], a["start"], a["end"], "，,；;。\n"))
               for a in named if texts.get(a.get("doc_id")) and a.get("start") is not None}
    return [a for a in answers if a not in named and a.get("start") is not None
            and any(d == a.get("doc_id") and lo <= a["start"] < hi for d, (lo, hi) in clauses)]


def _answers(a: dict, item: set[str]) -> bool:
    """Whether a target is about a thing the question names: it shares ITEM_MIN + 1 of its bigrams (all of a
    short one's) and half of a long one's (大型工业企业5G应用渗透率 is not 5G应用解决方案)."""
    shared = len(item & grams(f"{a.get('indicator') or ''}{a.get('text') or ''}"))
    return shared >= max(min(ITEM_MIN + 1, len(item)), len(item) // 2)


def _target_passages(c: Ctx, docs: list[str], answers: list[dict], items: list[set[str]] | None = None,
                     least: int = 1) -> list[dict]:
    """Targets the extractor did not catch (5G基站 10万个): the scoped document's passages that best match the
    question's words and hold a number, quoted as they are; when the question names several things, only for
    those no extracted target answered (`items`, [] = none left), and only their clauses that share `least`
    bigrams with one of them."""
    from ..context import task_probe
    from ..retrieval import search_tasks

    if items == []:
        return []
    probe = _TARGET_WORDS.sub(" ", task_probe(c.ln.residual))
    probe = re.sub(r"\s+", "", probe)
    if len(probe) < 2:
        return []
    allowed = c.lex.tasks_in(docs)
    try:
        fused = search_tasks(c.store, probe, c.lex, limit=4, allowed=allowed, info=c.retrieval_info)
    except Exception:
        return []
    ids = [t for t, _ in fused]
    if not ids:
        return []
    have = " ".join(str(a.get("text") or "") for a in answers)
    rows = c.run("task_details", {"tasks": ids})
    order = {t: i for i, t in enumerate(ids)}
    rows.sort(key=lambda r: order.get(r["task_id"], 99))
    out = []
    year = c.ln.year or (int(c.ln.period.end[:4]) if c.ln.period and c.ln.period.end else None)
    for r in rows:
        text = r.get("text") or ""
        if not FIGURE.search(text) or text[:40] in have:
            continue
        issued = str((c.lex.docs.get(r["doc_id"]) or {}).get("date") or "")[:4]
        said = _sentences_with_numbers(text, r["start"], r["end"], grams(probe), year,
                                       int(issued) if issued.isdigit() else None)
        if items:  # only the clauses on a thing named that no target answered
            said = [(part, a + k, a + k + len(part)) if b - a == len(t) else (part, a, b)
                    for t, a, b in said for part, k in _clauses(t)
                    if FIGURE.search(part) and any(len(i & grams(part)) >= min(least, len(i)) for i in items)]
        said = [(t, a, b) for t, a, b in said if t.strip("，,；;。") not in have]  # (a target already listed)
        if not said:
            continue
        out.append({"kind": "passage", "task_id": r["task_id"], "heading": r.get("heading"), "doc_id": r["doc_id"],
                    "text": "…".join(t for t, _, _ in said)[:400],
                    "evidence": [e for e in (c.evidence(r["doc_id"], a, b, "task", t) for t, a, b in said) if e]})
    return out[:3]


def _clauses(text: str) -> list[tuple[str, int]]:
    """The clauses of a sentence (cut at ，；) with their offsets."""
    out, at = [], 0
    for part in re.split(r"(?<=[，,；;])", text):
        out.append((part, at))
        at += len(part)
    return out




def _sentences_with_numbers(text: str, start: int, end: int, probe: set[str], year: int | None,
                            issued: int | None = None):
    """The sentences of a passage that hold a number and a word of the question, each with its span; a
    paragraph that opens on another year than the one asked (到2020年… next to 到2025年…), or on a year before the
    document was issued (2015年，…成交金额达到9835亿元: a past figure, not a target), is left out.
    Spans are exact only when the text is the document's own span (same length); else the whole passage."""
    if len(text) != end - start:
        return [(text[:400], start, end)]
    out = []
    for para in re.finditer(r"[^\n]+", text):
        opens = re.match(r"\s*(?:到|至|在)?(\d{4})年", para.group(0))
        if opens and (year and int(opens.group(1)) != year or issued and int(opens.group(1)) < issued):
            continue
        past = [(m.start(), m.end()) for m in re.finditer(r"[^。]+。?", para.group(0))
                if issued and (y := re.match(r"\s*(\d{4})年", m.group(0))) and int(y.group(1)) < issued]
        for m in re.finditer(r"[^。；;]+[。；;]?", para.group(0)):
            t = m.group(0).strip()
            if any(a <= m.start() < b for a, b in past):
                continue  # a clause of a sentence opening on a year before the document: a past figure
            if FIGURE.search(t) and (not probe or grams(t) & probe):
                a = start + para.start() + m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
                out.append((t, a, a + len(t)))
    return out




@intent('unit_workload', family='statistics', description='单位按任务量排名',
        needs=[], templates=['unit_workload', 'unit_workload_docs'],
        rule=_rule_unit_workload,
        examples=[
              '哪个单位任务最多',
              '各单位任务量排名',
              '谁牵头的任务最多',
              '送表矿区方案里哪个部门最忙',
              '按工作量给单位排个序'])
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


