"""Answer a Chinese question from the graph: link entities, choose an intent from the registry
(kg.qa.intents), run its handler (Cypher templates with parameters; user text never enters the Cypher),
attach evidence quotes, write a short answer.

    ask(question, store, today=None, context=None) -> Answer          (typed, kg.qa.results)
    answer(question, store, today=None, context=None) -> dict         (Answer.to_dict(): the JSON contract)
"""
from __future__ import annotations

import copy
import re
import time
from datetime import date

from . import answer_cache
from . import intents as intents_mod
from .context import Ctx, context_kinds, task_probe  # noqa: F401  (task_probe: public helper)
from .intents.open import h_open
from .linking import lexicon_for, link
from .retrieval import bigrams
from .results import Answer

WAIT_FOR_SAME_QUESTION = 60.0  # seconds a caller waits for the same question's answer before computing it


def _has_content(c: Ctx) -> bool:
    ln = c.ln
    if ln.units or ln.documents or ln.indicators or ln.period or c.context.get("tasks"):
        return True
    return len(re.findall(r"[\u4e00-\u9fff]", c.q)) >= 2



def scope_notes(c: Ctx) -> None:
    """Say which names were linked to what: a unit typed in a short form or with a typo (the answer shows the
    canonical name), a document named by a loose title (and the other one that matched nearly as well)."""
    keys: dict[str, list[str]] = {}
    for m in c.ln.units:
        if m.how in ("gazetteer", "fuzzy", "short", "alias") and m.surface != m.key:
            keys.setdefault(m.surface, [])
            if m.key not in keys[m.surface]:
                keys[m.surface].append(m.key)
    for surface, names in keys.items():  # a short name of thousands of bodies: the first few, and how many
        more = f"等{len(names)}个单位" if len(names) > 5 else ""
        c.notes.append(f"“{surface}”按{'、'.join(names[:5])}{more}理解")
    fuzzy = [m for m in c.ln.documents if m.how in ("title_fuzzy", "loose", "fuzzy")]
    if fuzzy:
        chosen = fuzzy[0].key
        note = f"问题所指文件按{c.doc_label(chosen)}理解"
        if c.ln.doc_alternatives:
            note += "；另一份相近的文件是" + "、".join(c.doc_label(d) for d in c.ln.doc_alternatives[:2]) + \
                    "，如指它请写明文号"
        c.notes.append(note)


MISSING = {
    "task": "没有认出问题里说的是哪项任务",
    "unit": "没有认出问题里的单位",
    "document": "没有认出问题里的文件（可写文号或方案名称）",
    "period": "没有认出问题里的时间",
}


def answer(question: str, store, today: date | None = None, context: dict | None = None,
           use_similarity: bool = True) -> dict:
    """The JSON form of ask()."""
    ans, cached = _cached(question, store, today, context, use_similarity)
    d = ans.to_dict()  # new containers all the way down: the cached Answer itself is not handed out
    if cached:
        d["debug"] = dict(d.get("debug") or {}, cached=True)
    return d


def ask(question: str, store, today: date | None = None, context: dict | None = None,
        use_similarity: bool = True) -> Answer:
    ans, cached = _cached(question, store, today, context, use_similarity)
    ans = copy.deepcopy(ans)  # the caller may change its Answer; the cached one must stay as computed
    if cached:
        ans.debug["cached"] = True
    return ans


def _cached(question, store, today, context, use_similarity) -> tuple[Answer, bool]:
    """(answer, whether it came from kg.qa.answer_cache). The Answer may be the cached object: callers
    copy it. An answer whose template failed (the store timed out, say) is not kept."""
    today = today or date.today()
    key = answer_cache.key(question, today, context, use_similarity)
    version = answer_cache.version_of(store)  # read before answering (see answer_cache.put)
    hit = answer_cache.get(store, key)
    if hit is not None:
        return hit, True
    busy = answer_cache.claim(store, key)
    if busy is not None:  # the same question is being answered: its answer, once it is in
        busy.wait(timeout=WAIT_FOR_SAME_QUESTION)
        hit = answer_cache.get(store, key)
        if hit is not None:
            return hit, True
        return _ask(question, store, today, context, use_similarity), False  # it failed or the graph changed
    try:
        ans = _ask(question, store, today, context, use_similarity)
        if not ans.debug.get("template_error"):
            answer_cache.put(store, key, ans, version)
    finally:
        answer_cache.release(store, key)
    return ans, False


RESCUE_MIN = 7  # question bigrams a passage must share


def _passages_instead(c: Ctx, intent: str):
    """A structured reading of a question about a named document that found nothing (谁确认, 报给哪个机构,
    路费谁出): the document's passage that shares most of the question's words answers it, when it shares
    RESCUE_MIN of them; None otherwise (then "not found" stands)."""
    if intent == "open_question" or not c.ln.documents:
        return None
    answers, text = h_open(c, "图中没有对应的结构化记录，")
    probe = set(bigrams(task_probe(c.ln.without_titles())))
    named = [u.surface for u in c.ln.units]  # (公安部负责哪几条 of a plan that never names it: not found)
    best = max((len(probe & set(bigrams(a.get("passage") or ""))) for a in answers
                if not named or any(n in (a.get("text") or "") for n in named)), default=0)
    return (answers, text) if best >= RESCUE_MIN else None


def _ask(question: str, store, today: date, context: dict | None, use_similarity: bool) -> Answer:
    t0 = time.perf_counter()
    context = dict(context or {})
    lex = lexicon_for(store)
    ln = link(question, lex, today)
    c = Ctx(store, lex, ln, today, context)
    has_task_words = len(task_probe(ln.residual)) >= 2
    choice = intents_mod.choose(c.q, ln, context_kinds(context), has_task_words, qvec=lambda: c.qvec,
                                use_similarity=use_similarity)
    intent = choice.intent
    result = None
    reason = None
    failed = False
    scope_notes(c)
    try:
        if ln.unknown_document:  # precise "not found": never the answer of another place's plan
            c.unanswerable = True
            result = ([], f"图中没有找到“{ln.unknown_document}”这份文件（库中没有该地的同名文件）。")
        else:
            result = intents_mod.get(intent).handler(c) if (intent != "open_question" or _has_content(c)) else None
    except Exception as exc:  # a template failing must not leave the user with nothing
        failed = True
        reason = f"（{intent} 查询出错：{type(exc).__name__}）"
        c.notes.append(reason)
        result = None
    if result is None and intent == "open_question" and not _has_content(c):
        result = ([], "问题里没有可识别的中文内容（单位、任务、文件、日期或关键词），无法回答。请用中文描述要查的内容。")
    if result is None:
        need = (intents_mod.get(intent).needs or ["task"])[0]
        reason = reason or MISSING.get(need, "没有认出问题里的关键信息")
        reason = f"{reason}，改用语义检索。"
        intent_used = "open_question"
        answers, text = h_open(c, reason)
    else:
        intent_used = intent
        answers, text = result
        if not answers and (intents_mod.get(intent).empty_is_unanswerable or c.unanswerable):
            intent_used = "not_answerable"  # the graph does not hold the answer: said so, nothing invented
            rescued = _passages_instead(c, intent) if not c.unanswerable else None
            if rescued:
                intent_used, (answers, text) = "open_question", rescued
    c.fill_evidence()
    if c.notes:
        text = text + "\n（" + "；".join(c.notes) + "）"
    main = c.queries[0] if c.queries else {"cypher": "", "params": {}}
    entities = ln.to_dict()
    entities["tasks"] = [m.to_dict() for m in c.tasks]
    new_ctx = {  # at most 20 of each, as the API accepts back (a short form shared by thousands of units)
        "units": list(dict.fromkeys(m.key for m in ln.units))[:20] or context.get("units", []),
        "documents": list(dict.fromkeys(m.key for m in ln.documents))[:20] or context.get("documents", []),
        "tasks": list(dict.fromkeys([m.key for m in c.tasks]))[:3] or
                 [a["task_id"] for a in answers[:1] if a.get("task_id")] or context.get("tasks", []),
        "intent": intent_used,
    }
    if intent_used in ("unit_tasks", "tasks_due", "overdue_tasks") and answers and len(answers) == 1 and answers[0].get("task_id"):
        new_ctx["tasks"] = [answers[0]["task_id"]]
    return Answer(
        question=question, intent=intent_used, entities=entities, cypher=main["cypher"], params=main["params"],
        answers=answers, text=text, context=new_ctx, queries=[dict(q) for q in c.queries],
        debug={"intent_scores": choice.scores, "how": choice.how, "asked_intent": intent,
               "retrieval": dict(c.retrieval_info), "ms": round((time.perf_counter() - t0) * 1000, 1),
               "template_error": failed})
