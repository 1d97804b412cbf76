// Documents a task itself cites (按照《…》).
MATCH (t:Task)-[:REFERENCES]->(r:Document)
WHERE t.id IN $tasks
RETURN t.id AS task_id, r.doc_id AS doc_id, r.doc_no AS doc_no, r.title AS title, r.stub AS stub
LIMIT $limit
