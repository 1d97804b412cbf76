// Tasks that name responsible/supporting units but no lead unit.
MATCH (u:Unit)-[:RESPONSIBLE_FOR|SUPPORTS]->(t:Task)
OPTIONAL MATCH (l:Unit)-[:LEADS]->(t)
WITH t, count(DISTINCT l) AS leads, collect(DISTINCT u.name) AS units
WHERE leads = 0
RETURN t.id AS task_id, t.number AS number, t.heading AS heading, t.doc_id AS doc_id,
       t.start AS start, t.end AS end, units
ORDER BY doc_id, start
LIMIT $limit
