// overdue_tasks.cypher's rows as one row, the list `rows`: see tasks_due_list.cypher.
MATCH (dl:Deadline)<-[:DUE]-(t:Task)
WHERE dl.due_key > '' AND dl.due_key <= $until AND dl.kind IN ['by', 'range']
  AND (t.status IS NULL OR t.status <> '已完成')
  AND (size($docs) = 0 OR t.doc_id IN $docs)
WITH {task_id: t.id, number: t.number, heading: t.heading, doc_id: t.doc_id,
      start: t.start, end: t.end, deadline: dl.text, date: dl.date, kind: dl.kind,
      task_text: t.text} AS r
ORDER BY r.date, r.doc_id, r.start
LIMIT $limit
RETURN collect(r) AS rows
