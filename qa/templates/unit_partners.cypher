// Units that share tasks with the given units, most shared first.
// The list is UNWOUND into key lookups with the looked-up node first: the embedded engine answers
// `x.key IN $list` with a label scan and starts a pattern at its first node (same rows on Neo4j).
// $docs: the documents the question is scoped to ([] = the whole library).
UNWIND $units AS un
WITH DISTINCT un
MATCH (u:Unit {name: un})-[:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)<-[:LEADS|RESPONSIBLE_FOR|SUPPORTS]-(o:Unit)
WHERE NOT o.name IN $units AND (size($docs) = 0 OR t.doc_id IN $docs)
RETURN o.name AS unit, count(DISTINCT t) AS shared_tasks, collect(DISTINCT t.heading) AS tasks
ORDER BY shared_tasks DESC, unit
LIMIT $limit
