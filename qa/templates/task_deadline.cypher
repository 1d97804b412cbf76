// Deadlines of given tasks.
MATCH (t:Task)-[:DUE]->(dl:Deadline)
WHERE t.id IN $tasks
RETURN t.id AS task_id, t.number AS number, t.heading AS heading, t.doc_id AS doc_id,
       t.start AS start, t.end AS end, dl.text AS deadline, dl.date AS date,
       dl.start_date AS start_date, dl.kind AS kind
ORDER BY doc_id, start, date
LIMIT $limit
