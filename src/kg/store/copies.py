"""Values copied onto nodes at load time so the question templates read one node, in index order, where
they would otherwise sort or expand thousands (the embedded engine reads each whole record it touches).

`Deadline.due_key = date + "|" + doc_id` (e.g. "2019-06-30|no:送管发〔2019〕18号"): the date is ISO (10
characters), so the keys sort as (date, doc_id) and a bare date sorts before every key of its day
(`due_key < "2019-07-01"` is `date < "2019-07-01"`). "What is due in June" / "what is overdue" find the
first rows of their order (date, document, task offset) by walking this index
(qa/templates/tasks_due_cutoff.cypher); a year-end date alone holds a thousand deadlines of a
10,000-plan graph, the document in the key keeps the cutoff to a handful of rows.

`Target.task_id`, `Target.heading`: the id and heading of the task that states the target (none for a
document's own targets), so targets.cypher does not expand to the owner (~40 ms for 200 targets).

Both are written with their node by the load (plan_rows.py, cypher.DEADLINES / TASK_TARGETS; a re-load
writes a plan's deadlines and targets again, after its tasks); a store loaded before is filled in when
first opened by this version, which it tells by having no workload ranking yet (ranking.ensure): looking
for a missing copy at every open scans every deadline and target. A store written by an older version
after this one opened it is neither recounted nor filled in (the same holds for the ranking).
"""
from __future__ import annotations

from .cypher_files import statements

SEP = "|"
BATCH = 20000


def due_key(date: str | None, doc_id: str) -> str | None:
    return f"{date}{SEP}{doc_id}" if date else None


def through(date: str) -> str:
    """The key bound after every key of `date`'s day (doc ids hold no U+FFFF): `due_key <= through(d)`."""
    return f"{date}{SEP}\uffff"


def _q(name: str) -> str:
    return statements("kg.store", "copies.cypher")[name]


def ensure(store) -> None:
    """Fill the copies in where a node has none (a store from before)."""
    for what in ("deadlines", "targets"):
        rows = store.run(_q(f"{what}_missing"), {})
        if rows and int(rows[0]["n"] or 0):
            while store.write_many([(_q(f"{what}_fill"), {"batch": BATCH, "sep": SEP})])[0][0]["n"]:
                pass
