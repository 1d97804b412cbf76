// Tasks of given units whose deadline date falls in [$start, $end].
// The list is UNWOUND into key lookups with the looked-up node first: the embedded engine answers
// `x.key IN $list` with a label scan and starts a pattern at its first node (same rows on Neo4j).
// $docs: the documents the question is scoped to ([] = the whole library).
UNWIND $units AS un
WITH DISTINCT un
MATCH (u:Unit {name: un})-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)-[:DUE]->(dl:Deadline)
WHERE type(r) IN $rels AND (size($docs) = 0 OR t.doc_id IN $docs)
  AND dl.date IS NOT NULL AND dl.date >= $start AND dl.date <= $end
RETURN t.id AS task_id, t.number AS number, t.heading AS heading, t.doc_id AS doc_id,
       t.start AS start, t.end AS end, dl.text AS deadline, dl.date AS date, dl.kind AS kind, dl.evidence AS passage,
       u.name AS unit, type(r) AS role
ORDER BY date, doc_id, start
LIMIT $limit
