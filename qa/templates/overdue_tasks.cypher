// Tasks whose (end) deadline is before the as-of date and that are not 已完成 by their latest progress report.
// $docs: the documents the question is scoped to ([] = the whole library).
// $until: the due_key (date|doc_id, src/kg/store/copies.py) of the $limit-th row from
// overdue_tasks_cutoff.cypher, or the as-of date itself when there are fewer rows (`due_key <= '2020-03-01'`
// is `date < '2020-03-01'`: a bare date sorts before every key of its day). One range, both ends bound
// (`> ''` below): with two upper bounds (as of, until) the embedded engine scanned every deadline before
// the as-of date, ~150 ms at 10,000 plans, and with an upper bound alone it scans too (see
// overdue_tasks_cutoff.cypher). With the document in the key, a year-end date shared by a thousand
// deadlines is not read whole either.
// task_text: the evidence quote's source (kg.qa.context.Ctx.evidence), not an answer column
MATCH (dl:Deadline)<-[:DUE]-(t:Task)
WHERE dl.due_key > '' AND dl.due_key <= $until AND dl.kind IN ['by', 'range']
  AND (t.status IS NULL OR t.status <> '已完成')
  AND (size($docs) = 0 OR t.doc_id IN $docs)
RETURN t.id AS task_id, t.number AS number, t.heading AS heading, t.doc_id AS doc_id,
       t.start AS start, t.end AS end, dl.text AS deadline, dl.date AS date, dl.kind AS kind,
       t.text AS task_text
ORDER BY date, doc_id, start
LIMIT $limit
