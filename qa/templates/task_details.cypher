// Tasks by id (semantic retrieval results, open questions) with their units and deadlines.
MATCH (t:Task)
WHERE t.id IN $tasks
OPTIONAL MATCH (u:Unit)-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t)
OPTIONAL MATCH (t)-[:DUE]->(dl:Deadline)
RETURN t.id AS task_id, t.number AS number, t.heading AS heading, t.doc_id AS doc_id,
       t.start AS start, t.end AS end, t.text AS text,
       collect(DISTINCT u.name) AS units, collect(DISTINCT dl.text) AS deadlines
LIMIT $limit
