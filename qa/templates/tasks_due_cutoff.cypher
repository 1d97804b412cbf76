// The due_key (date|doc_id, src/kg/store/copies.py) of the $skip+1-th row of tasks_due.cypher in its
// order, or no row when there are fewer: tasks_due then reads only the keys up to it. The keys are walked in
// index order and the walk stops at that row (a month of a 10,000-plan graph holds ~1,000 deadlines, and
// sorting them by date, document and offset took 30-50 ms on the embedded engine). Same rows either way.
// $start: a date; $end: a key bound ('2019-06-30|' + U+FFFF: every key of that day).
MATCH (dl:Deadline)<-[:DUE]-(t:Task)
WHERE dl.due_key >= $start AND dl.due_key <= $end
  AND (size($docs) = 0 OR t.doc_id IN $docs)
RETURN dl.due_key AS cutoff
ORDER BY cutoff
SKIP $skip LIMIT 1
