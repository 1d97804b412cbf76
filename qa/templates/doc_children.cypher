// Trace down: plans that implement a document, directly or through intermediate plans.
MATCH path = (c:Document)-[:IMPLEMENTS*1..8]->(d:Document)
WHERE d.doc_id IN $docs
RETURN d.doc_id AS to_doc_id, c.doc_id AS doc_id, c.doc_no AS doc_no, c.title AS title,
       c.issuer AS issuer, c.level AS level, c.date AS date, c.stub AS stub, length(path) AS depth
ORDER BY depth, date
LIMIT $limit
