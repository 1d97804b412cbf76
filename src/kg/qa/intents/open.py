"""Open questions: semantic + full-text retrieval over task texts, inside the scoped document."""
from __future__ import annotations

import re

from kg.roles import ALL_RELS, ROLE_CN

from ..context import (Ctx, children_of, docs_of, next_siblings_of, parents_of, rels_for, resolve_tasks,
                       task_label, units_of)
from ..linking import Match
from ..signals import (COUNT, DOWN, DUE, FACTS, HANDLED, NOLEAD, OPEN, OVERDUE, PARTNER, PROVISION, TARGET, THIS_DOC, THIS_TASK, UNIT_TASK, UP,
                       WHEN, WHO, WORKLOAD, Signals)
from .base import intent
from ..retrieval import bigrams, search_tasks


# what a question asks for -> what its evidence must contain to be an answer at all
ANSWER_TYPES = [
    (re.compile(r"多少钱|多少元|多少万|金额|补贴(是)?多少|资金(是)?多少|奖励(是)?多少"), re.compile(r"\d[\d.]*\s*(亿|万)?元")),
    (re.compile(r"哪天|几号|什么时候|何时|截止(日期|时间)|完成期限|期限是"), re.compile(r"\d{4}年|\d{1,2}月|\d{4}-\d{2}")),
]


def answer_type_ok(q: str, texts: list[str]) -> bool:
    """A question asking for an amount or a date is answered only by a passage holding one."""
    for asks, holds in ANSWER_TYPES:
        if asks.search(q):
            return any(holds.search(t or "") for t in texts)
    return True


def _rule_open(s: Signals) -> float:
    # 有啥奖补 / 有什么时限要求: the passage answers, not an extracted target or one deadline
    # (not when it asks who, 补贴…是哪个部门负责的, or for a share, 比例有什么要求: units and targets answer those)
    # (nor when it asks until when, `…由就业补助资金支持，这个政策到哪天截止`, or what a unit is asked to do)
    asks_when = bool(re.search(r"哪天|哪一天|截止|到期|什么时候|何时|啥时候|什么时间|最晚|最迟", s.q)) \
        and not re.search(r"(?:时限|时间)要求|施行|生效", s.q)
    provision = s.has(PROVISION) and not s.has(WHO) and not s.has_period and not asks_when \
        and not s.unit_asked_of and not re.search(r"比例|比重|占比|几成|增速|增幅|(?:降|降低|下降|提高|增长)多少", s.q)
    # 基金会要设立什么基金 / 要组建哪些平台: what a passage sets up, quoted from it (not a period's tasks)
    sets_up = bool(SETS_UP.search(s.q)) and not s.has_period and not s.has(WHO)
    # two questions in one, one of them how something is handled (…怎么处理？整改不力的由谁问责？): the passage
    # answers both, a template only the second
    two_asked = len(re.findall(r"[？?]", s.q.rstrip("？? "))) >= 1 and HOW.search(s.q) is not None
    # how a thing is handled or what kind of thing it must be (经费该怎么管, 优先往什么样的地方建, 得交哪些材料):
    # the passage says it; no template holds a manner, a kind or a list of papers
    manner = not two_asked and (MANNER.search(s.q) is not None and not s.has(WHO) or POSTS.search(s.q) is not None) \
        and not s.has_period
    return (1.5 if s.has(OPEN) else 0.0) + (3.0 if provision or sets_up or TOPIC.search(s.q) else 0.0) \
        + (3.5 if two_asked or _asks_two_kinds(s.q) else 0.0) + (3.0 if manner else 0.0) + 0.5  # always possible


# a part of a question that no template answers: yes or no (收不收, 能不能), where, on what principle or condition
OPEN_PART = re.compile(r"([\u4e00-\u9fff])不\1|需不需要|可不可以|哪儿|哪里|在哪办|去哪|原则|前提|什么条件|怎么样|落实得"
                       r"|算什么|(?:能|可以|允许|准)[^？?，,]{0,12}吗")


def _asks_two_kinds(q: str) -> bool:
    """Two questions in one, one of them of a kind no template answers (归谁管？…按什么原则确定？ / 收不收培训费？路费谁出？):
    the passage answers both."""
    parts = [p for p in re.split(r"[？?]", q) if len(p.strip()) >= 2]
    return len(parts) >= 2 and any(OPEN_PART.search(p) for p in parts)


HOW = re.compile(HANDLED.pattern + r"|有什么限制|有啥限制|什么技术要求|啥技术要求|"
                 r"怎么(?:收|算|定|报|办|管)|几次|多少次|谁当|由谁当")

# who holds a post, where an office sits (领导小组谁当组长、办公室放在哪个部门): the passage on the body says it
POSTS = re.compile(r"谁(?:来)?(?:当|任|担任)|(?:组长|主任|召集人)是谁|(?:放|设)在哪")
MANNER = re.compile(r"(?:怎么|如何|怎样)(?:管|办|处理|算|收|认定|核算|使用|弄|搞|执行|操作)|什么样的?|哪些材料|什么材料|啥材料")

# 文件里关于X是怎么要求的 / 对X有哪些规定: a topic, answered by the passage on it
TOPIC = re.compile(r"(?:里|中|[，,]|^)(?:关于|对于?)(?:(?!谁|哪个|哪些单位|哪些部门)[^？?，,]){2,30}?"
                   r"(?:(?:是)?(?:怎么|如何|怎样)(?:要求|规定|说|做|安排|部署)|有(?:什么|哪些|啥)(?:措施|要求|规定|举措|安排|说法))")
SETS_UP = re.compile(r"(?:设立|成立|设置|出台|推出|组建|建立|搭建|开发|发布|编制)了?(?:什么|哪些|哪个|何种|啥)")


def open_probe(q: str) -> str:
    """What an open question searches for: the question without 关于… / …有哪些措施."""
    probe = re.sub(r"^(关于|有关|对于)", "", q)
    return re.sub(r"(有哪些|有什么|哪些|什么|怎么|如何|怎样)(措施|要求|做法|办法|规定|举措|内容|工作)?[?？。]*$", "", probe) or q


@intent('open_question', family='open', empty_is_unanswerable=True, description='开放问题：语义检索任务原文（向量 + 全文，倒数排名融合）',
        needs=[], templates=['task_details'],
        rule=_rule_open,
        examples=[
              '关于扬尘治理有哪些措施',
              '餐饮油烟怎么管',
              '对黑加油站有什么要求',
              '秸秆综合利用怎么做',
              '怎么防止散乱污企业死灰复燃',
              '重污染天气应急管控有哪些做法'])
def h_open(c: Ctx, reason: str | None = None):
    allowed = None
    docs = docs_of(c, use_context=False)
    if docs:
        allowed = c.lex.tasks_in(docs)
    probe = open_probe(c.q)
    if docs:  # searched inside the named document: the words naming it match only its title line
        inner = open_probe(re.sub(r"[《》\s]+", " ", c.ln.without_titles()).strip())
        probe = inner if len(re.sub(r"\W", "", inner)) >= 4 else probe
    fused = search_tasks(c.store, probe, c.lex, limit=8, allowed=allowed, info=c.retrieval_info)
    ids = [t for t, _ in fused]
    if not ids:
        msg = reason or ""
        return [], (msg + "图中没有找到相关内容：问题里没有认出单位、任务、文件或日期，语义检索也没有命中。"
                    "可以换个说法，或写出单位/任务的名称。")
    rows = c.run("task_details", {"tasks": ids})
    if docs and not answer_type_ok(c.q, [r.get("text") or "" for r in rows]):
        said = _document_sentences(c, docs[0], probe)
        if said:
            return said
        return [], ((reason or "") + f"在{c.doc_label(docs[0])}中没有找到问题所问的内容（检索到的条文里没有相应的数额或日期），"
                    "无法回答。")
    order = {t: i for i, t in enumerate(ids)}
    score = dict(fused)
    rows = _inner_first(sorted(rows, key=lambda r: order.get(r["task_id"], 99)))
    answers = []
    for r in rows:
        a = dict(r, score=round(score.get(r["task_id"], 0.0), 5))
        a["passage"] = best_sentences(a.get("text") or "", probe)
        a["text"] = (a.get("text") or "")[:300]
        a["evidence"] = [e for e in [c.evidence(r["doc_id"], r["start"], r["end"], "task")] if e]
        answers.append(a)
    for a in answers:
        c.tasks.append(Match("task", a["task_id"], probe, 0, 0, a["score"], "retrieval"))
    lines = [(reason or "") + "相关的任务（语义检索 + 全文检索融合排序）："]
    for a in answers[:5]:
        units = "、".join(a.get("units") or [])
        lines.append(f"- {task_label(a)}（{c.doc_label(a['doc_id'])}" + (f"；{units}" if units else "") + "）"
                     + (f"：{a['passage']}" if a["passage"] else ""))
    return answers, "\n".join(lines)


def _document_sentences(c: Ctx, doc_id: str, probe: str):
    """The named document's own sentences outside its items (本《名录》自2021年1月1日起施行 closes a 公告) that
    share most of the question's words and hold what it asks for (an amount, a date); None when none does."""
    doc = c.docs([doc_id]).get(doc_id) or {}
    text, title = doc.get("text") or "", doc.get("title") or "\0"
    want = set(bigrams(probe))
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^。；;！？\n]+[。；;！？]?", text)
             if title not in m.group(0)]  # (the line naming the document shares every word of its name)
    scored = sorted(((len(want & set(bigrams(text[a:b]))), a, b) for a, b in spans), reverse=True)
    hits = [(a, b) for n, a, b in scored[:3] if n >= 2 and answer_type_ok(c.q, [text[a:b]])]
    if not hits:
        return None
    rows = [{"doc_id": doc_id, "passage": text[a:b].strip(),
             "evidence": [e for e in [c.evidence(doc_id, a, b, "passage", text[a:b])] if e]} for a, b in hits]
    lines = [f"{c.doc_label(doc_id)}中没有条目写到，但原文写道："] + [f"- “{r['passage']}”" for r in rows]
    return rows, "\n".join(lines)


def _inner_first(rows: list[dict]) -> list[dict]:
    """An item found with its own sub-item (工程 → 加快发展金融科技): the sub-item first, the one the words
    name; the item holding it right after."""
    out: list[dict] = []
    for r in rows:
        if r in out:
            continue
        inner = [o for o in rows if o is not r and o not in out and o["doc_id"] == r["doc_id"]
                 and r["start"] <= o["start"] and o["end"] <= r["end"]]
        out += inner + [r]
    return out


def best_sentences(text: str, probe: str, keep: int = 2) -> str:
    """The sentences of a task that share most words with the question, best first: the passage that
    answers an open question is often deep in a long item (…开展大型农机装备抵押贷款…)."""
    want = set(bigrams(probe))
    sentences = [x for x in re.split(r"(?<=[。；;！？])", text) if x.strip()]
    if not want or not sentences:
        return ""
    scored = sorted(range(len(sentences)), key=lambda i: -len(want & set(bigrams(sentences[i]))))[:keep]
    picked = [i for i in scored if want & set(bigrams(sentences[i]))]  # best first, each cut to a readable length
    return "…".join(sentences[i].strip()[:160] for i in picked)


