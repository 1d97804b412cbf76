"""An in-process full-text index over task texts: BM25 over the words the store's CJK full-text index keeps
(Lucene's CJKAnalyzer: Han runs as overlapping bigrams, a lone Han character by itself, other words lower-cased,
full-width Latin letters and digits as ASCII, English stop words dropped), scored as the embedded engine scores
them: idf = ln(1 + (N - df + 0.5) / (df + 0.5)), k1 = 1.2, b = 0.75, a text's length = its number of words,
each distinct word of the query once.

    ix = TaskTextIndex.from_store(store)          # with the lexicon (kg.qa.linking), pickled with it
    ix.search("挥发性有机物治理", 30)              # [(task_id, score)], best first

Why (issue 11, round 11): the engine's full-text search walked each query word's postings into Java hash maps
twice (a common bigram such as 治理 or 管理 is in 70,000 of the 300,000 tasks of a 10,000-plan graph):
~150 ms of an open question's ~186 ms. Here the postings are numpy arrays (CSR by word: a word's task
positions and term frequencies), and a search sums its words' contributions with one bincount: ~5 ms.
Ties are broken by the task's position (the order the tasks were read) where the engine breaks them by
record id, so among equal scores at the cut the kept tasks can differ.

The index is built whole, with the lexicon, whenever the lexicon is (the graph's counts changed): every task
text is read (~9 s at 10,000 plans) and cut into words with numpy (~5 s); not incrementally, since a re-loaded
plan keeps its task ids with new texts.
"""
from __future__ import annotations

import re

import numpy as np

from kg.store.cypher_files import statements

K1 = 1.2
B = 0.75

# Lucene's English stop words (CJKAnalyzer's default stop set)
STOP = frozenset("a an and are as at be but by for if in into is it no not of on or s such t that the their "
                 "then there these they this to was will with www".split())
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
# a word of other letters or digits (UAX #29 as Lucene's StandardTokenizer reads it, near enough): letters and
# digits, kept together across . : ' between letters and . , ; between digits (pm2.5, 3,000, e.g), full-width
# signs included (3，000)
_W = rf"[^\W{_HAN}]"
_WORD = re.compile(rf"{_W}+(?:(?:[.:'’．：](?={_W})|(?<=\d)[,;，；](?=\d)){_W}+)*")
_HAN_RUN = re.compile(rf"[{_HAN}]+")
_WIDE = re.compile("[０-９Ａ-Ｚａ-ｚ]")
_NARROW = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
LATIN = 1 << 32  # codes of the other words start here (a Han word's code is (c1 << 16) | c2, or c1: all < 2**16)


def _fold(text: str | None) -> str:
    """Full-width Latin letters and digits as ASCII (CJKWidthFilter), lower case (LowerCaseFilter). The
    full-width signs a word holds (3，000) are made ASCII in the word (`_word`): elsewhere they cut words as
    their ASCII forms do."""
    text = text or ""
    if not text.isascii() and _WIDE.search(text):
        text = text.translate(_NARROW)
    return text.lower()


def _word(w: str) -> str:
    return w if w.isascii() else w.translate(_NARROW)


def tokens(text: str | None) -> list[str]:
    """The words of `text` as the engine's CJK analyzer indexes them, in order, with repeats."""
    text = _fold(text)
    found = [(m.start(), m.group()) for m in _HAN_RUN.finditer(text)]
    found += [(m.start(), w) for m in _WORD.finditer(text) if (w := _word(m.group())) not in STOP]
    out: list[str] = []
    for _at, run in sorted(found):
        if _HAN_RUN.match(run):
            out += [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]
        else:
            out.append(run)
    return out


def _han(cp: np.ndarray) -> np.ndarray:
    m = np.zeros(len(cp), dtype=bool)
    for lo, hi in _HAN_RANGES:
        m |= (cp >= lo) & (cp <= hi)
    return m


class TaskTextIndex:
    """Postings of the task texts' words, CSR by word: word k (code `codes[k]`, sorted) is in the tasks at
    positions `docs[starts[k]:starts[k+1]]`, `tf[...]` times each."""

    def __init__(self, task_ids: list[str], codes: np.ndarray, latin: dict[str, int], starts: np.ndarray,
                 docs: np.ndarray, tf: np.ndarray, lengths: np.ndarray):
        self.task_ids = task_ids
        self.codes, self.latin, self.starts, self.docs, self.tf = codes, latin, starts, docs, tf
        self.lengths = lengths
        n = len(task_ids)
        total = float(lengths.sum()) if n else 0.0
        avg = total / n if total else 1.0
        self.norm = K1 * (1.0 - B + B * lengths / avg)  # the length part of BM25's denominator, per task

    def __len__(self) -> int:
        return len(self.task_ids)

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("norm")  # derived: not written to the lexicon file
        return state

    def __setstate__(self, state):
        self.__init__(state["task_ids"], state["codes"], state["latin"], state["starts"], state["docs"],
                      state["tf"], state["lengths"])

    # ---------- building ----------
    @classmethod
    def from_store(cls, store) -> "TaskTextIndex":
        rows = store.run(statements("kg.qa", "text_index.cypher")["task_texts"], {})
        rows = [r for r in rows if r.get("id")]
        return cls.build([r["id"] for r in rows], [r.get("text") for r in rows])

    @classmethod
    def build(cls, task_ids: list[str], texts: list[str | None]) -> "TaskTextIndex":
        """Every text cut into words at once (what `tokens` does text by text): the code points of all the texts
        in one numpy array, a Han bigram wherever two Han characters follow each other, a Han character alone
        where neither neighbour is one; the other words by regular expression."""
        n = len(task_ids)
        folded = [_fold(t) for t in texts]
        big = "\n".join(folded)  # a newline is in no word: nothing runs from one text into the next
        first = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.fromiter((len(t) + 1 for t in folded), dtype=np.int64, count=n), out=first[1:])
        cp = np.frombuffer(big.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        han = _han(cp)
        after = np.zeros_like(han)
        after[:-1] = han[1:]
        before = np.zeros_like(han)
        before[1:] = han[:-1]
        pair = np.flatnonzero(han & after)
        alone = np.flatnonzero(han & ~after & ~before)
        latin: dict[str, int] = {}
        words = [(m.start(), latin.setdefault(w, LATIN + len(latin)))
                 for m in _WORD.finditer(big) if (w := _word(m.group())) not in STOP]
        w_at = np.fromiter((a for a, _ in words), dtype=np.int64, count=len(words))
        w_code = np.fromiter((c for _, c in words), dtype=np.int64, count=len(words))
        at = np.concatenate([pair, alone, w_at])
        code = np.concatenate([(cp[pair] << 16) | cp[pair + 1], cp[alone], w_code])
        doc = np.searchsorted(first, at, side="right") - 1
        lengths = np.bincount(doc, minlength=n).astype(np.int32)
        # (word, task) pairs and their counts in one sort, by word code, then task (codes < 2**33: no overflow
        # below 2**30 tasks)
        m = max(n, 1)
        pairs, tf = np.unique(code * m + doc, return_counts=True)
        wc, d = pairs // m, pairs % m
        new = np.ones(len(wc), dtype=bool)
        new[1:] = wc[1:] != wc[:-1]
        codes = wc[new]
        starts = np.append(np.flatnonzero(new), len(wc)).astype(np.int64)
        return cls(list(task_ids), codes, latin, starts, d.astype(np.int32),
                   np.minimum(tf, np.iinfo(np.uint16).max).astype(np.uint16), lengths)

    # ---------- searching ----------
    def code(self, word: str) -> int | None:
        if _HAN_RUN.fullmatch(word):
            return (ord(word[0]) << 16) | ord(word[1]) if len(word) == 2 else ord(word)
        return self.latin.get(word)

    def postings(self, word: str) -> tuple[np.ndarray, np.ndarray]:
        """(task positions, term frequencies) of a word."""
        c = self.code(word)
        k = int(np.searchsorted(self.codes, c)) if c is not None else len(self.codes)
        if k >= len(self.codes) or self.codes[k] != c:
            return self.docs[:0], self.tf[:0]
        lo, hi = self.starts[k], self.starts[k + 1]
        return self.docs[lo:hi], self.tf[lo:hi]

    def search(self, query: str, limit: int = 30) -> list[tuple[str, float]]:
        """Tasks holding any word of `query`, by BM25 (each distinct word once), best first; among equal scores
        the earlier task."""
        n = len(self.task_ids)
        if not n or limit <= 0:
            return []
        where, weight = [], []
        for word in dict.fromkeys(tokens(query)):
            d, f = self.postings(word)
            if not len(d):
                continue
            idf = np.log(1.0 + (n - len(d) + 0.5) / (len(d) + 0.5))
            tf = f.astype(np.float64)
            where.append(d)
            weight.append(idf * tf * (K1 + 1.0) / (tf + self.norm[d]))
        if not where:
            return []
        scores = np.bincount(np.concatenate(where), weights=np.concatenate(weight), minlength=n)
        scores = scores.astype(np.float32)  # the engine hands its scores over as floats: ties as it sees them
        hit = np.flatnonzero(scores)
        if len(hit) > limit:  # every task at least as good as the limit-th best, then (score desc, position)
            cut = np.partition(scores[hit], len(hit) - limit)[len(hit) - limit]
            hit = hit[scores[hit] >= cut]
        order = np.lexsort((hit, -scores[hit]))[:limit]
        return [(self.task_ids[i], float(scores[i])) for i in hit[order].tolist()]
