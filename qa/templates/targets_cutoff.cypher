// The owner doc_id of the $skip+1-th row of targets.cypher in its order (ids only: cheap to sort), or no
// row when there are fewer: targets then reads only the rows up to it.
MATCH (x:Target)
WHERE (size($indicators) = 0 OR x.indicator IN $indicators)
  AND ($year = 0 OR x.year = $year)
MATCH (o)-[:HAS_TARGET]->(x)
WHERE size($docs) = 0 OR o.doc_id IN $docs
RETURN coalesce(o.doc_id, '') AS cutoff
ORDER BY cutoff
SKIP $skip LIMIT 1
