// targets.cypher's rows as one row, the list `rows`: see tasks_due_list.cypher (targets of one clause,
// `A、B分别达到…`, share their start: then targets.cypher is asked).
MATCH (x:Target)
WHERE x.doc_id > '' AND x.doc_id <= $until AND (size($indicators) = 0 OR x.indicator IN $indicators)
  AND ($year = 0 OR x.year = $year) AND (size($docs) = 0 OR x.doc_id IN $docs)
WITH {indicator: x.indicator, op: x.op, value: x.value, unit: x.unit, year: x.year,
      text: x.text, start: x.start, end: x.end,
      doc_id: x.doc_id, task_id: x.task_id, heading: x.heading} AS r
ORDER BY r.doc_id, r.start
LIMIT $limit
RETURN collect(r) AS rows
