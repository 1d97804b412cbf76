"""Question answering over the policy graph: entity linking, intents + Cypher templates, semantic
retrieval (e5 + full-text, rank fusion), cross-level alignment, answers with evidence.

    from kg.qa import answer
    answer("矿区环保中队负责哪些任务", store, today=None, context=None) -> dict   (see answering.py)
"""
from __future__ import annotations

from .answering import answer, ask
from .results import Answer, Evidence

__all__ = ["answer", "ask", "Answer", "Evidence"]
