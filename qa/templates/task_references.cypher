// Documents a task itself cites (按照《…》).
// The list is UNWOUND into key lookups with the looked-up node first: the embedded engine answers
// `x.key IN $list` with a label scan and starts a pattern at its first node (same rows on Neo4j).
UNWIND $tasks AS tid
WITH DISTINCT tid
MATCH (t:Task {id: tid})-[:REFERENCES]->(r:Document)
RETURN t.id AS task_id, r.doc_id AS doc_id, r.doc_no AS doc_no, r.title AS title, r.stub AS stub
LIMIT $limit
