// Task status and progress reports (kg/supervision/progress.py). Parameters only.

// name: task_scope
MATCH (t:Task {id: $id})
OPTIONAL MATCH (u:Unit)-[:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t)
RETURN t.id AS id, t.doc_id AS doc_id, t.status AS status, collect(u.name) AS units,
       collect(u.aliases) AS aliases

// name: add_progress
MATCH (t:Task {id: $task_id})
CREATE (p:Progress {id: $id, task_id: $task_id, doc_id: t.doc_id, date: $date, status: $status, note: $note,
                    unit: $unit, user: $user, recorded_at: $recorded_at, source: $source})-[:ON]->(t)
RETURN p

// name: refresh_status
// the task's status is its latest report's (by report date, then time recorded)
MATCH (p:Progress)-[:ON]->(t:Task {id: $task_id})
WITH t, p ORDER BY p.date DESC, p.recorded_at DESC
WITH t, collect(p)[0] AS last
SET t.status = last.status, t.status_date = last.date
RETURN t.status AS status

// name: progress_of_task
MATCH (p:Progress)-[:ON]->(t:Task {id: $task_id})
RETURN p.id AS id, p.task_id AS task_id, p.date AS date, p.status AS status, p.note AS note, p.unit AS unit,
       p.user AS user, p.recorded_at AS recorded_at, p.source AS source
ORDER BY date DESC, recorded_at DESC

// name: tasks_of_doc
MATCH (d:Document {doc_id: $doc_id})-[:HAS_TASK]->(t:Task)
RETURN t.id AS id ORDER BY t.start

// name: tasks_of_unit
MATCH (u:Unit)-[:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)
WHERE u.name = $unit OR $unit IN u.aliases
RETURN DISTINCT t.id AS id, t.doc_id AS doc_id, t.start AS start ORDER BY doc_id, start

// name: tasks_all
MATCH (t:Task)
RETURN t.id AS id, t.doc_id AS doc_id, t.start AS start ORDER BY doc_id, start

// name: tasks_overdue
MATCH (t:Task)-[:DUE]->(dl:Deadline)
WHERE dl.date IS NOT NULL AND dl.date < $asof AND dl.kind IN ['by', 'range']
  AND (t.status IS NULL OR t.status <> '已完成')
RETURN DISTINCT t.id AS id, t.doc_id AS doc_id, t.start AS start ORDER BY doc_id, start

// name: ledger_tasks
UNWIND $ids AS id
MATCH (t:Task {id: id})
OPTIONAL MATCH (d:Document {doc_id: t.doc_id})
RETURN t.id AS id, t.doc_id AS doc_id, t.number AS number, t.path AS path, t.heading AS heading,
       t.text AS text, t.start AS start, t.end AS end, t.status AS status, d.doc_no AS doc_no, d.title AS title

// name: ledger_roles
UNWIND $ids AS id
MATCH (u:Unit)-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task {id: id})
RETURN t.id AS id, u.name AS unit, type(r) AS rel

// name: ledger_deadlines
UNWIND $ids AS id
MATCH (t:Task {id: id})-[:DUE]->(dl:Deadline)
RETURN t.id AS id, dl.text AS text, dl.date AS date, dl.kind AS kind

// name: ledger_progress
UNWIND $ids AS id
MATCH (p:Progress)-[:ON]->(t:Task {id: id})
RETURN t.id AS id, p.date AS date, p.status AS status, p.note AS note, p.unit AS unit,
       p.recorded_at AS recorded_at

// name: doc_text
MATCH (d:Document {doc_id: $doc_id})
RETURN d.text AS text

// name: completion_by_doc
MATCH (d:Document)-[:HAS_TASK]->(t:Task)
WHERE d.stub = false
RETURN d.doc_id AS key, d.title AS title, count(t) AS tasks,
       sum(CASE WHEN t.status = '已完成' THEN 1 ELSE 0 END) AS done,
       sum(CASE WHEN t.status IS NULL THEN 0 ELSE 1 END) AS reported
ORDER BY key

// name: completion_by_unit
MATCH (u:Unit)-[:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)
WITH u, collect(DISTINCT t) AS ts
UNWIND ts AS t
RETURN u.name AS key, u.name AS title, count(t) AS tasks,
       sum(CASE WHEN t.status = '已完成' THEN 1 ELSE 0 END) AS done,
       sum(CASE WHEN t.status IS NULL THEN 0 ELSE 1 END) AS reported
ORDER BY tasks DESC, key
