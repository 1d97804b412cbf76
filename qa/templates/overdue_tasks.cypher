// Tasks whose (end) deadline is before $asof and that are not 已完成 by their latest progress report.
// $docs: the documents the question is scoped to ([] = the whole library).
// $until: no deadline after this date (null: no bound): the date of the $limit-th row, from
// overdue_tasks_cutoff.cypher. Sorting every overdue row of a big graph (its Chinese ids too) took ~1.5 s;
// the cutoff sorts dates only, and this query then sorts the few rows up to it. Same rows either way.
MATCH (dl:Deadline)<-[:DUE]-(t:Task)
WHERE dl.date IS NOT NULL AND dl.date < $asof AND dl.kind IN ['by', 'range']
  AND ($until IS NULL OR dl.date <= $until)
  AND (t.status IS NULL OR t.status <> '已完成')
  AND (size($docs) = 0 OR t.doc_id IN $docs)
RETURN t.id AS task_id, t.number AS number, t.heading AS heading, t.doc_id AS doc_id,
       t.start AS start, t.end AS end, dl.text AS deadline, dl.date AS date, dl.kind AS kind
ORDER BY date, doc_id, start
LIMIT $limit
