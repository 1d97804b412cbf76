// Targets (quantified goals) of documents and tasks, optionally for given indicators and a year.
// Starts from the Target label: the owner (document or task) is matched per target afterwards.
MATCH (x:Target)
WHERE (size($indicators) = 0 OR x.indicator IN $indicators)
  AND ($year = 0 OR x.year = $year)
// $until: no owner document after this doc_id (null: no bound), the doc_id of the $limit-th row from
// targets_cutoff.cypher: sorting all ~1,000 PM2.5 rows of 1,000 plans took ~1 s, the cutoff sorts ids only.
MATCH (o)-[:HAS_TARGET]->(x)
WHERE (size($docs) = 0 OR o.doc_id IN $docs) AND ($until IS NULL OR coalesce(o.doc_id, '') <= $until)
RETURN x.indicator AS indicator, x.op AS op, x.value AS value, x.unit AS unit, x.year AS year,
       x.text AS text, x.start AS start, x.end AS end,
       coalesce(o.doc_id, '') AS doc_id, o.id AS task_id, o.heading AS heading
ORDER BY doc_id, start
LIMIT $limit
