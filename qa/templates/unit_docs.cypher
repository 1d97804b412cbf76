// The documents in which the given units have tasks, with the number of tasks in each.
MATCH (u:Unit)-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)
WHERE u.name IN $units
RETURN t.doc_id AS doc_id, count(DISTINCT t) AS tasks
ORDER BY tasks DESC, doc_id
LIMIT $limit
