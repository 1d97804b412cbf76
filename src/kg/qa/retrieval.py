"""Semantic retrieval over tasks: the index model's vectors (embedding.embed_index_query: the static model
distilled from e5, see static_model.py) + full text (the lexicon's word index over task texts,
kg.qa.text_index, scored as the store's CJK full-text index scores; the store's own index when a lexicon has
none) + fuzzy heading match, fused by reciprocal rank (RRF), so exact unit names and 文号 are never lost to
the vector side.

No e5 re-ranking of the vector candidates: on the seed questions that name a task (bench/eval_retrieval.py)
the static model's first task is right more often than e5's (92% vs 82% hit@1) and re-ranking its top 5-30
with e5 does not beat it, while embedding the candidates with e5 costs 0.3-3 s a question on 2 cores."""
from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np

from .intents.base import template

RRF_K = 60
SCOPED_MAX = 2000  # a question scoped to documents with at most this many tasks ranks them all


def fulltext_query(text: str) -> str:
    """Keep only words: the store's full-text engine must never see user syntax (quotes, brackets,
    boolean operators). CJK runs stay whole; the index tokenises them itself."""
    words = re.findall(r"[\u4e00-\u9fff]+|[A-Za-z0-9.]+", text)
    return " ".join(w for w in words if w.strip("."))


def rrf(rankings: list[list[str]], weights: list[float] | None = None, k: int = RRF_K) -> list[tuple[str, float]]:
    scores: dict[str, float] = {}
    for i, ranking in enumerate(rankings):
        w = weights[i] if weights else 1.0
        for rank, key in enumerate(ranking):
            scores[key] = scores.get(key, 0.0) + w / (k + rank + 1)
    return sorted(scores.items(), key=lambda kv: -kv[1])


def search_tasks(store, text: str, lex=None, limit: int = 10, allowed: set[str] | None = None,
                 info: dict | None = None) -> list[tuple[str, float]]:
    """Task ids most relevant to `text`, best first, with fused scores."""
    info = info if info is not None else {}
    if allowed is not None and len(allowed) <= SCOPED_MAX:
        return rank_within(store, text, allowed, lex, limit, info)
    rankings, weights = [], []
    want = max(limit * 3, 30)
    # vector
    try:
        from . import embedding

        qvec = embedding.embed_index_query(text)
        vec = store.vector_tasks(list(map(float, qvec)), want)
        info["vector"] = vec[:5]
        vec_ids = [t for t, _ in vec]
        if vec_ids:
            rankings.append(vec_ids)
            weights.append(1.0)
    except Exception as exc:  # no embeddings yet, or no model: full-text still answers
        info["vector_error"] = str(exc)[:200]
    # full-text
    ftq = fulltext_query(text)
    if ftq:
        try:
            tix = getattr(lex, "text_index", None)
            ft = tix.search(ftq, want) if tix is not None else store.fulltext_tasks(ftq, want)
            info["fulltext"] = ft[:5]
            if ft:
                rankings.append([t for t, _ in ft])
                weights.append(1.0)
        except Exception as exc:
            info["fulltext_error"] = str(exc)[:200]
    # fuzzy headings
    if lex is not None:
        fz = lex.fuzzy_tasks(text, limit=want, cutoff=60)
        if fz:
            rankings.append([t for t, _ in fz])
            weights.append(0.8)
            info["headings"] = fz[:5]
    fused = rrf(rankings, weights)
    if allowed is not None:
        fused = [(t, s) for t, s in fused if t in allowed]
    return fused[:limit]


def bigrams(text: str) -> list[str]:
    """The two-character words of a text (within runs of Han characters or Latin/digits)."""
    runs = re.findall(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+", text or "")
    return [r[i:i + 2] for r in runs for i in range(max(len(r) - 1, 1))]


def word_overlap(probe: str, text: str) -> int:
    """How many two-character words of the question a text holds."""
    return len(set(bigrams(probe)) & set(bigrams(text)))


def bm25(query: str, docs: dict[str, str], k1: float = 1.2, b: float = 0.75) -> list[tuple[str, float]]:
    """BM25 over character bigrams: a section's text holds its sub-items' words too, so length counts."""
    grams = {k: Counter(bigrams(v)) for k, v in docs.items()}
    if not grams:
        return []
    sizes = {k: sum(g.values()) for k, g in grams.items()}
    avg = sum(sizes.values()) / len(grams) or 1.0
    df = Counter(t for g in grams.values() for t in g)
    n = len(grams)
    wanted = set(bigrams(query))
    scores = {}
    for key, g in grams.items():
        size = sizes[key]
        s = 0.0
        for t in wanted:
            if t in g:
                idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                s += idf * g[t] * (k1 + 1) / (g[t] + k1 * (1 - b + b * size / avg))
        if s > 0:
            scores[key] = s
    return sorted(scores.items(), key=lambda kv: -kv[1])


def rank_within(store, text: str, allowed: set[str], lex=None, limit: int = 10,
                info: dict | None = None) -> list[tuple[str, float]]:
    """Rank every task of the named documents: stored vectors (cosine), BM25 of the question's words in
    each task's heading and text, fuzzy headings, fused by RRF."""
    info = info if info is not None else {}
    rows = store.run(template("tasks_vectors"), {"tasks": sorted(allowed)})
    rankings, weights = [], []
    with_vec = [r for r in rows if r.get("embedding")]
    if with_vec:
        try:
            from . import embedding

            q = np.asarray(embedding.embed_index_query(text), dtype=np.float32)
            m = np.asarray([r["embedding"] for r in with_vec], dtype=np.float32)
            sims = m @ q / (np.linalg.norm(m, axis=1) * np.linalg.norm(q) + 1e-9)
            order = np.argsort(-sims)
            rankings.append([with_vec[i]["id"] for i in order])
            weights.append(1.0)
        except Exception as exc:  # no model: the words still rank
            info["vector_error"] = str(exc)[:200]
    lexical = bm25(text, {r["id"]: f"{r.get('heading') or ''} {r.get('text') or ''}" for r in rows})
    if lexical:
        rankings.append([t for t, _ in lexical])
        weights.append(1.5)  # inside one document the question's own words beat the static vectors
        info["scoped_bm25"] = lexical[:5]
    if lex is not None:
        fz = lex.fuzzy_tasks(text, limit=30, cutoff=60, only=allowed)
        if fz:
            rankings.append([t for t, _ in fz])
            weights.append(0.8)
    return rrf(rankings, weights)[:limit]
