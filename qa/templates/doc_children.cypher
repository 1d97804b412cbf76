// Trace down: plans that implement a document, directly or through intermediate plans.
// The list is UNWOUND into key lookups with the looked-up node first: the embedded engine answers
// `x.key IN $list` with a label scan and starts a pattern at its first node (same rows on Neo4j).
UNWIND $docs AS did
WITH DISTINCT did
MATCH path = (d:Document {doc_id: did})<-[:IMPLEMENTS*1..8]-(c:Document)
RETURN d.doc_id AS to_doc_id, c.doc_id AS doc_id, c.doc_no AS doc_no, c.title AS title,
       c.issuer AS issuer, c.level AS level, c.date AS date, c.stub AS stub, length(path) AS depth
ORDER BY depth, date
LIMIT $limit
