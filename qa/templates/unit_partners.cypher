// Units that share tasks with the given units, most shared first.
MATCH (u:Unit)-[:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)<-[:LEADS|RESPONSIBLE_FOR|SUPPORTS]-(o:Unit)
WHERE u.name IN $units AND NOT o.name IN $units AND (size($docs) = 0 OR t.doc_id IN $docs)
RETURN o.name AS unit, count(DISTINCT t) AS shared_tasks, collect(DISTINCT t.heading) AS tasks
ORDER BY shared_tasks DESC, unit
LIMIT $limit
