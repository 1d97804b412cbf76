// Tasks whose deadline date falls in a period: due_key (date|doc_id, src/kg/store/copies.py) in
// [$start, $until]. $start: the first date ('2019-06-01'); $until: the due_key of the $limit-th row from
// tasks_due_cutoff.cypher, or the period's end as a key bound ('2019-06-30|' + U+FFFF) when fewer rows.
// One bound each side: the embedded engine then reads only that stretch of the index.
// $docs: the documents the question is scoped to ([] = the whole library).
// task_text: the evidence quote's source (kg.qa.context.Ctx.evidence), not an answer column
MATCH (dl:Deadline)<-[:DUE]-(t:Task)
WHERE dl.due_key >= $start AND dl.due_key <= $until
  AND (size($docs) = 0 OR t.doc_id IN $docs)
RETURN t.id AS task_id, t.number AS number, t.heading AS heading, t.doc_id AS doc_id,
       t.start AS start, t.end AS end, dl.text AS deadline, dl.date AS date, dl.kind AS kind, dl.evidence AS passage,
       t.text AS task_text
ORDER BY date, doc_id, start
LIMIT $limit
