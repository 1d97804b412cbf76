// Tasks of one or more units, by role ($rels: LEADS / RESPONSIBLE_FOR / SUPPORTS).
// Deadlines by pattern comprehension (see task_details.cypher).
// The list is UNWOUND into key lookups with the looked-up node first: the embedded engine answers
// `x.key IN $list` with a label scan and starts a pattern at its first node (same rows on Neo4j).
UNWIND $units AS un
WITH DISTINCT un
MATCH (u:Unit {name: un})-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)
WHERE type(r) IN $rels
RETURN u.name AS unit, type(r) AS role, t.id AS task_id, t.number AS number, t.path AS path,
       t.heading AS heading, t.doc_id AS doc_id, t.start AS start, t.end AS end,
       r.start AS ev_start, r.end AS ev_end, r.evidence AS ev_text,
       [(t)-[:DUE]->(dl:Deadline) | dl.text] AS deadlines
ORDER BY doc_id, start
LIMIT $limit
