// Deadlines of given tasks.
// quote_source: the task's text, its evidence quote's source (kg.qa.context.Ctx.evidence: no document text
// read for it), not an answer column
// The list is UNWOUND into key lookups with the looked-up node first: the embedded engine answers
// `x.key IN $list` with a label scan and starts a pattern at its first node (same rows on Neo4j).
UNWIND $tasks AS tid
WITH DISTINCT tid
MATCH (t:Task {id: tid})-[:DUE]->(dl:Deadline)
RETURN t.id AS task_id, t.number AS number, t.heading AS heading, t.doc_id AS doc_id,
       t.start AS start, t.end AS end, dl.text AS deadline, dl.date AS date,
       dl.start_date AS start_date, dl.kind AS kind,
       dl.start AS dl_start, dl.end AS dl_end, t.text AS quote_source
ORDER BY doc_id, start, date
LIMIT $limit
