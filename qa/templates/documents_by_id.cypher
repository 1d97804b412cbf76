// Documents by id with their text (quotes and citation spans are cut from it in Python).
// The list is UNWOUND into key lookups with the looked-up node first (see tasks_children.cypher).
UNWIND $docs AS did
WITH DISTINCT did
MATCH (d:Document {doc_id: did})
RETURN d.doc_id AS doc_id, d.doc_no AS doc_no, d.title AS title, d.issuer AS issuer, d.date AS date,
       d.stub AS stub, d.text AS text
LIMIT $limit
