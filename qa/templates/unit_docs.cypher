// The documents in which the given units have tasks, with the number of tasks in each.
// The list is UNWOUND into key lookups with the looked-up node first: the embedded engine answers
// `x.key IN $list` with a label scan and starts a pattern at its first node (same rows on Neo4j).
UNWIND $units AS un
WITH DISTINCT un
MATCH (u:Unit {name: un})-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)
RETURN t.doc_id AS doc_id, count(DISTINCT t) AS tasks
ORDER BY tasks DESC, doc_id
LIMIT $limit
