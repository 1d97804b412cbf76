// The due_key (date|doc_id, src/kg/store/copies.py) of the $skip+1-th overdue row of overdue_tasks.cypher
// in its order, or no row when there are fewer: overdue_tasks then reads only the keys up to it. The keys are
// walked in index order and the walk stops at that row. `due_key < $asof` is `date < $asof` (a bare date
// sorts before every key of its day). The lower bound `> ''` is there for the engine: with an upper bound
// alone the embedded engine scanned every key before it (~250 ms at 10,000 plans) and its ORDER BY ... SKIP
// returned a wrong row (the 200th key before 2020-03-01 came back as a key of 2016-09, not of 2016-01).
MATCH (dl:Deadline)<-[:DUE]-(t:Task)
WHERE dl.due_key > '' AND dl.due_key < $asof AND dl.kind IN ['by', 'range']
  AND (t.status IS NULL OR t.status <> '已完成')
  AND (size($docs) = 0 OR t.doc_id IN $docs)
RETURN dl.due_key AS cutoff
ORDER BY cutoff
SKIP $skip LIMIT 1
