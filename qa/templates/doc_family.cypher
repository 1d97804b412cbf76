// The loaded plans that implement the given documents (their family), up to three levels down.
// The list is UNWOUND into key lookups with the looked-up node first: the embedded engine answers
// `x.key IN $list` with a label scan and starts a pattern at its first node (same rows on Neo4j).
UNWIND $docs AS did
WITH DISTINCT did
MATCH (d:Document {doc_id: did})<-[:IMPLEMENTS*1..3]-(ch:Document)
WHERE ch.stub = false
RETURN DISTINCT ch.doc_id AS id
LIMIT $limit
