// Overdue tasks (deadline before $asof) of given units.
MATCH (u:Unit)-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)-[:DUE]->(dl:Deadline)
WHERE u.name IN $units AND type(r) IN $rels AND (size($docs) = 0 OR t.doc_id IN $docs)
  AND dl.date IS NOT NULL AND dl.date < $asof AND dl.kind IN ['by', 'range']
  AND (t.status IS NULL OR t.status <> '已完成')
RETURN t.id AS task_id, t.number AS number, t.heading AS heading, t.doc_id AS doc_id,
       t.start AS start, t.end AS end, dl.text AS deadline, dl.date AS date, dl.kind AS kind,
       u.name AS unit, type(r) AS role
ORDER BY date, doc_id, start
LIMIT $limit
