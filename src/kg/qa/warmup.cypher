// Reads of the warm-up at server start (kg.qa.warmup). Parameters only; both engines.

// name: sample
// one unit, one of its tasks and that task's document: real keys for the templates' harmless parameters
MATCH (u:Unit)-[:LEADS]->(t:Task)
RETURN u.name AS unit, t.id AS task, t.doc_id AS doc
LIMIT 1
