// The deadline date of the $skip+1-th row of tasks_due.cypher in its order (dates only: cheap to sort), or
// no row when there are fewer: tasks_due is then asked for [$start, that date] and sorts only those rows
// (a month of a 10,000-plan graph holds ~1,000 deadlines; sorting them by date, document and offset is slow
// on the embedded engine). Same rows either way.
MATCH (dl:Deadline)<-[:DUE]-(t:Task)
WHERE dl.date IS NOT NULL AND dl.date >= $start AND dl.date <= $end
  AND (size($docs) = 0 OR t.doc_id IN $docs)
RETURN dl.date AS cutoff
ORDER BY cutoff
SKIP $skip LIMIT 1
