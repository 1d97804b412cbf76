// tasks_due.cypher's rows as one row, the list `rows` (kg.qa.intents.base.listed_rows): the embedded engine
// sends each row as a Bolt message of its own, which the driver reads one by one (200 rows: 20-25 ms at
// 10,000 plans, one list ~8 ms). Same match, same sort key, same columns. Asked for $limit + 1 rows: when
// two of them share the sort key, the engine's order among them (which a sort before collect() does not
// keep) decides the answer, and tasks_due.cypher itself is asked. The rows are sorted as maps, after their
// columns are read: sorting the matched nodes by their properties (ORDER BY dl.date, t.doc_id, t.start) read
// the properties again at each comparison on the embedded engine, ~4 ms of ~11 for 200 rows at 10,000 plans.
MATCH (dl:Deadline)<-[:DUE]-(t:Task)
WHERE dl.due_key >= $start AND dl.due_key <= $until
  AND (size($docs) = 0 OR t.doc_id IN $docs)
WITH {task_id: t.id, number: t.number, heading: t.heading, doc_id: t.doc_id,
      start: t.start, end: t.end, deadline: dl.text, date: dl.date, kind: dl.kind, passage: dl.evidence,
      task_text: t.text} AS r
ORDER BY r.date, r.doc_id, r.start
LIMIT $limit
RETURN collect(r) AS rows
