// Items after the given ones under the same parent item, in text order. Plans often list the
// 牵头单位/责任单位 lines once after the last sub-item of a numbered item: they then belong to the
// whole item, but the extractor hangs them on that last sub-item.
// The list is UNWOUND into key lookups with the looked-up node first (see tasks_children.cypher).
UNWIND $tasks AS tid
WITH DISTINCT tid
MATCH (t:Task {id: tid})-[:PART_OF]->(p:Task)<-[:PART_OF]-(s:Task)
WHERE s.start > t.start
RETURN DISTINCT s.id AS id, s.start AS start
ORDER BY start
LIMIT $limit
