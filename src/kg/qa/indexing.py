"""Embeddings for new tasks and cross-level alignment (ALIGNS_WITH), run after loading plans.

index_new_tasks(store, full=False) -> {"embedded": n, "aligned_pairs": p, "aligned": m, "seconds": s,
                                       "embed_s": …, "align_s": …}

Incremental:
1. Only tasks without an embedding get one (the index model on heading + text: the static model distilled
   from e5, embedding.embed_index; KG_INDEX_MODEL=transformer for e5 itself), stored with
   store.set_task_embeddings. Vectors of another size in the store (made by another model) are all replaced. The store forgets a task's embedding when a re-load changes its text,
   and a re-issued plan's new tasks have none, so "no embedding" is exactly "new or changed".
2. Alignment is recomputed only for (child, parent) document pairs, child -IMPLEMENTS-> parent with both
   loaded in full, where
   - either side got new embeddings in this run, or
   - the IMPLEMENTS edge carries no `aligned_tasks` mark (the edge is new: the child was (re)loaded, or
     the parent was a stub until now), or
   - the parent's task count differs from the mark (tasks were removed from the parent).
   `full=True` recomputes every pair. After a pair is done its IMPLEMENTS edge is marked with
   `aligned_tasks` = the parent's task count. ALIGNS_WITH edges from a recomputed child to documents it no
   longer implements are removed.

How a child task is matched to a parent task (chosen on the hand-made gold in qa/alignment_gold.yaml, the
青川市 → 潭溪县 → 柳溪镇 sample chain; see bench/eval_qa.py --align):
   sim(i, j)  = cos(text_i, text_j) + cos(heading_i, heading_j)          (two views, 0..2)
   csls(i, j) = 2·sim(i, j) − r_child(i) − r_parent(j)                     (CSLS: r = mean of the 3 best
                sims of that row / column; removes "hub" tasks such as 保障措施 that are close to everything)
   + 0.01 when both tasks sit at the same depth of their numbering,
   + 0.04 when the parent task lies inside the subtree the child's own parent item was aligned to.
   Link the best parent task when that value >= KG_ALIGN_THRESHOLD (default 0.03).
   On the gold (48 child tasks) with e5 vectors: 0.875 of tasks right (linked to an acceptable task or
   correctly left unlinked), precision 0.89, recall 0.89; raw cosine on task text with the old 0.86
   threshold linked every task (precision 0.65). With the static index model (the default since issue 11;
   same formula, same threshold): 0.854 (bench/eval_qa.py --align).
The edge keeps score = mean of the two cosines (0..1, what the UI shows) and `margin` = the decision value.
"""
from __future__ import annotations

import os
import time

ALIGN_THRESHOLD = float(os.environ.get("KG_ALIGN_THRESHOLD", "0.03"))
CSLS_K = 3
SAME_DEPTH_BONUS = 0.01
SUBTREE_BONUS = 0.04
BATCH = 64
PASSAGE_CHARS = 400

MISSING = ("MATCH (t:Task) WHERE t.embedding IS NULL "
           "RETURN t.id AS id, t.doc_id AS doc_id, t.heading AS heading, t.text AS text")
PAIRS = """
MATCH (c:Document)-[r:IMPLEMENTS]->(p:Document)
WHERE coalesce(c.stub, false) = false AND coalesce(p.stub, false) = false AND c.doc_id <> p.doc_id
OPTIONAL MATCH (p)-[:HAS_TASK]->(pt:Task)
WITH c.doc_id AS child, p.doc_id AS parent, r.aligned_tasks AS mark, count(pt) AS parent_tasks
RETURN child, parent, collect(mark) AS marks, parent_tasks
"""
DOC_TASKS = ("MATCH (t:Task {doc_id: $d}) WHERE t.embedding IS NOT NULL "
             "RETURN t.id AS id, t.parent_id AS parent_id, t.path AS path, t.heading AS heading, "
             "t.embedding AS v ORDER BY t.start")
DOCS_TASKS = ("UNWIND $docs AS d MATCH (t:Task {doc_id: d}) WHERE t.embedding IS NOT NULL "
              "RETURN t.doc_id AS doc_id, t.id AS id, t.parent_id AS parent_id, t.path AS path, "
              "t.heading AS heading, t.start AS start")
TASK_VECTORS = "UNWIND $ids AS id MATCH (t:Task {id: id}) RETURN t.id AS id, t.embedding AS v"
MARK_PAIRS = ("UNWIND $pairs AS pr MATCH (c:Document {doc_id: pr.c})-[r:IMPLEMENTS]->(p:Document {doc_id: pr.p}) "
              "SET r.aligned_tasks = pr.n")
DROP_PAIR_LINKS = ("UNWIND $pairs AS pr MATCH (t:Task {doc_id: pr.c})-[a:ALIGNS_WITH]->(x:Task) "
                   "WHERE x.doc_id = pr.p WITH collect(a) AS links UNWIND links AS a DELETE a")
PAIR_BATCH = 200
# (lookups by doc_id are written as {doc_id: …} patterns: the embedded engine uses the Task.doc_id index for
# those, and scans for `WHERE t.doc_id = x` against a variable)
OLD_LINKS = ("MATCH (t:Task)-[a:ALIGNS_WITH]->(x:Task) "
             "RETURN t.doc_id AS child, x.doc_id AS parent, count(a) AS n")
DROP_LINKS = ("MATCH (t:Task {doc_id: $c})-[a:ALIGNS_WITH]->(x:Task) WHERE x.doc_id = $p "
              "WITH collect(a) AS links UNWIND links AS a DELETE a")
ADD_LINKS = ("UNWIND $links AS l MATCH (c:Task {id: l.c}) MATCH (p:Task {id: l.p}) "
             "CREATE (c)-[:ALIGNS_WITH {score: l.s, margin: l.m}]->(p)")


def passage_text(heading: str | None, text: str | None) -> str:
    h = (heading or "").strip()
    t = (text or "").strip()
    if t.startswith(h):
        body = t
    else:
        body = f"{h}。{t}" if h else t
    return body[:PASSAGE_CHARS]


def _forget_other_model(store, dims: int) -> None:
    """Vectors of another size in the store were made by another model (e5 before the static index
    model, or another KG_EMBED_MODEL): they cannot be compared with new ones, so all are made again."""
    have = store.schema.vector_dimensions()
    if have not in (None, -1, dims):
        store.drop_embeddings()


def embed_missing(store, batch: int = BATCH, timings: dict | None = None,
                  keep: dict | None = None) -> tuple[int, set[str]]:
    """Embed every task that has no embedding (the index model, embedding.embed_index).
    Returns (count, documents that got new embeddings); `timings` gets read_s / encode_s / write_s;
    `keep` gets task id -> vector (float32 array) for align() to use instead of reading them back."""
    from kg import progressbar

    from . import embedding

    t = timings if timings is not None else {}
    t0 = time.perf_counter()
    _forget_other_model(store, embedding.index_dim())
    rows = store.run(MISSING, {})
    t["read_s"] = time.perf_counter() - t0
    t.setdefault("encode_s", 0.0)
    t.setdefault("write_s", 0.0)
    docs: set[str] = set()
    done = 0
    with progressbar.bar(total=len(rows), desc="embedding", unit="task") as pb:
        for i in range(0, len(rows), batch * 8):
            chunk = rows[i:i + batch * 8]
            t0 = time.perf_counter()
            vecs = embedding.embed_index([passage_text(r.get("heading"), r.get("text")) for r in chunk])
            t1 = time.perf_counter()
            store.set_task_embeddings([(r["id"], v) for r, v in zip(chunk, vecs.tolist())])
            if keep is not None:
                keep.update((r["id"], v) for r, v in zip(chunk, vecs))
            t["encode_s"] += t1 - t0
            t["write_s"] += time.perf_counter() - t1
            done += len(chunk)
            docs.update(r["doc_id"] for r in chunk if r.get("doc_id"))
            pb.update(len(chunk))
    return done, docs


# ---------------------------------------------------------------------------------------------- alignment
def _depth(row: dict) -> int:
    return (row.get("path") or "").count("/")


def _in_subtree(path: str | None, root: str | None) -> bool:
    if not path or not root:
        return False
    return path == root or path.startswith(root + "/")


def align_matrix(child: list[dict], parent: list[dict], S_text, S_head):
    """The decision matrix (see the module docstring) and the raw similarity. Rows: child tasks, in
    document order; `child` rows need id, parent_id, path; `parent` rows need id, path."""
    import numpy as np

    sim = S_text + S_head
    k1 = min(CSLS_K, sim.shape[1])
    k2 = min(CSLS_K, sim.shape[0])
    r_child = np.sort(sim, axis=1)[:, -k1:].mean(axis=1)
    r_parent = np.sort(sim, axis=0)[-k2:, :].mean(axis=0)
    M = 2 * sim - r_child[:, None] - r_parent[None, :]
    cd = np.asarray([_depth(r) for r in child])
    pd = np.asarray([_depth(r) for r in parent])
    M = M + SAME_DEPTH_BONUS * (cd[:, None] == pd[None, :])
    # top-down: an item whose parent item was matched prefers the matched item's subtree
    best_path: dict[str, str] = {}
    ppaths = [r.get("path") for r in parent]
    for i in sorted(range(len(child)), key=lambda i: cd[i]):
        up = child[i].get("parent_id")
        if up in best_path:
            root = best_path[up]
            M[i] += SUBTREE_BONUS * np.asarray([_in_subtree(p, root) for p in ppaths])
        best_path[child[i]["id"]] = ppaths[int(np.argmax(M[i]))]
    return M, sim / 2


def _heading_vectors(rows: list[dict]):
    import numpy as np

    from . import embedding

    texts = [(r.get("heading") or "").strip() or "（无标题）" for r in rows]
    return np.asarray(embedding.embed_index(texts), dtype="float32").reshape(len(rows), -1)


def _unit(rows: list[dict]):
    import numpy as np

    V = np.asarray([r["v"] for r in rows], dtype="float32")
    V /= np.linalg.norm(V, axis=1, keepdims=True) + 1e-9
    return V


def heading_vectors(rows: list[dict]) -> dict[str, object]:
    """Heading vector of every task row, by task id: one model call for the unique headings of many
    documents (align() does this once per batch of pairs instead of twice per pair)."""
    V = _heading_vectors(rows)
    return {r["id"]: v for r, v in zip(rows, V)}


def pair_links(child: list[dict], parent: list[dict], threshold: float | None = None,
               heads: dict | None = None) -> list[dict]:
    """Links from the child document's tasks to the parent document's tasks: [{c, p, s, m}]. Rows as
    DOC_TASKS returns them (id, parent_id, path, heading, v), in text order. `heads`: heading vectors by
    task id (heading_vectors()), else embedded here."""
    import numpy as np

    threshold = ALIGN_THRESHOLD if threshold is None else threshold
    if not child or not parent:
        return []
    S_text = _unit(child) @ _unit(parent).T
    if heads is not None and all(r["id"] in heads for r in child) and all(r["id"] in heads for r in parent):
        S_head = np.stack([heads[r["id"]] for r in child]) @ np.stack([heads[r["id"]] for r in parent]).T
    else:
        S_head = _heading_vectors(child) @ _heading_vectors(parent).T
    M, score = align_matrix(child, parent, S_text, S_head)
    links = []
    for i, r in enumerate(child):
        j = int(np.argmax(M[i]))
        if M[i, j] >= threshold:
            links.append({"c": r["id"], "p": parent[j]["id"], "s": round(float(score[i, j]), 4),
                          "m": round(float(M[i, j]), 4)})
    return links


def align_pair(store, child_doc: str, parent_doc: str, threshold: float | None = None) -> list[dict]:
    """Links for one (child, parent) pair, not written."""
    return pair_links(store.run(DOC_TASKS, {"d": child_doc}), store.run(DOC_TASKS, {"d": parent_doc}), threshold)


def _tasks_of(store, docs: list[str], known: dict | None = None) -> dict[str, list[dict]]:
    """Task rows of `docs` with their vector `v`: from `known` (id -> vector, what embed_missing just made
    in this run) or read from the store. Reading vectors back was 60% of alignment time at 1,000 plans."""
    known = known or {}
    out: dict[str, list[dict]] = {d: [] for d in docs}
    rows = store.run(DOCS_TASKS, {"docs": docs})
    missing = [r["id"] for r in rows if r["id"] not in known]
    for i in range(0, len(missing), 5000):
        for r in store.run(TASK_VECTORS, {"ids": missing[i:i + 5000]}):
            known[r["id"]] = r["v"]
    for r in rows:
        r["v"] = known[r["id"]]
        out.setdefault(r.pop("doc_id"), []).append(r)
    for rows in out.values():
        rows.sort(key=lambda r: (r.get("start") is None, r.get("start") or 0))
    return out


def pairs_to_align(rows: list[dict], new_docs: set[str], full: bool = False) -> list[dict]:
    """The rows of PAIRS whose alignment must be (re)computed."""
    out = []
    for r in rows:
        marks = [m for m in (r.get("marks") or []) if m is not None]
        n = int(r.get("parent_tasks") or 0)
        stale = not marks or any(int(m) != n for m in marks)
        if full or stale or r["child"] in new_docs or r["parent"] in new_docs:
            out.append({"child": r["child"], "parent": r["parent"], "parent_tasks": n})
    return out


def align(store, new_docs: set[str] | None = None, full: bool = False,
          threshold: float | None = None, timings: dict | None = None,
          known: dict | None = None) -> tuple[int, int]:
    """Recompute ALIGNS_WITH for the pairs that need it. Returns (pairs done, links written);
    `timings` gets align_read_s (pairs, tasks and vectors), align_match_s (headings + matrices),
    align_write_s."""
    t = timings if timings is not None else {}
    for k in ("align_read_s", "align_match_s", "align_write_s"):
        t.setdefault(k, 0.0)
    t0 = time.perf_counter()
    rows = store.run(PAIRS, {})
    pairs = pairs_to_align(rows, new_docs or set(), full=full)
    # links to documents a child no longer implements (re-loaded with other parents, parent now a stub)
    implements = {(r["child"], r["parent"]) for r in rows}
    for r in store.run(OLD_LINKS, {}):
        if (r["child"], r["parent"]) not in implements:
            store.write(DROP_LINKS, {"c": r["child"], "p": r["parent"]})
    made = 0
    t["align_read_s"] += time.perf_counter() - t0
    for i in range(0, len(pairs), PAIR_BATCH):
        chunk = pairs[i:i + PAIR_BATCH]
        t0 = time.perf_counter()
        tasks = _tasks_of(store, sorted({p["child"] for p in chunk} | {p["parent"] for p in chunk}), known)
        t1 = time.perf_counter()
        heads = heading_vectors([r for rows_ in tasks.values() for r in rows_])
        links = []
        for pr in chunk:
            links += pair_links(tasks.get(pr["child"], []), tasks.get(pr["parent"], []), threshold, heads)
        t2 = time.perf_counter()
        rows = [{"c": p["child"], "p": p["parent"], "n": p["parent_tasks"]} for p in chunk]
        store.write(DROP_PAIR_LINKS, {"pairs": rows})
        for j in range(0, len(links), 5000):
            store.write(ADD_LINKS, {"links": links[j:j + 5000]})
        store.write(MARK_PAIRS, {"pairs": rows})  # last: a run cut short leaves these pairs unmarked
        made += len(links)
        t["align_read_s"] += t1 - t0
        t["align_match_s"] += t2 - t1
        t["align_write_s"] += time.perf_counter() - t2
    return len(pairs), made


def index_new_tasks(store, full: bool = False) -> dict:
    """Embed the tasks that have no embedding, then align the document pairs that need it."""
    t0 = time.perf_counter()
    timings: dict = {}
    vectors: dict = {}
    n, docs = embed_missing(store, timings=timings, keep=vectors)
    t1 = time.perf_counter()
    pairs, m = align(store, docs, full=full, timings=timings, known=vectors)
    t2 = time.perf_counter()
    if n or pairs:
        from . import linking

        linking.invalidate(store)
    return {"embedded": n, "aligned_pairs": pairs, "aligned": m, "seconds": round(t2 - t0, 2),
            "embed_s": round(t1 - t0, 2), "align_s": round(t2 - t1, 2),
            **{k: round(v, 2) for k, v in timings.items()}}
