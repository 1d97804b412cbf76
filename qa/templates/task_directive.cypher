// The directive a task follows: its document's IMPLEMENTS chain and the aligned parent task.
MATCH (d:Document)-[:HAS_TASK]->(t:Task)
WHERE t.id IN $tasks
OPTIONAL MATCH path = (d)-[:IMPLEMENTS*1..8]->(p:Document)
OPTIONAL MATCH (t)-[a:ALIGNS_WITH]->(pt:Task)
RETURN t.id AS task_id, t.number AS number, t.heading AS heading, t.doc_id AS doc_id,
       t.start AS start, t.end AS end, d.title AS document, d.doc_no AS document_no,
       p.doc_id AS parent_doc_id, p.doc_no AS parent_doc_no, p.title AS parent_title,
       p.stub AS parent_stub, length(path) AS depth,
       pt.id AS aligned_task_id, pt.heading AS aligned_heading, pt.doc_id AS aligned_doc_id,
       pt.start AS aligned_start, pt.end AS aligned_end, a.score AS aligned_score
ORDER BY depth
LIMIT $limit
