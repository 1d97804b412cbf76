// Tasks whose deadline date falls in [$start, $end] (ISO strings).
// $docs: the documents the question is scoped to ([] = the whole library).
MATCH (dl:Deadline)<-[:DUE]-(t:Task)
WHERE dl.date IS NOT NULL AND dl.date >= $start AND dl.date <= $end
  AND (size($docs) = 0 OR t.doc_id IN $docs)
RETURN t.id AS task_id, t.number AS number, t.heading AS heading, t.doc_id AS doc_id,
       t.start AS start, t.end AS end, dl.text AS deadline, dl.date AS date, dl.kind AS kind, dl.evidence AS passage
ORDER BY date, doc_id, start
LIMIT $limit
