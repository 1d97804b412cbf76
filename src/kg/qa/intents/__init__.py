"""Intent choice over the registry: each intent's rule score (keywords + which entities were linked)
plus the similarity of the question to its example questions (e5 "query:" embeddings).

Families (one module each): unit, task, time, document, statistics, open. Every intent is registered
in its module with its needs, rule, templates, examples and handler (see base.py).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

from ..linking import Linked
from ..signals import (DOWN, DUE, FACTS, NOLEAD, OPEN, OVERDUE, PARTNER, TARGET, THIS_DOC, THIS_TASK,  # noqa: F401
                       THIS_UNIT, UNIT_TASK, UP, WHEN, WHO, WORKLOAD, NOT_DONE, Signals)
from .base import REGISTRY, Intent, intent, template  # noqa: F401
from . import unit, task, time, document, statistics, count, progress, open  # noqa: F401,E402  (registration)


def load_intents() -> dict[str, dict]:
    """name -> {description, templates, needs, examples, family} for every registered intent."""
    return {name: it.spec() for name, it in REGISTRY.items()}


def get(name: str) -> Intent:
    return REGISTRY[name]


@dataclass
class Choice:
    intent: str
    score: float
    scores: dict
    how: str  # rules | similarity | fallback


def rule_scores(q: str, ln: Linked, has_task_words: bool) -> dict[str, float]:
    s = Signals(ln.without_documents(), ln, has_task_words)
    return {name: float(it.rule(s)) for name, it in REGISTRY.items()}


def needs_met(name: str, ln: Linked, context_kinds: set[str]) -> bool:
    for need in REGISTRY[name].needs:
        have = {"unit": bool(ln.units), "actor": bool(ln.units or ln.unknown_unit),
                "document": bool(ln.documents), "period": ln.period is not None,
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

            from .. import embedding

            texts, labels = [], []
            for name, it in REGISTRY.items():
                for ex in it.examples:
                    texts.append(ex)
                    labels.append(name)
            vecs = np.asarray(embedding.embed_queries(texts), dtype="float32")
            _ex_cache["m"] = (vecs, labels)
    return _ex_cache["m"]


def similarity_scores(question: str, qvec=None) -> dict[str, float]:
    import numpy as np

    from .. import embedding

    m, labels = example_matrix()
    v = np.asarray(qvec if qvec is not None else embedding.embed_query(question), dtype="float32")
    sims = m @ v
    best: dict[str, float] = {}
    for lab, sc in zip(labels, sims.tolist()):
        if sc > best.get(lab, -1):
            best[lab] = sc
    return best


# When the rules alone pick an intent this clearly (best total >= RULES_SURE and ahead of the runner-up by
# RULES_MARGIN), the example-similarity term is not computed: it costs one model call (~70 ms on 2 cores
# idle, over a second on a busy machine). Measured on the 121 evaluation questions (qa/questions*.yaml):
# of the 104 the rules score >= 3.0, the similarity term changed the choice of none, at any margin (6 of
# them lead by 0.5, 2 by 1.0); the one choice it changes is a question the rules scored 0.5.
RULES_SURE = 3.0
RULES_MARGIN = 0.5


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
