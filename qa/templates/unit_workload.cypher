// Units ranked by the number of tasks they are named on ($rels filters the role).
// Reads Unit.workload, kept up to date at load time (src/kg/store/workload.py): workload[m - 1] = the
// distinct tasks named with a role in the bit set m (LEADS 1, RESPONSIBLE_FOR 2, SUPPORTS 4),
// workload[7] = LEADS edges; the same numbers as counting the edges per question (1.5 s at 10,000 plans).
WITH (CASE WHEN 'LEADS' IN $rels THEN 1 ELSE 0 END) + (CASE WHEN 'RESPONSIBLE_FOR' IN $rels THEN 2 ELSE 0 END)
     + (CASE WHEN 'SUPPORTS' IN $rels THEN 4 ELSE 0 END) AS m
// $min: the least task count listed (>= 1), the count of the $limit-th unit from unit_workload_cutoff.cypher:
// sorting every unit by count and name took ~1 s at 1,000 plans; the cutoff sorts counts only.
MATCH (u:Unit)
WHERE m > 0 AND u.workload[m - 1] >= $min
RETURN u.name AS unit, u.workload[m - 1] AS tasks, CASE WHEN m % 2 = 1 THEN u.workload[7] ELSE 0 END AS leads
ORDER BY tasks DESC, unit
LIMIT $limit
