// Tasks of the named documents whose text names $text: a body the question asks about that the graph does
// not hold as a unit (prose duties such as 中央财政要…, 地方政府要…). Key lookups per document, as in
// tasks_no_lead_docs.
UNWIND $docs AS did
MATCH (t:Task {doc_id: did})
WHERE t.text CONTAINS $text
RETURN t.id AS task_id, t.number AS number, t.path AS path, t.heading AS heading, t.doc_id AS doc_id,
       t.start AS start, t.end AS end, t.text AS text,
       [(t)<-[:LEADS|RESPONSIBLE_FOR|SUPPORTS]-(u:Unit) | u.name] AS units
ORDER BY doc_id, start
LIMIT $limit
