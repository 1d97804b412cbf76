"""Intent choice: rules (keywords + which entities were linked) plus similarity to example questions.

Intents, their templates and example questions live in qa/intents.yaml; templates in qa/templates/.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

import yaml

from kg import resources

from .linking import Linked


@lru_cache(maxsize=1)
def load_intents() -> dict:
    data = yaml.safe_load(resources.read_text("qa", "intents.yaml"))
    return data["intents"]


@lru_cache(maxsize=64)
def template(name: str) -> str:
    text = resources.read_text("qa", "templates", f"{name}.cypher")
    # drop // comment lines: some engines reject a leading comment
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//")).strip()


# ---- rules --------------------------------------------------------------------------------------
R = re.compile
WHO = R(r"谁|哪个单位|哪些单位|哪家|哪个部门|哪些部门|什么单位|什么部门|哪几个单位|哪几个部门|牵头单位|责任单位|配合单位|由哪")
WHEN = R(r"什么时候|何时|截止|期限|时限|多久|哪天|哪一天|几月|几号完成|时间节点|完成时间|截至时间|最后期限|deadline|啥时候|什么时间|哪个月|啥时|节点")
DUE = R(r"完成|到期|截止|要做|做完|干完|办完|任务|工作|事|节点|干什么|做什么|干啥|安排")
OVERDUE = R(r"逾期|超期|过期|延期|拖期|到期未|没按期|未按期|未按时|没按时|超时|过了(截止|期限|时间)|已经到期|已到期|延误|脱期")
UP = R(r"上级|依据|根据|按照|依照|出处|来源|上位|源头|往上|追溯|贯彻(的|了)?(是)?哪|落实(的|了)?(是)?哪|哪个文件|什么文件|哪份文件|上面的文件|母文件|基于")
DOWN = R(r"(哪些|哪个|什么|几个)(下级|地方|单位|部门)?(方案|文件|计划|地方|下级)?.{0,3}(落实|贯彻|执行|承接|细化|依据|根据|按照|引用|转发)|被哪|下级|下发|往下|下游|传达|层层|怎么落实的|如何落实的|落实情况")
FACTS = R(r"谁发|哪个单位发|哪个部门发|发文|印发|发布|成文|签发|文号|几号文|字号|什么时候(发|出|印)|哪天(发|出|印)|日期|发的|出台|制定单位|哪年|哪个机关")
TARGET = R(r"目标|指标|达到多少|控制在|浓度|多少天|不高于|不低于|以上|以下|多少微克|达标率|要求达到|量化")
PARTNER = R(r"一起|共同|合作|协同|搭档|联合|和谁|跟谁|同谁|与谁|伙伴|一块")
WORKLOAD = R(r"最多|最重|排名|排行|排序|排个序|最忙|工作量|任务量|多少(项|个|条)?任务|几项任务|最少|前几|top|TOP")
NOLEAD = R(r"(没有|无|缺|没|未明确|未指定|没明确|缺少)(牵头)")
OPEN = R(r"措施|怎么|如何|怎样|什么要求|哪些要求|做法|办法|内容|关于|涉及|有关|方面|举措|规定")
UNIT_TASK = R(r"任务|负责|牵头|配合|参与|承担|干|做|管|工作|事|职责|分工|活")
THIS_TASK = R(r"^那?它|它由|它是|它要|它的|这个任务|这项任务|该任务|此任务|这条任务|这项工作|这个工作|这一条|这条|它的|那个任务|上面那个")
THIS_DOC = R(r"这个方案|该方案|本方案|此方案|这个文件|该文件|这份文件|这份方案|这个计划|它的上级")
THIS_UNIT = R(r"这个单位|该单位|这个部门|该部门|他们|它们")
COMPLETION = R(r"完成率|完成比例|完成情况|完成进度|完成了多少|完成了几")
NOT_DONE = R(r"没完成|未完成|没有完成|尚未完成|没做完|没办完|未办结|没有进展|没进展|未填报|没填报")


@dataclass
class Choice:
    intent: str
    score: float
    scores: dict
    how: str  # rules | similarity | fallback


def rule_scores(q: str, ln: Linked, has_task_words: bool) -> dict[str, float]:
    has_unit = bool(ln.units)
    has_doc = bool(ln.documents)
    has_period = ln.period is not None
    has_ind = bool(ln.indicators)
    s = {k: 0.0 for k in load_intents()}

    if has_unit and UNIT_TASK.search(q):
        s["unit_tasks"] += 2.0
    if has_unit:
        s["unit_tasks"] += 1.0
    if has_unit and PARTNER.search(q):
        s["unit_partners"] += 3.5
    if WHO.search(q) and not has_unit:
        s["task_units"] += 2.5
    if WHO.search(q) and has_unit and PARTNER.search(q):
        s["unit_partners"] += 1.0
    if ln.role and not has_unit and re.search(r"谁|哪", q):
        s["task_units"] += 1.0
    year_only = has_period and re.fullmatch(r"\d{4}年", ln.period.text or "") is not None
    if WHEN.search(q) and (not has_period or year_only):
        s["task_deadline"] += 3.0
    if THIS_TASK.search(q):
        s["task_deadline"] += 0.5
        s["task_units"] += 0.5
        s["task_directive"] += 0.5
    if has_period and DUE.search(q):
        s["tasks_due"] += 3.0
    elif has_period:
        s["tasks_due"] += 1.5
    if OVERDUE.search(q):
        s["overdue_tasks"] += 5.0
    if has_doc and UP.search(q):
        s["doc_parents"] += 3.0
    if THIS_DOC.search(q) and UP.search(q):
        s["doc_parents"] += 3.0
    if has_doc and DOWN.search(q):
        s["doc_children"] += 3.5
    if has_doc and FACTS.search(q):
        s["doc_facts"] += 3.5
    if THIS_DOC.search(q) and FACTS.search(q):
        s["doc_facts"] += 3.0
    if not has_doc and UP.search(q) and (has_task_words or THIS_TASK.search(q)):
        s["task_directive"] += 3.0
    if has_ind:
        s["targets"] += 3.0
    if TARGET.search(q):
        s["targets"] += 1.5 if not has_ind else 0.5
    if WORKLOAD.search(q) and re.search(r"单位|部门|谁|哪个|各", q):
        s["unit_workload"] += 3.0 + (1.0 if not has_unit else 0.0)
    if NOLEAD.search(q):
        s["tasks_no_lead"] += 6.0
    if OPEN.search(q):
        s["open_question"] += 1.5
    if NOT_DONE.search(q) and "open_tasks" in s:  # status from progress reports (kg.supervision)
        s["open_tasks"] += 6.0
    if COMPLETION.search(q) and "unit_completion" in s:
        s["unit_completion"] += 6.0
    s["open_question"] += 0.5  # always possible
    # penalise intents whose needs are missing (they may still come from the context)
    return s


def needs_met(intent: str, ln: Linked, context_kinds: set[str]) -> bool:
    for need in load_intents()[intent].get("needs") or []:
        have = {"unit": bool(ln.units), "document": bool(ln.documents), "period": ln.period is not None,
                "indicator": bool(ln.indicators), "task": True}[need]
        if not have and need not in context_kinds:
            return False
    return True


# ---- example similarity -------------------------------------------------------------------------
_ex_lock = threading.Lock()
_ex_cache: dict = {}


def example_matrix():
    """(matrix of example embeddings, list of intents) computed once per process."""
    with _ex_lock:
        if "m" not in _ex_cache:
            import numpy as np

            from . import embedding

            texts, labels = [], []
            for name, spec in load_intents().items():
                for ex in spec.get("examples") or []:
                    texts.append(ex)
                    labels.append(name)
            vecs = np.asarray(embedding.embed_queries(texts), dtype="float32")
            _ex_cache["m"] = (vecs, labels)
    return _ex_cache["m"]


def similarity_scores(question: str, qvec=None) -> dict[str, float]:
    import numpy as np

    from . import embedding

    m, labels = example_matrix()
    v = np.asarray(qvec if qvec is not None else embedding.embed_query(question), dtype="float32")
    sims = m @ v
    best: dict[str, float] = {}
    for lab, sc in zip(labels, sims.tolist()):
        if sc > best.get(lab, -1):
            best[lab] = sc
    return best


# When the rules alone pick an intent this clearly (best total >= RULES_SURE and ahead of the runner-up by
# RULES_MARGIN), the example-similarity term is not computed: on the 121 evaluation questions it changed the
# choice once, for a question the rules scored 0.5, and it costs one model call (~70 ms on 2 cores).
RULES_SURE = 3.0
RULES_MARGIN = 2.5


def choose(q: str, ln: Linked, context_kinds: set[str], has_task_words: bool, qvec=None,
           use_similarity: bool = True) -> Choice:
    """`qvec`: the question's embedding, or a callable returning it (called only when similarity is used)."""
    rules = rule_scores(q, ln, has_task_words)
    met = {name: needs_met(name, ln, context_kinds) for name in rules}
    base = {name: rules[name] - (0.0 if met[name] else 4.0) for name in rules}
    ranked = sorted(base.values(), reverse=True)
    sure = ranked[0] >= RULES_SURE and ranked[0] - ranked[1] >= RULES_MARGIN
    sims = {}
    if use_similarity and not sure:
        try:
            vec = qvec() if callable(qvec) else qvec
            sims = similarity_scores(q, vec)
        except Exception:  # model unavailable: rules alone
            sims = {}
    total = {}
    for name in rules:
        sim = sims.get(name, 0.0)
        # e5 similarities sit in ~0.75..0.95; stretch the useful band to ~0..3
        total[name] = base[name] + max(0.0, (sim - 0.80) * 20.0)
    best = max(total, key=lambda k: total[k])
    how = "rules" if rules[best] >= 2.0 else ("similarity" if sims else "fallback")
    if total[best] <= 0.5:
        best, how = "open_question", "fallback"
    return Choice(best, total[best], {k: round(v, 3) for k, v in sorted(total.items(), key=lambda x: -x[1])}, how)
