// Trace up: the documents a document implements, as many levels as are loaded.
// The list is UNWOUND into key lookups with the looked-up node first: the embedded engine answers
// `x.key IN $list` with a label scan and starts a pattern at its first node (same rows on Neo4j).
UNWIND $docs AS did
WITH DISTINCT did
MATCH path = (d:Document {doc_id: did})-[:IMPLEMENTS*1..8]->(p:Document)
RETURN d.doc_id AS from_doc_id, p.doc_id AS doc_id, p.doc_no AS doc_no, p.title AS title,
       p.issuer AS issuer, p.level AS level, p.stub AS stub, length(path) AS depth
ORDER BY depth, doc_no
LIMIT $limit
