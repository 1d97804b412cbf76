// The items directly above given tasks (PART_OF): a sub-item with no unit or deadline of its own is
// answered from the item it belongs to.
// The list is UNWOUND into key lookups with the looked-up node first (see tasks_children.cypher).
UNWIND $tasks AS tid
WITH DISTINCT tid
MATCH (ch:Task {id: tid})-[:PART_OF]->(p:Task)
RETURN p.id AS id
LIMIT $limit
