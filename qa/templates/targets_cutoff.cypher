// The doc_id of the $skip+1-th row of targets.cypher in its order, or no row when there are fewer: targets
// then reads only the rows up to it. Targets only, walked in the order of the Target.doc_id index (the
// `> ''` bound makes the embedded engine do so and stop at that row: ~10 ms at 10,000 plans, against
// ~100 ms for a scan of every target). A target's doc_id is its owner's (task or document: every target is
// written with its HAS_TARGET edge), so the owner need not be matched here.
MATCH (x:Target)
WHERE x.doc_id > '' AND (size($indicators) = 0 OR x.indicator IN $indicators)
  AND ($year = 0 OR x.year = $year) AND (size($docs) = 0 OR x.doc_id IN $docs)
RETURN x.doc_id AS cutoff
ORDER BY cutoff
SKIP $skip LIMIT 1
