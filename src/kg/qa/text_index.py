"""An in-process full-text index over task texts: BM25 over the words the store's CJK full-text index keeps
(Lucene's CJKAnalyzer: Han runs as overlapping bigrams, a lone Han character by itself, Latin and digit
words lower-cased, English stop words dropped), scored as the embedded engine scores them
(idf = ln(1 + (N - df + 0.5) / (df + 0.5)), k1 = 1.2, b = 0.75, document length = its number of words).

    ix = TaskTextIndex.build(task_ids, texts)     # once, with the lexicon (kg.qa.linking), pickled with it
    ix.search("挥发性有机物治理", 30)              # [(task_id, score)], best first

Why (issue 11, round 11): the engine's full-text search walked each query word's postings into Java hash maps
twice (a common bigram such as 治理 or 管理 is in 70,000 of the 300,000 tasks of a 10,000-plan graph):
~150 ms of an open question's ~186 ms. Here the postings are numpy arrays (a token's documents and term
frequencies, CSR by token), and a search sums the question's words' contributions with one bincount.
Ties are broken by the task's position (the order the tasks were read), where the engine breaks them by
record id, so among equal scores the kept tasks can differ.

Tasks added later (`add`) are appended: their postings go into a small second part that is merged into the
main arrays when it grows; N and the average length follow, as in the engine.
"""
from __future__ import annotations

import re
import unicodedata

import numpy as np

K1 = 1.2
B = 0.75
MERGE_AT = 20000  # pending postings merged into the main arrays beyond this many

# Lucene's English stop words (CJKAnalyzer's default stop set)
STOP = frozenset("a an and are as at be but by for if in into is it no not of on or s such t that the their "
                 "then there these they this to was will with www".split())
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_HAN}]+|[a-z0-9]+(?:[.,][0-9]+)*")
_HAN_RUN = re.compile(rf"[{_HAN}]")


def _fold(text: str) -> str:
    """Full-width Latin letters and digits to ASCII (CJKWidthFilter), lower case."""
    return unicodedata.normalize("NFKC", text or "").lower() if not text.isascii() else text.lower()


def tokens(text: str) -> list[str]:
    """The words of `text` as the engine's CJK analyzer indexes them (with repeats)."""
    out: list[str] = []
    for run in _RUNS.findall(_fold(text)):
        if _HAN_RUN.match(run):
            if len(run) == 1:
                out.append(run)
            else:
                out += [run[i:i + 2] for i in range(len(run) - 1)]
        elif run not in STOP:
            out.append(run)
    return out


class TaskTextIndex:
    """Postings of the task texts' words (CSR by word): `starts[w]:starts[w+1]` of `docs` (task positions) and
    `tf` (term frequencies)."""

    def __init__(self):
        self.task_ids: list[str] = []
        self.pos: dict[str, int] = {}
        self.vocab: dict[str, int] = {}
        self.starts = np.zeros(1, dtype=np.int64)
        self.docs = np.zeros(0, dtype=np.int32)
        self.tf = np.zeros(0, dtype=np.uint16)
        self.lengths = np.zeros(0, dtype=np.int32)
        self.total_len = 0
        # postings of tasks added since the last merge: word id -> (positions, tfs)
        self.pending: dict[int, tuple[list[int], list[int]]] = {}
        self.pending_n = 0

    # ---------- building ----------
    @classmethod
    def build(cls, task_ids: list[str], texts: list[str]) -> "TaskTextIndex":
        ix = cls()
        ix.add(task_ids, texts, merge=True)
        return ix

    def add(self, task_ids: list[str], texts: list[str], merge: bool | None = None) -> None:
        """Index more tasks (new ids only; a known id is skipped: re-loaded plans rebuild the lexicon)."""
        vocab = self.vocab
        word_ids: list[np.ndarray] = []
        positions: list[np.ndarray] = []
        lengths = []
        for tid, text in zip(task_ids, texts):
            if tid in self.pos:
                continue
            p = self.pos[tid] = len(self.task_ids)
            self.task_ids.append(tid)
            toks = tokens(text or "")
            lengths.append(len(toks))
            if toks:
                ids = np.fromiter((vocab.setdefault(t, len(vocab)) for t in toks), dtype=np.int64, count=len(toks))
                word_ids.append(ids)
                positions.append(np.full(len(ids), p, dtype=np.int64))
        if not lengths:
            return
        self.lengths = np.concatenate([self.lengths, np.asarray(lengths, dtype=np.int32)])
        self.total_len += int(sum(lengths))
        if not word_ids:
            return
        n = len(self.task_ids)
        # (word, task) pairs with their counts, sorted by word then task
        key = np.concatenate(word_ids) * n + np.concatenate(positions)
        uniq, counts = np.unique(key, return_counts=True)
        w, d = uniq // n, uniq % n
        if merge is None:
            merge = self.pending_n + len(uniq) > MERGE_AT
        if merge:
            self._merge(w, d, counts)
        else:
            for wi, lo, hi in _runs(w):
                ps, fs = self.pending.setdefault(wi, ([], []))
                ps += d[lo:hi].tolist()
                fs += counts[lo:hi].tolist()
            self.pending_n += len(uniq)

    def _merge(self, w: np.ndarray, d: np.ndarray, c: np.ndarray) -> None:
        """Fold (word, position, count) triples, and the pending postings, into the main arrays."""
        if self.pending:
            pw = np.concatenate([np.full(len(ps), wi, dtype=np.int64) for wi, (ps, _) in self.pending.items()])
            pd = np.concatenate([np.asarray(ps, dtype=np.int64) for ps, _ in self.pending.values()])
            pc = np.concatenate([np.asarray(fs, dtype=np.int64) for _, fs in self.pending.values()])
            w, d, c = np.concatenate([w, pw]), np.concatenate([d, pd]), np.concatenate([c, pc])
            self.pending, self.pending_n = {}, 0
        old_w = np.repeat(np.arange(len(self.starts) - 1, dtype=np.int64), np.diff(self.starts))
        all_w = np.concatenate([old_w, w])
        all_d = np.concatenate([self.docs.astype(np.int64), d])
        all_c = np.concatenate([self.tf.astype(np.int64), c])
        order = np.lexsort((all_d, all_w))
        self.docs = all_d[order].astype(np.int32)
        self.tf = np.minimum(all_c[order], np.iinfo(np.uint16).max).astype(np.uint16)
        counts = np.bincount(all_w, minlength=len(self.vocab))
        self.starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)

    # ---------- searching ----------
    def __len__(self) -> int:
        return len(self.task_ids)

    def postings(self, word: str) -> tuple[np.ndarray, np.ndarray]:
        wi = self.vocab.get(word)
        if wi is None:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.uint16)
        d, f = self.docs[self.starts[wi]:self.starts[wi + 1]], self.tf[self.starts[wi]:self.starts[wi + 1]]
        more = self.pending.get(wi)
        if more:
            d = np.concatenate([d, np.asarray(more[0], dtype=np.int32)])
            f = np.concatenate([f, np.asarray(more[1], dtype=np.uint16)])
        return d, f

    def search(self, query: str, limit: int = 30) -> list[tuple[str, float]]:
        """Tasks holding any word of `query`, by BM25, best first (ties: the earlier task)."""
        n = len(self.task_ids)
        if not n or limit <= 0:
            return []
        avg = self.total_len / n if self.total_len else 1.0
        where, weight = [], []
        for word in dict.fromkeys(tokens(query)):
            d, f = self.postings(word)
            if not len(d):
                continue
            df = len(d)
            idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
            tf = f.astype(np.float64)
            norm = 1.0 - B + B * self.lengths[d] / avg
            where.append(d)
            weight.append(idf * tf * (K1 + 1.0) / (tf + K1 * norm))
        if not where:
            return []
        scores = np.bincount(np.concatenate(where), weights=np.concatenate(weight), minlength=n)
        scores = scores.astype(np.float32)  # the engine hands its scores over as floats: ties as it sees them
        hit = np.flatnonzero(scores)
        if len(hit) > limit:
            # the limit-th best score, then every task at least that good, ordered by (score desc, position)
            cut = np.partition(scores[hit], len(hit) - limit)[len(hit) - limit]
            hit = hit[scores[hit] >= cut]
        order = np.lexsort((hit, -scores[hit]))[:limit]
        return [(self.task_ids[i], float(scores[i])) for i in hit[order].tolist()]


def _runs(sorted_keys: np.ndarray):
    """(key, start, end) of each run of equal values in a sorted array."""
    if not len(sorted_keys):
        return
    cut = np.flatnonzero(np.diff(sorted_keys)) + 1
    starts = np.concatenate([[0], cut])
    ends = np.concatenate([cut, [len(sorted_keys)]])
    for k, lo, hi in zip(sorted_keys[starts].tolist(), starts.tolist(), ends.tolist()):
        yield k, lo, hi
