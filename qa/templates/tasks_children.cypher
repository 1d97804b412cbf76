// The items directly under given tasks (PART_OF), in text order: a task that names no unit or deadline
// itself is answered from its sub-items.
// The list is UNWOUND into key lookups with the looked-up node first: the embedded engine answers
// `x.key IN $list` with a label scan and starts a pattern at its first node (same rows on Neo4j).
UNWIND $tasks AS tid
WITH DISTINCT tid
MATCH (p:Task {id: tid})<-[:PART_OF]-(ch:Task)
RETURN ch.id AS id, ch.start AS start
ORDER BY start
LIMIT $limit
