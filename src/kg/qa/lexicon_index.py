"""Inverted indexes over the entity-linking lexicon (kg.qa.linking.Lexicon), so a question is matched
against the few titles, headings and unit names that share characters with it instead of every one in
the graph (a 10,000-plan graph has ~300,000 task headings, ~11,500 titles, ~100,000 unit name forms:
scanning them all cost 0.2-1.5 s per question).

Each index is a pure speed-up: the candidates it returns are a superset of what the full scan could
accept (fuzzy units, titles), or, for headings, the ones sharing the most bigrams with the probe
(a heading the probe nearly matches shares most of its bigrams; see `heading_candidates`).
Built once with the lexicon and pickled with it (kg.qa.lexicon_cache).
"""
from __future__ import annotations

import numpy as np

# below this many distinct headings the fuzzy heading match scans them all (exactly as before)
HEADING_SCAN_ALL = 20000
# otherwise the headings sharing the most bigrams with the probe are scored, this many at most
HEADING_CANDIDATES = 2000


def _bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)}


def _postings(keys_per_item) -> dict[str, np.ndarray]:
    """key -> sorted int32 array of the items holding it."""
    tmp: dict[str, list[int]] = {}
    for i, keys in enumerate(keys_per_item):
        for k in keys:
            tmp.setdefault(k, []).append(i)
    return {k: np.asarray(v, dtype=np.int32) for k, v in tmp.items()}


class HeadingIndex:
    """Distinct task headings, the tasks carrying each, and bigram postings over them."""

    def __init__(self, task_ids: list[str], headings: list[str], doc_ids: list[str | None]):
        pos: dict[str, int] = {}
        self.uniq: list[str] = []
        self.tasks_of: list[list[int]] = []  # distinct heading -> task positions, in task order
        self.heading_of = np.zeros(len(headings), dtype=np.int32)  # task position -> distinct heading
        for i, h in enumerate(headings):
            j = pos.get(h)
            if j is None:
                j = pos[h] = len(self.uniq)
                self.uniq.append(h)
                self.tasks_of.append([])
            self.tasks_of[j].append(i)
            self.heading_of[i] = j
        self.grams = _postings(_bigrams(h) for h in self.uniq) if len(self.uniq) > HEADING_SCAN_ALL else {}
        self.by_doc: dict[str, list[int]] = {}  # doc_id -> task positions
        for i, d in enumerate(doc_ids):
            if d:
                self.by_doc.setdefault(d, []).append(i)
        self.task_ids = task_ids
        self.pos = {t: i for i, t in enumerate(task_ids)}  # task id -> position

    def tasks_in(self, doc_ids) -> list[int]:
        out: list[int] = []
        for d in dict.fromkeys(doc_ids):
            out += self.by_doc.get(d, [])
        return sorted(out)

    def candidates(self, probe: str) -> list[int] | None:
        """Distinct-heading positions worth scoring for `probe`, in heading order; None = all of them.
        A heading that partial_ratio scores high holds most of the probe (or the probe holds most of it),
        so it shares most of their common bigrams: the HEADING_CANDIDATES sharing the most are kept."""
        if not self.grams:
            return None
        arrays = [self.grams[g] for g in _bigrams(probe) if g in self.grams]
        if not arrays:
            return []
        counts = np.bincount(np.concatenate(arrays), minlength=len(self.uniq))
        hit = np.flatnonzero(counts)
        if len(hit) > HEADING_CANDIDATES:
            # most shared bigrams first; among equals the earlier heading (stable), as the full scan orders ties
            order = np.argsort(-counts[hit], kind="stable")[:HEADING_CANDIDATES]
            hit = np.sort(hit[order])
        return hit.tolist()


class FuzzyUnitIndex:
    """Unit name forms grouped by first and by last character: linking.Lexicon.fuzzy_units accepts a
    near miss only when the window and the name share their first or their last character."""

    def __init__(self, aliases: list[str]):
        self.first = _postings([a[:1]] for a in aliases)
        self.last = _postings([a[-1:]] for a in aliases)

    def pairs(self, windows: list[str]) -> list[tuple[list[int], np.ndarray]]:
        """(window positions, alias positions) blocks covering every pair that shares a first or last
        character (a pair sharing both appears in two blocks)."""
        out = []
        for table, pick in ((self.first, lambda w: w[:1]), (self.last, lambda w: w[-1:])):
            groups: dict[str, list[int]] = {}
            for i, w in enumerate(windows):
                groups.setdefault(pick(w), []).append(i)
            for k, ws in groups.items():
                al = table.get(k)
                if al is not None and len(al):
                    out.append((ws, al))
        return out


class TitleIndex:
    """Title bigram and character postings: linking.Lexicon.scored_documents scores only documents with
    two or more bigrams of the question, or every character of one of its abbreviations."""

    def __init__(self, title_grams: dict[str, set], title_text: dict[str, str]):
        self.doc_ids = list(title_grams)
        self.grams = _postings(title_grams[d] for d in self.doc_ids)
        pos = {d: i for i, d in enumerate(self.doc_ids)}
        chars: dict[str, list[int]] = {}
        for d, t in title_text.items():
            if d in pos:
                for ch in set(t):
                    chars.setdefault(ch, []).append(pos[d])
        self.chars = {ch: np.asarray(sorted(v), dtype=np.int32) for ch, v in chars.items()}

    def candidates(self, qgrams: set[str], abbrevs: set[str], idf: dict[str, float]
                   ) -> list[tuple[str, list[str], int, float]]:
        """Documents (in title-index order) sharing 2+ bigrams with the question or holding every character of
        some abbreviation, each as (doc_id, the abbreviations whose every character its title holds, how many of
        `qgrams` its bigrams hold, their summed `idf`). Counted and summed over the postings at once, and an
        abbreviation's pattern tried only where it can match: at 10,000 plans a question has ~500 candidate
        titles, and a set intersection and sum per title plus every abbreviation tried on every title cost
        4-6 ms of linking."""
        n = len(self.doc_ids)
        found = [(self.grams[g], idf.get(g, 0.0)) for g in qgrams if g in self.grams]
        if found:
            where = np.concatenate([a for a, _w in found])
            hits = np.bincount(where, minlength=n)
            mass = np.bincount(where, weights=np.concatenate([np.full(len(a), w) for a, w in found]), minlength=n)
        else:
            hits, mass = np.zeros(n, dtype=np.int64), np.zeros(n)
        keep = hits >= 2
        held: list[tuple[str, np.ndarray]] = []
        for ab in abbrevs:
            sets = [self.chars.get(ch) for ch in set(ab)]
            if any(s is None for s in sets):
                continue
            sets.sort(key=len)
            common = sets[0]
            for s in sets[1:]:
                common = np.intersect1d(common, s, assume_unique=True)
                if not len(common):
                    break
            if len(common):
                keep[common] = True
                held.append((ab, common))
        pos = np.flatnonzero(keep)
        out = [(self.doc_ids[i], [], h, m) for i, h, m in zip(pos.tolist(), hits[pos].tolist(), mass[pos].tolist())]
        for ab, common in held:
            for j in np.searchsorted(pos, common).tolist():  # every holder is a candidate
                out[j][1].append(ab)
        return out
