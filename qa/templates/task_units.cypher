// Units named on given tasks, by role: who leads / who is responsible / who supports.
// The list is UNWOUND into key lookups with the looked-up node first: the embedded engine answers
// `x.key IN $list` with a label scan and starts a pattern at its first node (same rows on Neo4j).
UNWIND $tasks AS tid
WITH DISTINCT tid
MATCH (t:Task {id: tid})<-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]-(u:Unit)
WHERE type(r) IN $rels
RETURN t.id AS task_id, t.number AS number, t.heading AS heading, t.doc_id AS doc_id,
       t.start AS start, t.end AS end, u.name AS unit, type(r) AS role,
       r.start AS ev_start, r.end AS ev_end, r.evidence AS ev_text
ORDER BY doc_id, start, role
LIMIT $limit
