"""Answers kept per (question, graph version), so a question asked again (a dashboard, many staff asking
the same thing, a follow-up re-sent) costs a dictionary lookup instead of linking + templates.

    hit = answer_cache.get(store, key)           # key = answer_cache.key(question, today, context, ...)
    answer_cache.put(store, key, answer)

The graph version is `store.writes`, which the store bumps before and after every write it makes (loads,
progress reports, embeddings, alignment, DDL): any write empties that store's cache. That is complete for
the embedded engine, whose folder is locked to this process. A Neo4j server may also be written by other
processes, which this process cannot count, so there an entry also expires after KG_ANSWER_CACHE_TTL
seconds (default 30, the same age the entity-linking lexicon is trusted for: kg.qa.linking.lexicon_for).
KG_ANSWER_CACHE=N keeps at most N answers per store (default 2048); 0 turns the cache off.
"""
from __future__ import annotations

import json
import os
import threading
import time
import weakref
from collections import OrderedDict
from datetime import date

_lock = threading.Lock()
# keyed by the store object itself, weakly: a new store at the address of a closed one starts empty
_stores: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


class _StoreCache:
    def __init__(self, version):
        self.version = version
        self.items: OrderedDict = OrderedDict()  # key -> (stored at, answer)


def size() -> int:
    try:
        return max(0, int(os.environ.get("KG_ANSWER_CACHE", "2048")))
    except ValueError:
        return 2048


def ttl(store) -> float | None:
    """Seconds an entry is trusted for; None = until the store writes (the embedded engine)."""
    if getattr(store, "engine", None) == "embedded":
        return None
    try:
        return float(os.environ.get("KG_ANSWER_CACHE_TTL", "30"))
    except ValueError:
        return 30.0


def key(question: str, today: date, context: dict | None, use_similarity: bool) -> str:
    """Everything an answer depends on besides the graph."""
    ctx = json.dumps(context or {}, ensure_ascii=False, sort_keys=True, default=str)
    return f"{question}\x00{today.isoformat()}\x00{ctx}\x00{int(bool(use_similarity))}"


def _version(store):
    return getattr(store, "writes", None)


def get(store, k: str):
    if size() == 0:
        return None
    version = _version(store)
    if version is None:  # a store that does not count its writes: nothing is safe to keep
        return None
    with _lock:
        try:
            sc = _stores.get(store)
        except TypeError:  # a store object that cannot be weakly referenced
            return None
        if sc is None or sc.version != version:
            return None
        hit = sc.items.get(k)
        if hit is None:
            return None
        at, ans = hit
        limit = ttl(store)
        if limit is not None and time.monotonic() - at > limit:
            del sc.items[k]
            return None
        sc.items.move_to_end(k)
        return ans


def put(store, k: str, answer, version) -> None:
    """Keep `answer`, computed while the store was at `version` (read before answering: a write that
    happened meanwhile makes the entry unreachable instead of stale)."""
    n = size()
    if n == 0 or version is None:
        return
    with _lock:
        sc = _stores.get(store)
        if sc is None or sc.version != version:
            if _version(store) != version:
                return
            try:
                sc = _stores[store] = _StoreCache(version)
            except TypeError:
                return
        sc.items[k] = (time.monotonic(), answer)
        sc.items.move_to_end(k)
        while len(sc.items) > n:
            sc.items.popitem(last=False)


# questions being answered right now, per store: the same question asked again meanwhile waits for that
# answer instead of computing it too (50 clients asking one heavy question at once: one computation)
_inflight: dict[tuple[int, str], threading.Event] = {}


def claim(store, k: str) -> threading.Event | None:
    """None: the caller answers `k` and must call release(); else an Event set when that answer is in."""
    with _lock:
        ev = _inflight.get((id(store), k))
        if ev is not None:
            return ev
        _inflight[(id(store), k)] = threading.Event()
        return None


def in_flight() -> int:
    """How many questions are being answered now (any store)."""
    with _lock:
        return len(_inflight)


def release(store, k: str) -> None:
    with _lock:
        ev = _inflight.pop((id(store), k), None)
    if ev is not None:
        ev.set()


def version_of(store):
    return _version(store)


def clear(store=None) -> None:
    with _lock:
        if store is None:
            _stores.clear()
        else:
            _stores.pop(store, None)
