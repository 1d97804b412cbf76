// Tasks by id (semantic retrieval results, open questions) with their units and deadlines.
// Pattern comprehensions, not OPTIONAL MATCH: same rows on both engines, and the embedded engine
// (ArcadeDB) runs an OPTIONAL MATCH after a multi-row MATCH ~30x slower (measured on 30k tasks).
// The lists may repeat a unit named twice on one task; the answer code de-duplicates.
// The list is UNWOUND into key lookups with the looked-up node first: the embedded engine answers
// `x.key IN $list` with a label scan and starts a pattern at its first node (same rows on Neo4j).
UNWIND $tasks AS tid
WITH DISTINCT tid
MATCH (t:Task {id: tid})
RETURN t.id AS task_id, t.number AS number, t.heading AS heading, t.doc_id AS doc_id,
       t.start AS start, t.end AS end, t.text AS text,
       [(t)<-[:LEADS|RESPONSIBLE_FOR|SUPPORTS]-(u:Unit) | u.name] AS units,
       [(t)-[:DUE]->(dl:Deadline) | dl.text] AS deadlines
LIMIT $limit
