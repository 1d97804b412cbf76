"""/api/ask answers kept as the JSON bytes sent, so a question asked again is answered on the event loop:
no worker thread (a hit never queues behind slow questions holding the thread pool), no copy of the
answer, no validation and no JSON encoding of its rows (~5-20 ms for 200 rows with evidence).

An entry is kept only while kg.qa.answer_cache holds the same answer, at the same graph version
(`store.writes`; on a Neo4j server also for at most its TTL): what is sent from here is byte for byte what
answering again would send, and a write to the graph voids it exactly as it voids the answer cache.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict

from kg.qa import answer_cache


class AskCache:
    """The bodies sent for one store (one per kg.service.Service)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._items: OrderedDict = OrderedDict()  # key -> (version, stored at, body)
        # questions being answered, each with an asyncio.Event set when done: the same question asked
        # meanwhile waits on the event loop (used there only, so no lock)
        self.pending: dict = {}

    def get(self, store, key: str) -> bytes | None:
        version = answer_cache.version_of(store)
        limit = answer_cache.ttl(store)
        with self._lock:
            hit = self._items.get(key)
            if hit is None:
                return None
            at_version, at, body = hit
            if at_version != version or (limit is not None and time.monotonic() - at > limit):
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return body

    def put(self, store, key: str, version, body: bytes) -> None:
        """Keep `body`, made from the answer computed at `version`, when the answer cache kept that answer."""
        if version is None or answer_cache.version_of(store) != version or answer_cache.get(store, key) is None:
            return
        with self._lock:
            self._items[key] = (version, time.monotonic(), body)
            self._items.move_to_end(key)
            while len(self._items) > answer_cache.size():
                self._items.popitem(last=False)
