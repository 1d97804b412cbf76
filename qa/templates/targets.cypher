// Targets (quantified goals) of documents and tasks, optionally for given indicators and a year.
// $until: no owner document after this doc_id, the doc_id of the $limit-th row from targets_cutoff.cypher
// (U+FFFF when fewer rows: no bound). The targets are read from the Target.doc_id index up to it (a target's
// doc_id is its owner's), not from every target (~100 ms at 10,000 plans). task_id and heading are those
// of the task that states the target (none for a document's own), copied onto the target at load time
// (src/kg/store/copies.py): matching the owner took ~40 ms for 200 targets.
MATCH (x:Target)
WHERE x.doc_id > '' AND x.doc_id <= $until AND (size($indicators) = 0 OR x.indicator IN $indicators)
  AND ($year = 0 OR x.year = $year) AND (size($docs) = 0 OR x.doc_id IN $docs)
RETURN x.indicator AS indicator, x.op AS op, x.value AS value, x.unit AS unit, x.year AS year,
       x.text AS text, x.start AS start, x.end AS end,
       x.doc_id AS doc_id, x.task_id AS task_id, x.heading AS heading
ORDER BY doc_id, start
LIMIT $limit
