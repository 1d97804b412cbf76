"""A re-issued plan (same document id, changed text) loses nothing: before the load replaces the
plan's tasks, the old ones are kept aside (text, path, units, status, progress reports); after it,
each new task is matched to an old one (text similarity, numbering path as a tie-breaker), progress
and status move to it, old tasks left without a match keep their history as `DroppedTask`, and the
difference between the versions is kept as a `Revision` of the document.

Runs inside the load transaction (see GraphStore._load_tx); pure matching in `match_tasks`."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .cypher_files import statements

MIN_SIMILARITY = 0.6  # text similarity (0..1) below which an old and a new task are not the same task
PATH_BONUS = 0.05
ROLE_NAMES = {"LEADS": "牵头", "RESPONSIBLE_FOR": "责任", "SUPPORTS": "配合"}


def Q(name: str) -> str:
    return statements("kg.store", "revisions.cypher")[name]


@dataclass
class OldTask:
    id: str
    doc_id: str
    path: str | None
    number: str | None
    heading: str | None
    text: str | None
    status: str | None = None
    status_date: str | None = None
    roles: set = field(default_factory=set)  # {(unit, rel)}
    progress: list = field(default_factory=list)  # Progress ids


def _norm(text: str | None) -> str:
    return "".join((text or "").split())


def similarity(a: str | None, b: str | None) -> float:
    from rapidfuzz import fuzz

    a, b = _norm(a), _norm(b)
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return fuzz.ratio(a, b) / 100.0


def match_tasks(old: list[dict], new: list[dict]) -> list[tuple[str, str, float]]:
    """[(old_id, new_id, similarity)]: one-to-one, best pairs first. Rows need id, path, text."""
    from rapidfuzz import fuzz, process

    if not old or not new:
        return []
    a = [_norm(o.get("text")) for o in old]
    b = [_norm(n.get("text")) for n in new]
    scores = process.cdist(a, b, scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY * 100)  # one C call for all pairs
    pairs = []
    for i, o in enumerate(old):
        for j in scores[i].nonzero()[0]:
            n = new[int(j)]
            s = 1.0 if a[i] == b[j] else float(scores[i][j]) / 100.0
            if not a[i] or not b[j] or s < MIN_SIMILARITY:
                continue
            bonus = PATH_BONUS if o.get("path") == n.get("path") else 0.0
            pairs.append((s + bonus, s, o["id"], n["id"]))
    pairs.sort(key=lambda p: (-p[0], p[2], p[3]))
    used_old, used_new, out = set(), set(), []
    for _, s, oid, nid in pairs:
        if oid in used_old or nid in used_new:
            continue
        used_old.add(oid)
        used_new.add(nid)
        out.append((oid, nid, round(s, 3)))
    return out


def before(run, doc_ids: list[str]) -> dict[str, dict[str, OldTask]]:
    """Keep the old tasks of documents about to be re-loaded; unhook their progress and status."""
    snap: dict[str, dict[str, OldTask]] = {d: {} for d in doc_ids}
    by_id: dict[str, OldTask] = {}
    for r in run(Q("snapshot_tasks"), doc_ids=doc_ids):
        t = OldTask(**{k: r[k] for k in ("id", "doc_id", "path", "number", "heading", "text", "status",
                                          "status_date")})
        snap.setdefault(t.doc_id, {})[t.id] = by_id[t.id] = t
    for r in run(Q("snapshot_roles"), doc_ids=doc_ids):
        if r["id"] in by_id:
            by_id[r["id"]].roles.add((r["unit"], r["rel"]))
    for r in run(Q("snapshot_progress"), doc_ids=doc_ids):
        if r["id"] in by_id:
            by_id[r["id"]].progress.append(r["pid"])
    if any(t.progress for t in by_id.values()):
        run(Q("detach_progress"), doc_ids=doc_ids)
    if any(t.status for t in by_id.values()):
        run(Q("reset_status"), doc_ids=doc_ids)
    return snap


def _brief(t) -> dict:
    g = t.get if isinstance(t, dict) else (lambda k: getattr(t, k))
    return {"id": g("id"), "path": g("path"), "heading": g("heading")}


def after(run, old: dict[str, OldTask], rows) -> dict | None:
    """Move progress and status from the old tasks to the new ones of one re-loaded plan (`rows`: its
    PlanRows); keep the unmatched; record and return the diff (None when nothing changed)."""
    new_roles: dict[str, set] = {}
    for rel, items in rows.roles.items():
        for x in items:
            new_roles.setdefault(x["task"], set()).add((x["unit"], rel))
    pairs = match_tasks([vars(t) for t in old.values()], rows.tasks)
    new_by_id = {t["id"]: t for t in rows.tasks}
    matched_old = {o for o, _, _ in pairs}
    matched_new = {n for _, n, _ in pairs}
    at = datetime.now(timezone.utc).isoformat(timespec="seconds")

    reattach, status, reworded, renumbered, units = [], [], [], [], []
    for oid, nid, sim in sorted(pairs, key=lambda p: new_by_id[p[1]].get("start") or 0):
        o, n = old[oid], new_by_id[nid]
        reattach += [{"pid": pid, "task": nid} for pid in o.progress]
        if o.status:
            status.append({"id": nid, "status": o.status, "status_date": o.status_date})
        if _norm(o.text) != _norm(n["text"]):
            reworded.append({"id": nid, "old_id": oid, "path": n["path"], "old_path": o.path,
                             "heading": n["heading"], "old_text": o.text, "text": n["text"], "similarity": sim})
        if oid != nid:
            renumbered.append({"id": nid, "old_id": oid, "path": n["path"], "old_path": o.path,
                               "heading": n["heading"]})
        was, now = o.roles, new_roles.get(nid, set())
        if was != now:
            fmt = lambda s: sorted(f"{u}（{ROLE_NAMES.get(r, r)}）" for u, r in s)  # noqa: E731
            units.append({"id": nid, "path": n["path"], "heading": n["heading"],
                          "added": fmt(now - was), "removed": fmt(was - now)})
    added = [_brief(t) for t in rows.tasks if t["id"] not in matched_new]
    dropped_tasks = [t for t in old.values() if t.id not in matched_old]
    dropped = [dict(_brief(t), status=t.status, reports=len(t.progress)) for t in dropped_tasks]
    keep = [t for t in dropped_tasks if t.progress or t.status]
    if reattach:
        run(Q("reattach_progress"), rows=reattach)
    if status:
        run(Q("set_status"), rows=status)
    if keep:
        krows = [{"key": f"{t.id}@{at}", "id": t.id, "doc_id": t.doc_id, "path": t.path, "number": t.number,
                  "heading": t.heading, "text": t.text, "status": t.status, "at": at} for t in keep]
        run(Q("keep_dropped"), rows=krows)
        links = [{"pid": pid, "key": f"{t.id}@{at}"} for t in keep for pid in t.progress]
        if links:
            run(Q("reattach_dropped"), rows=links)
    if not (added or dropped or reworded or renumbered or units):
        return None  # the same plan again: nothing to record
    diff = {"doc_id": rows.doc_id, "at": at, "old_tasks": len(old), "new_tasks": len(rows.tasks),
            "added": added, "dropped": dropped, "reworded": reworded, "renumbered": renumbered,
            "units": units, "progress_moved": len(reattach)}
    run(Q("add_revision"), doc_id=rows.doc_id, id=uuid.uuid4().hex, at=at, added=len(added),
        dropped=len(dropped), reworded=len(reworded), renumbered=len(renumbered), units_changed=len(units),
        progress_moved=len(reattach), diff=json.dumps(diff, ensure_ascii=False))
    return {k: (len(v) if isinstance(v, list) else v) for k, v in diff.items() if k not in ("doc_id", "at")}


def revisions(store, doc_id: str, limit: int = 20) -> list[dict]:
    """The recorded diffs of a document, newest first."""
    rows = store.run(Q("revisions"), {"doc_id": doc_id, "limit": int(limit)})
    return [json.loads(r["diff"]) for r in rows if r.get("diff")]
