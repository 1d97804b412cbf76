// The loaded plans that implement the given documents (their family), up to three levels down.
MATCH (ch:Document)-[:IMPLEMENTS*1..3]->(d:Document)
WHERE d.doc_id IN $docs AND ch.stub = false
RETURN DISTINCT ch.doc_id AS id
LIMIT $limit
