// Loaded documents that cite the given documents anywhere in their text (CITES), beside those that
// implement them (IMPLEMENTS): "被哪些文件引用".
MATCH (c:Document)-[:CITES|IMPLEMENTS]->(d:Document)
WHERE d.doc_id IN $docs AND c.stub = false
RETURN DISTINCT d.doc_id AS to_doc_id, c.doc_id AS doc_id, c.doc_no AS doc_no, c.title AS title,
       c.issuer AS issuer, c.level AS level, c.date AS date, c.stub AS stub, 1 AS depth
ORDER BY date
LIMIT $limit
