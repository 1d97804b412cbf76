// Tasks of given units not 已完成 by their latest progress report (see open_tasks.cypher).
MATCH (u:Unit)-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)
WHERE u.name IN $units AND type(r) IN $rels
  AND (t.status IS NULL OR t.status <> '已完成')
  AND ($no_progress = false OR t.status IS NULL)
  AND ($asof IS NULL OR EXISTS { MATCH (t)-[:DUE]->(dl:Deadline)
                                 WHERE dl.date IS NOT NULL AND dl.date < $asof AND dl.kind IN ['by', 'range'] })
RETURN u.name AS unit, type(r) AS role, t.id AS task_id, t.number AS number, t.path AS path,
       t.heading AS heading, t.doc_id AS doc_id, t.start AS start, t.end AS end, t.status AS status,
       [(t)-[:DUE]->(dl:Deadline) | dl.text] AS deadlines
ORDER BY doc_id, start
LIMIT $limit
