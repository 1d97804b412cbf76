// The deadline date of the $skip+1-th overdue row of overdue_tasks.cypher in its order (dates only: cheap
// to sort), or no row when there are fewer: overdue_tasks then reads only the rows up to that date.
MATCH (dl:Deadline)<-[:DUE]-(t:Task)
WHERE dl.date IS NOT NULL AND dl.date < $asof AND dl.kind IN ['by', 'range']
  AND (t.status IS NULL OR t.status <> '已完成')
  AND (size($docs) = 0 OR t.doc_id IN $docs)
RETURN dl.date AS cutoff
ORDER BY cutoff
SKIP $skip LIMIT 1
