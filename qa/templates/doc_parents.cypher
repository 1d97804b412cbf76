// Trace up: the documents a document implements, as many levels as are loaded.
MATCH path = (d:Document)-[:IMPLEMENTS*1..8]->(p:Document)
WHERE d.doc_id IN $docs
RETURN d.doc_id AS from_doc_id, p.doc_id AS doc_id, p.doc_no AS doc_no, p.title AS title,
       p.issuer AS issuer, p.level AS level, p.stub AS stub, length(path) AS depth
ORDER BY depth, doc_no
LIMIT $limit
