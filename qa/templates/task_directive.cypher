// The directive a task follows: its document's IMPLEMENTS chain and the aligned parent task(s).
// One row per (task, parent document, aligned task); a missing side gives nulls. Built with pattern
// comprehensions + UNWIND instead of two OPTIONAL MATCHes: same rows on both engines, ~20x faster on
// the embedded engine (see task_details.cypher).
// The list is UNWOUND into key lookups with the looked-up node first: the embedded engine answers
// `x.key IN $list` with a label scan and starts a pattern at its first node (same rows on Neo4j).
UNWIND $tasks AS tid
WITH DISTINCT tid
MATCH (t:Task {id: tid})<-[:HAS_TASK]-(d:Document)
WITH d, t,
     [path = (d)-[:IMPLEMENTS*1..8]->(p:Document) |
        {doc_id: p.doc_id, doc_no: p.doc_no, title: p.title, stub: p.stub, depth: length(path)}] AS parents,
     [(t)-[a:ALIGNS_WITH]->(pt:Task) |
        {id: pt.id, heading: pt.heading, doc_id: pt.doc_id, start: pt.start, end: pt.end, score: a.score}] AS aligned
UNWIND (CASE WHEN size(parents) = 0 THEN [null] ELSE parents END) AS p
UNWIND (CASE WHEN size(aligned) = 0 THEN [null] ELSE aligned END) AS al
RETURN t.id AS task_id, t.number AS number, t.heading AS heading, t.doc_id AS doc_id,
       t.start AS start, t.end AS end, d.title AS document, d.doc_no AS document_no,
       p.doc_id AS parent_doc_id, p.doc_no AS parent_doc_no, p.title AS parent_title,
       p.stub AS parent_stub, p.depth AS depth,
       al.id AS aligned_task_id, al.heading AS aligned_heading, al.doc_id AS aligned_doc_id,
       al.start AS aligned_start, al.end AS aligned_end, al.score AS aligned_score
ORDER BY depth
LIMIT $limit
