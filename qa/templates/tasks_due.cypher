// Tasks whose deadline date falls in a period: due_key (date|doc_id, src/kg/store/copies.py) in
// [$start, $until]. $start: the first date ('2019-06-01'); $until: the due_key of the $limit-th row from
// tasks_due_cutoff.cypher, or the period's end as a key bound ('2019-06-30|' + U+FFFF) when fewer rows.
// One bound each side: the embedded engine then reads only that stretch of the index.
// $docs: the documents the question is scoped to ([] = the whole library).
// One row, the list `rows` (kg.qa.intents.base.rows_of): the embedded engine sends each row as a Bolt message
// of its own, which the driver reads one by one (~15 ms for 200 rows at rest, 30-45 ms on a busy machine).
// The query returns its rows inside CALL {} so that rows with equal sort keys keep the order they had
// (a WITH ... ORDER BY before collect() ordered them otherwise on the embedded engine).
// task_text: the evidence quote's source (kg.qa.context.Ctx.evidence), not an answer column
CALL {
  MATCH (dl:Deadline)<-[:DUE]-(t:Task)
  WHERE dl.due_key >= $start AND dl.due_key <= $until
    AND (size($docs) = 0 OR t.doc_id IN $docs)
  RETURN t.id AS task_id, t.number AS number, t.heading AS heading, t.doc_id AS doc_id,
         t.start AS start, t.end AS end, dl.text AS deadline, dl.date AS date, dl.kind AS kind,
         dl.evidence AS passage, t.text AS task_text
  ORDER BY date, doc_id, start
  LIMIT $limit
}
RETURN collect({task_id: task_id, number: number, heading: heading, doc_id: doc_id, start: start, end: end,
                deadline: deadline, date: date, kind: kind, passage: passage, task_text: task_text}) AS rows
