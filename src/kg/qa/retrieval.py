"""Semantic retrieval over tasks: the index model's vectors (embedding.embed_index_query: the static model
distilled from e5, see static_model.py) + the store's CJK full-text index + fuzzy heading match, fused by
reciprocal rank (RRF), so exact unit names and 文号 are never lost to the vector side.

No e5 re-ranking of the vector candidates: on the seed questions that name a task (bench/eval_retrieval.py)
the static model's first task is right more often than e5's (92% vs 82% hit@1) and re-ranking its top 5-30
with e5 does not beat it, while embedding the candidates with e5 costs 0.3-3 s a question on 2 cores."""
from __future__ import annotations

import re

RRF_K = 60


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
            ft = store.fulltext_tasks(ftq, want)
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
