// Loaded documents whose text quotes a title that is not in the graph as a document of its own.
MATCH (c:Document)
WHERE c.stub = false AND (c.text CONTAINS $title OR c.text CONTAINS $title2)
RETURN c.doc_id AS doc_id, c.doc_no AS doc_no, c.title AS title, c.issuer AS issuer, c.level AS level,
       c.date AS date, c.stub AS stub, 1 AS depth
ORDER BY date
LIMIT $limit
