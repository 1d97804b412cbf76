// Graph reads of the API and the UI (health, units, task detail, trace, documents, network, overview),
// named for kg.qa.reads. Parameters only; one set for both engines.

// name: documents_by_id
MATCH (d:Document)
WHERE d.doc_id IN $ids
RETURN d.doc_id AS doc_id, d.doc_no AS doc_no, d.title AS title, d.issuer AS issuer, d.date AS date, d.level AS level, d.region AS region, d.stub AS stub, d.text AS text

// name: units_with_counts
MATCH (u:Unit)
OPTIONAL MATCH (u)-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)
RETURN u.name AS name, u.kind AS kind, u.aliases AS aliases, count(DISTINCT t) AS tasks, sum(CASE WHEN type(r) = 'LEADS' THEN 1 ELSE 0 END) AS leads

// name: unit_by_name
MATCH (u:Unit)
WHERE u.name = $name
RETURN u.name AS name, u.kind AS kind, u.aliases AS aliases LIMIT 1

// name: unit_by_alias
MATCH (u:Unit)
WHERE $name IN u.aliases
RETURN u.name AS name, u.kind AS kind, u.aliases AS aliases LIMIT 1

// name: unit_tasks
MATCH (u:Unit)-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)
WHERE u.name = $name
OPTIONAL MATCH (t)-[:DUE]->(dl:Deadline)
RETURN t.id AS task_id, t.number AS number, t.path AS path, t.heading AS heading, t.doc_id AS doc_id, t.start AS start, t.end AS end, type(r) AS rel, r.start AS ev_start, r.end AS ev_end, collect(DISTINCT dl.text) AS deadlines

// name: task
MATCH (t:Task)
WHERE t.id = $id
RETURN t.id AS id, t.doc_id AS doc_id, t.number AS number, t.path AS path, t.heading AS heading, t.text AS text, t.start AS start, t.end AS end LIMIT 1

// name: task_document
MATCH (d:Document)-[:HAS_TASK]->(t:Task)
WHERE t.id = $id
RETURN d.doc_id AS doc_id

// name: task_units
MATCH (u:Unit)-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)
WHERE t.id = $id
RETURN u.name AS name, type(r) AS rel, r.evidence AS raw, r.start AS start, r.end AS end

// name: task_deadlines
MATCH (t:Task)-[:DUE]->(dl:Deadline)
WHERE t.id = $id
RETURN dl.text AS text, dl.date AS date, dl.kind AS kind

// name: task_targets
MATCH (t:Task)-[:HAS_TARGET]->(x:Target)
WHERE t.id = $id
RETURN x.indicator AS indicator, x.op AS op, x.value AS value, x.unit AS unit, x.year AS year, x.text AS text

// name: task_parent
MATCH (t:Task)-[:PART_OF]->(p:Task)
WHERE t.id = $id
RETURN p.id AS task_id, p.number AS number, p.heading AS heading

// name: task_children
MATCH (c:Task)-[:PART_OF]->(t:Task)
WHERE t.id = $id
RETURN c.id AS task_id, c.number AS number, c.heading AS heading, c.start AS start

// name: aligned_up
MATCH (t:Task)-[a:ALIGNS_WITH]->(p:Task)
WHERE t.id IN $ids
RETURN t.id AS from_task_id, p.id AS task_id, p.number AS number, p.heading AS heading, p.doc_id AS doc_id, p.start AS start, p.end AS end, a.score AS score

// name: documents
MATCH (d:Document)
OPTIONAL MATCH (d)-[:HAS_TASK]->(t:Task)
RETURN d.doc_id AS doc_id, d.doc_no AS doc_no, d.title AS title, d.issuer AS issuer, d.date AS date, d.level AS level, d.region AS region, d.stub AS stub, count(t) AS tasks

// name: document_tasks
MATCH (d:Document)-[:HAS_TASK]->(t:Task)
WHERE d.doc_id = $d
OPTIONAL MATCH (u:Unit)-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t)
RETURN t.id AS task_id, t.number AS number, t.path AS path, t.heading AS heading, t.start AS start, collect(DISTINCT u.name) AS units

// name: document_targets
MATCH (d:Document)-[:HAS_TARGET]->(x:Target)
WHERE d.doc_id = $d
RETURN x.indicator AS indicator, x.op AS op, x.value AS value, x.unit AS unit, x.year AS year, x.text AS text

// name: graph_unit_in_document
MATCH (u:Unit)-[:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)
WHERE u.name = $name AND t.doc_id = $d
RETURN DISTINCT t.id AS id

// name: graph_unit
MATCH (u:Unit)-[:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)
WHERE u.name = $name
RETURN DISTINCT t.id AS id

// name: graph_document
MATCH (d:Document)-[:HAS_TASK]->(t:Task)<-[:LEADS|RESPONSIBLE_FOR|SUPPORTS]-(u:Unit)
WHERE d.doc_id = $d
RETURN DISTINCT t.id AS id

// name: busiest_units_ranked
// the head of the unit-workload ranking kept at load time (src/kg/store/ranking.py) for all three roles
// (mask 7: distinct tasks with any role), in the order count desc, name; no rows when there is none
MATCH (k:Ranking)
WHERE k.name = 'unit_workload' AND k.mask = 7
RETURN [i IN range(0, size(k.names) - 1) | {name: k.names[i], n: k.tasks[i]}][0..$k] AS rows

// name: dated_task_from
// one task with a dated deadline: the first due on or after $from (by the due_key index: date|doc_id)
MATCH (dl:Deadline)<-[:DUE]-(t:Task)
WHERE dl.due_key >= $from
RETURN t.heading AS heading, dl.date AS date
ORDER BY dl.due_key
LIMIT 1

// name: graph_busiest_units
// counts every role edge of every unit: only for a store without the ranking (busiest_units_ranked)
MATCH (u:Unit)-[:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)
RETURN u.name AS name, count(DISTINCT t) AS n
ORDER BY n DESC, name LIMIT $k

// name: graph_units_tasks
MATCH (u:Unit)-[:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)
WHERE u.name IN $names
RETURN DISTINCT t.id AS id

// name: graph_roles
MATCH (u:Unit)-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)
WHERE t.id IN $ids
RETURN u.name AS unit, u.kind AS kind, type(r) AS rel, r.evidence AS raw, t.id AS task_id, t.number AS number, t.heading AS heading, t.doc_id AS doc_id

// name: graph_deadlines
MATCH (t:Task)-[:DUE]->(dl:Deadline)
WHERE t.id IN $ids
RETURN t.id AS task_id, dl.text AS text

// name: deadlines
MATCH (t:Task)-[:DUE]->(dl:Deadline)
WHERE dl.date IS NOT NULL
RETURN t.id AS task_id, t.number AS number, t.heading AS heading, t.doc_id AS doc_id, dl.text AS deadline, dl.date AS date, dl.kind AS kind

// name: doc_parents_of
MATCH (c:Document)-[:IMPLEMENTS]->(p:Document)
WHERE c.doc_id IN $ids
RETURN c.doc_id AS from_id, p.doc_id AS doc_id

// name: doc_children_of
MATCH (c:Document)-[:IMPLEMENTS]->(p:Document)
WHERE p.doc_id IN $ids
RETURN p.doc_id AS from_id, c.doc_id AS doc_id

// name: task_by_id
MATCH (t:Task)
WHERE t.id = $q
RETURN t.id AS id, t.number AS number, t.heading AS heading

// name: tasks_containing
MATCH (t:Task)
WHERE t.heading CONTAINS $q OR t.text CONTAINS $q
RETURN t.id AS id, t.number AS number, t.heading AS heading, t.doc_id AS doc_id, t.start AS start
LIMIT 200

// name: tasks_aligned
MATCH (t:Task)-[:ALIGNS_WITH]->(p:Task)
WHERE t.id IN $ids
RETURN DISTINCT t.id AS id

// name: document_exists
MATCH (d:Document {doc_id: $d})
RETURN d.doc_id AS doc_id
