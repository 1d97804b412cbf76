// Tasks of one or more units inside given documents, by role ($rels: LEADS / RESPONSIBLE_FOR / SUPPORTS).
MATCH (u:Unit)-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)
WHERE u.name IN $units AND type(r) IN $rels AND t.doc_id IN $docs
RETURN u.name AS unit, type(r) AS role, t.id AS task_id, t.number AS number, t.path AS path,
       t.heading AS heading, t.doc_id AS doc_id, t.start AS start, t.end AS end,
       r.start AS ev_start, r.end AS ev_end, r.evidence AS ev_text,
       [(t)-[:DUE]->(dl:Deadline) | dl.text] AS deadlines
ORDER BY doc_id, start
LIMIT $limit
