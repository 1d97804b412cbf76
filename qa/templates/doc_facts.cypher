// Facts about documents: issuer, date, 文号, level, region.
// The list is UNWOUND into key lookups with the looked-up node first: the embedded engine answers
// `x.key IN $list` with a label scan and starts a pattern at its first node (same rows on Neo4j).
UNWIND $docs AS did
WITH DISTINCT did
MATCH (d:Document {doc_id: did})
RETURN d.doc_id AS doc_id, d.doc_no AS doc_no, d.title AS title, d.issuer AS issuer,
       d.date AS date, d.level AS level, d.region AS region, d.stub AS stub
LIMIT $limit
