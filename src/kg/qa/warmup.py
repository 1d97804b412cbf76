"""Warm-up at server start, so that the first questions do not pay for what every process pays once:

    timings = warm_up(store)      # {step: seconds, or "error: …"}

First the entity-linking lexicon (from its file), which every question needs; then two threads, as the
two sides hardly wait for each other:
- the store: one vector search (the embedded engine reads the vector index into memory at its first
  search: 2-5 s on a 10,000-plan graph), one full-text search when the lexicon has no word index of the
  task texts (kg.qa.text_index: then the questions never ask the store's), then every template in qa/templates once
  with harmless parameters (keys of one real unit, task and document; empty date ranges; LIMIT 1): the
  first run of a query in a process costs 5-70 ms more than the next ones;
- the models: the static index model, the e5 model and the intents' example vectors.
Nothing is written and no answer is cached. Errors are reported in the timings, never raised.
"""
from __future__ import annotations

import threading
import time

from kg import resources
from kg.roles import ALL_RELS
from kg.store.cypher_files import statements

from .intents.base import template

# templates that read the whole graph whatever their parameters (seconds at 10,000 plans): a warm-up run
# would cost far more than the first-run overhead it saves them
WHOLE_GRAPH = frozenset({"open_tasks", "tasks_no_lead", "unit_completion", "doc_text_mentions"})
EMPTY = "\uffff"  # a string no key starts with: date ranges from it to "" are empty


def template_names() -> list[str]:
    return sorted(p.name[:-len(".cypher")] for p in resources.files("qa", "templates").iterdir()
                  if p.name.endswith(".cypher"))


def harmless_params(sample: dict) -> dict:
    unit, task, doc = sample.get("unit") or EMPTY, sample.get("task") or EMPTY, sample.get("doc") or EMPTY
    return {"limit": 1, "skip": 0, "docs": [doc], "tasks": [task], "units": [unit], "rels": list(ALL_RELS),
            "start": EMPTY, "end": "", "until": "", "asof": "", "year": 0, "indicators": [],
            "no_progress": True, "title": EMPTY, "title2": EMPTY, "text": EMPTY, "kinds": [],
            "groups": [{"d": doc, "spans": [{"a": 0, "n": 1}]}]}


# A warm-up step waits while questions are being answered (up to this many seconds): on 2 cores the models'
# loading and the templates' first runs took the CPU and the interpreter lock from the first questions, which
# then waited seconds for steps they did not need (issue 11: first answer after start).
YIELD_MAX_S = 20.0


def _yield_to_questions() -> None:
    from . import answer_cache

    deadline = time.monotonic() + YIELD_MAX_S
    while answer_cache.in_flight() and time.monotonic() < deadline:
        time.sleep(0.02)


def _timed(out: dict, name: str, fn) -> None:
    _yield_to_questions()
    t0 = time.perf_counter()
    try:
        fn()
        out[name] = round(time.perf_counter() - t0, 2)
    except Exception as exc:  # a store without vectors, a model missing: the questions will say so
        out[name] = f"error: {type(exc).__name__}: {str(exc)[:120]}"


def warm_store(store, out: dict) -> None:
    def vector_search():
        dims = store.schema.vector_dimensions()  # None: no vectors yet
        if dims and dims > 0:
            store.vector_tasks([1.0] + [0.0] * (dims - 1), 10)

    _timed(out, "vector_search", vector_search)
    from .linking import lexicon_for

    if getattr(lexicon_for(store), "text_index", None) is None:  # else the questions never use the store's
        _timed(out, "fulltext_search", lambda: store.fulltext_tasks("工作 任务", 10))

    def templates():
        rows = store.run(statements("kg.qa", "warmup.cypher")["sample"], {})
        params = harmless_params(rows[0] if rows else {})
        for name in template_names():
            if name not in WHOLE_GRAPH:
                _yield_to_questions()
                store.run(template(name), params)

    _timed(out, "templates", templates)


def warm_models(out: dict) -> None:
    from . import embedding
    from .intents import example_matrix

    _timed(out, "static_model", lambda: embedding.embed_index_query("预热"))
    _timed(out, "e5_model", lambda: embedding.embed_query("预热"))
    _timed(out, "intent_examples", example_matrix)


def warm_up(store) -> dict:
    """The lexicon first and alone (every question needs it: the first ones wait for it), then the store
    side in a thread beside the models."""
    from .linking import lexicon_for

    out: dict = {}
    t0 = time.perf_counter()
    _timed(out, "lexicon", lambda: lexicon_for(store))
    side = threading.Thread(target=warm_store, args=(store, out), name="warm-up-store", daemon=True)
    side.start()
    warm_models(out)
    side.join()
    out["total"] = round(time.perf_counter() - t0, 2)
    return out
