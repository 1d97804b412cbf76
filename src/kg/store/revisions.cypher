// Re-issued plans: what the store keeps of a plan's old tasks while it loads the new version, and how
// progress follows the tasks. Run inside the load transaction (kg/store/revisions.py).

// name: snapshot_tasks
UNWIND $doc_ids AS did
MATCH (t:Task {doc_id: did})
RETURN t.id AS id, t.doc_id AS doc_id, t.path AS path, t.number AS number, t.heading AS heading,
       t.text AS text, t.status AS status, t.status_date AS status_date

// name: snapshot_roles
// written from the task's side: ArcadeDB plans the pattern from its first node, and from (u:Unit) that
// is a scan of every unit and role edge (7 s per re-loaded plan on 10,000 plans)
UNWIND $doc_ids AS did
MATCH (t:Task {doc_id: did})<-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]-(u:Unit)
RETURN t.id AS id, u.name AS unit, type(r) AS rel

// name: snapshot_progress
UNWIND $doc_ids AS did
MATCH (t:Task {doc_id: did})<-[:ON]-(p:Progress)
RETURN t.id AS id, p.id AS pid

// name: detach_progress
UNWIND $doc_ids AS did
MATCH (t:Task {doc_id: did})<-[r:ON]-(p:Progress)
WITH collect(r) AS rs UNWIND rs AS r DELETE r

// name: reset_status
UNWIND $doc_ids AS did
MATCH (t:Task {doc_id: did}) WHERE t.status IS NOT NULL
SET t.status = null, t.status_date = null

// name: reattach_progress
UNWIND $rows AS r
MATCH (p:Progress {id: r.pid}) MATCH (t:Task {id: r.task})
SET p.task_id = r.task
CREATE (p)-[:ON]->(t)

// name: set_status
UNWIND $rows AS r
MATCH (t:Task {id: r.id})
SET t.status = r.status, t.status_date = r.status_date

// name: keep_dropped
UNWIND $rows AS r
MATCH (d:Document {doc_id: r.doc_id})
CREATE (d)-[:DROPPED]->(x:DroppedTask {key: r.key, id: r.id, doc_id: r.doc_id, path: r.path, number: r.number,
        heading: r.heading, text: r.text, status: r.status, dropped_at: r.at})

// name: reattach_dropped
UNWIND $rows AS r
MATCH (p:Progress {id: r.pid}) MATCH (x:DroppedTask {key: r.key})
SET p.dropped = true
CREATE (p)-[:ON]->(x)

// name: add_revision
MATCH (d:Document {doc_id: $doc_id})
CREATE (d)-[:REVISED]->(:Revision {id: $id, doc_id: $doc_id, at: $at, added: $added, dropped: $dropped,
        reworded: $reworded, renumbered: $renumbered, units_changed: $units_changed,
        progress_moved: $progress_moved, diff: $diff})

// name: revisions
MATCH (v:Revision {doc_id: $doc_id})
RETURN v.id AS id, v.doc_id AS doc_id, v.at AS at, v.diff AS diff
ORDER BY at DESC
LIMIT $limit
