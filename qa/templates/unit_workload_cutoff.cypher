// The task count of the $skip+1-th unit of unit_workload.cypher (counts only: cheap to sort), or no row
// when fewer units have tasks: unit_workload then lists only the units at or above it.
WITH (CASE WHEN 'LEADS' IN $rels THEN 1 ELSE 0 END) + (CASE WHEN 'RESPONSIBLE_FOR' IN $rels THEN 2 ELSE 0 END)
     + (CASE WHEN 'SUPPORTS' IN $rels THEN 4 ELSE 0 END) AS m
MATCH (u:Unit)
WITH m, u.workload[m - 1] AS n
WHERE m > 0 AND n > 0
RETURN n AS cutoff
ORDER BY cutoff DESC
SKIP $skip LIMIT 1
