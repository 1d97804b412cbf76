// Time limits with no single date of the tasks of the named documents, of the kinds asked ($kinds):
// recurring ones (每年1月底前, 每季度) and open-ended starts (从2019年开始, 自2024年起每年). A period question
// (每年1月底前要做什么, 从2019年开始要启动什么) matches them by their text (kg.qa.intents.time).
UNWIND $docs AS did
MATCH (t:Task {doc_id: did})-[:DUE]->(dl:Deadline)
WHERE dl.kind IN $kinds
RETURN t.id AS task_id, t.number AS number, t.heading AS heading, t.doc_id AS doc_id,
       t.start AS start, t.end AS end, dl.text AS deadline, dl.date AS date, dl.kind AS kind, dl.evidence AS passage
ORDER BY doc_id, start
LIMIT $limit
