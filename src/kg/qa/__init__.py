"""Question answering over the policy graph: entity linking, intents + Cypher templates, semantic
retrieval (e5 + full-text, rank fusion), cross-level alignment, answers with evidence."""
from __future__ import annotations


def answer(question, store, today=None, context=None, **kw):
    from .answer import answer as _answer

    return _answer(question, store, today=today, context=context, **kw)


__all__ = ["answer"]
