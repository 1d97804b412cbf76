// Every numbered item of the given documents with its place in the hierarchy, for counting
// (task_count picks the numbering level that runs through the whole document).
// The list is UNWOUND into key lookups with the looked-up node first: the embedded engine answers
// `x.key IN $list` with a label scan and starts a pattern at its first node (same rows on Neo4j).
UNWIND $docs AS did
WITH DISTINCT did
MATCH (t:Task {doc_id: did})
RETURN t.id AS task_id, t.doc_id AS doc_id, t.number AS number, t.path AS path, t.heading AS heading,
       t.start AS start, t.end AS end
ORDER BY doc_id, start
LIMIT $limit
