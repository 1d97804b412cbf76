// Every time limit of the given documents' tasks, with where it is written (dl_start, dl_end) and its task's
// text: a deadline question is matched to the sentence it is written in.
// The list is UNWOUND into key lookups with the looked-up node first (see task_details.cypher).
UNWIND $docs AS did
WITH DISTINCT did
MATCH (t:Task {doc_id: did})-[:DUE]->(dl:Deadline)
RETURN t.id AS task_id, t.number AS number, t.heading AS heading, t.doc_id AS doc_id,
       t.start AS start, t.end AS end, t.text AS task_text, dl.text AS deadline, dl.date AS date,
       dl.start_date AS start_date, dl.kind AS kind, dl.start AS dl_start, dl.end AS dl_end
ORDER BY start, dl_start
LIMIT $limit
