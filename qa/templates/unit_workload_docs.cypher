// Units ranked by workload within given documents.
// The list is UNWOUND into key lookups with the looked-up node first: the embedded engine answers
// `x.key IN $list` with a label scan and starts a pattern at its first node (same rows on Neo4j).
UNWIND $docs AS did
WITH DISTINCT did
MATCH (t:Task {doc_id: did})<-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]-(u:Unit)
WHERE type(r) IN $rels
RETURN u.name AS unit, count(DISTINCT t) AS tasks,
       sum(CASE WHEN type(r) = 'LEADS' THEN 1 ELSE 0 END) AS leads
ORDER BY tasks DESC, unit
LIMIT $limit
