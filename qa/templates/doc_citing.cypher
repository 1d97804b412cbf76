// Loaded documents that cite the given documents anywhere in their text (CITES), beside those that
// implement them (IMPLEMENTS): "被哪些文件引用".
// The list is UNWOUND into key lookups with the looked-up node first: the embedded engine answers
// `x.key IN $list` with a label scan and starts a pattern at its first node (same rows on Neo4j).
UNWIND $docs AS did
WITH DISTINCT did
MATCH (d:Document {doc_id: did})<-[:CITES|IMPLEMENTS]-(c:Document)
WHERE c.stub = false
RETURN DISTINCT d.doc_id AS to_doc_id, c.doc_id AS doc_id, c.doc_no AS doc_no, c.title AS title,
       c.issuer AS issuer, c.level AS level, c.date AS date, c.stub AS stub, 1 AS depth
ORDER BY date
LIMIT $limit
