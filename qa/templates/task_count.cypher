// Every numbered item of the given documents with its place in the hierarchy, for counting
// (task_count picks the numbering level that runs through the whole document).
MATCH (t:Task)
WHERE t.doc_id IN $docs
RETURN t.id AS task_id, t.doc_id AS doc_id, t.number AS number, t.path AS path, t.heading AS heading,
       t.start AS start, t.end AS end
ORDER BY doc_id, start
LIMIT $limit
