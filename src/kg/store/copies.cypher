// Values copied at load time for the question templates (kg.store.copies), filled in on a store loaded
// before they were kept. Parameters only; both engines.

// name: deadlines_missing
MATCH (x:Deadline)
WHERE x.date IS NOT NULL AND x.due_key IS NULL
RETURN count(x) AS n

// name: deadlines_fill
// in slices: one transaction for every deadline of a big store is heavy on the embedded engine
MATCH (x:Deadline)
WHERE x.date IS NOT NULL AND x.due_key IS NULL
WITH x LIMIT $batch
SET x.due_key = x.date + $sep + x.doc_id
RETURN count(x) AS n

// name: targets_missing
MATCH (x:Target)
WHERE x.task_id IS NULL AND NOT x.id STARTS WITH x.doc_id + '#target'
RETURN count(x) AS n

// name: targets_fill
MATCH (x:Target)
WHERE x.task_id IS NULL AND NOT x.id STARTS WITH x.doc_id + '#target'
WITH x LIMIT $batch
MATCH (t:Task)-[:HAS_TARGET]->(x)
SET x.task_id = t.id, x.heading = t.heading
RETURN count(x) AS n
