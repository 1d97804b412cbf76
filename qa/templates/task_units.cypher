// Units named on given tasks, by role: who leads / who is responsible / who supports.
MATCH (u:Unit)-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)
WHERE t.id IN $tasks AND type(r) IN $rels
RETURN t.id AS task_id, t.number AS number, t.heading AS heading, t.doc_id AS doc_id,
       t.start AS start, t.end AS end, u.name AS unit, type(r) AS role,
       r.start AS ev_start, r.end AS ev_end, r.evidence AS ev_text
ORDER BY doc_id, start, role
LIMIT $limit
