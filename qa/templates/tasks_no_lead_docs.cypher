// Tasks of the named documents with no lead unit: those that name other units, and the leaf items that
// name no unit at all (in a plan whose tasks carry roles, a user asking "没写牵头单位" means both).
UNWIND $docs AS did
MATCH (t:Task {doc_id: did})
WHERE size([(t)<-[:LEADS]-(l:Unit) | l.name]) = 0
  AND (size([(t)<-[:RESPONSIBLE_FOR|SUPPORTS]-(u:Unit) | u.name]) > 0 OR NOT EXISTS { MATCH (:Task)-[:PART_OF]->(t) })
RETURN t.id AS task_id, t.number AS number, t.heading AS heading, t.doc_id AS doc_id,
       t.start AS start, t.end AS end, [(t)<-[:RESPONSIBLE_FOR|SUPPORTS]-(u:Unit) | u.name] AS units
ORDER BY doc_id, start
LIMIT $limit
