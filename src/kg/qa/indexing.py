"""Embeddings for new tasks and cross-level alignment (ALIGNS_WITH), run after loading plans.

index_new_tasks(store) -> {"embedded": n, "aligned": m, "seconds": s}
1. Tasks without an embedding get one (e5 "passage: " prompt on heading + text, batched) and are
   stored with store.set_task_embeddings.
2. For every document that IMPLEMENTS a loaded (non-stub) document, each of its tasks is linked to the
   most similar task(s) of that parent document with ALIGNS_WITH {score} when the cosine similarity
   is above a threshold. Old ALIGNS_WITH edges from those tasks are replaced, so re-running is idempotent.
"""
from __future__ import annotations

import os
import time

ALIGN_THRESHOLD = float(os.environ.get("KG_ALIGN_THRESHOLD", "0.86"))
ALIGN_TOP = 1
BATCH = 64
PASSAGE_CHARS = 400


def passage_text(heading: str | None, text: str | None) -> str:
    h = (heading or "").strip()
    t = (text or "").strip()
    if t.startswith(h):
        body = t
    else:
        body = f"{h}。{t}" if h else t
    return body[:PASSAGE_CHARS]


def embed_missing(store, batch: int = BATCH) -> int:
    from . import embedding

    rows = store.run("MATCH (t:Task) WHERE t.embedding IS NULL RETURN t.id AS id, t.heading AS heading, "
                     "t.text AS text", {})
    done = 0
    for i in range(0, len(rows), batch * 8):
        chunk = rows[i:i + batch * 8]
        vecs = embedding.embed_passages([passage_text(r.get("heading"), r.get("text")) for r in chunk],
                                        batch_size=batch)
        store.set_task_embeddings([(r["id"], v) for r, v in zip(chunk, vecs)])
        done += len(chunk)
    return done


def align(store, threshold: float = ALIGN_THRESHOLD, top: int = ALIGN_TOP) -> int:
    import numpy as np

    pairs = store.run(
        "MATCH (c:Document)-[:IMPLEMENTS]->(p:Document) WHERE coalesce(p.stub, false) = false "
        "AND coalesce(c.stub, false) = false RETURN DISTINCT c.doc_id AS child, p.doc_id AS parent", {})
    made = 0
    for pr in pairs:
        child = store.run("MATCH (d:Document)-[:HAS_TASK]->(t:Task) WHERE d.doc_id = $d AND t.embedding IS NOT NULL "
                          "RETURN t.id AS id, t.embedding AS v", {"d": pr["child"]})
        parent = store.run("MATCH (d:Document)-[:HAS_TASK]->(t:Task) WHERE d.doc_id = $d AND t.embedding IS NOT NULL "
                           "RETURN t.id AS id, t.embedding AS v", {"d": pr["parent"]})
        if not child or not parent:
            continue
        C = np.asarray([r["v"] for r in child], dtype="float32")
        P = np.asarray([r["v"] for r in parent], dtype="float32")
        C /= np.linalg.norm(C, axis=1, keepdims=True) + 1e-9
        P /= np.linalg.norm(P, axis=1, keepdims=True) + 1e-9
        S = C @ P.T
        links = []
        for i, r in enumerate(child):
            order = np.argsort(-S[i])[:top]
            for j in order:
                if S[i, j] >= threshold:
                    links.append({"c": r["id"], "p": parent[int(j)]["id"], "s": float(S[i, j])})
        ids = [r["id"] for r in child]
        store.write("MATCH (t:Task)-[a:ALIGNS_WITH]->(x:Task) WHERE t.id IN $ids AND x.doc_id = $p DELETE a",
                    {"ids": ids, "p": pr["parent"]})
        if links:
            store.write("UNWIND $links AS l MATCH (c:Task {id: l.c}) MATCH (p:Task {id: l.p}) "
                        "MERGE (c)-[a:ALIGNS_WITH]->(p) SET a.score = l.s", {"links": links})
        made += len(links)
    return made


def index_new_tasks(store) -> dict:
    t0 = time.perf_counter()
    n = embed_missing(store)
    m = align(store)
    from . import linking

    linking.invalidate(store)
    return {"embedded": n, "aligned": m, "seconds": round(time.perf_counter() - t0, 2)}
