// Facts about documents: issuer, date, 文号, level, region.
MATCH (d:Document)
WHERE d.doc_id IN $docs
RETURN d.doc_id AS doc_id, d.doc_no AS doc_no, d.title AS title, d.issuer AS issuer,
       d.date AS date, d.level AS level, d.region AS region, d.stub AS stub
LIMIT $limit
