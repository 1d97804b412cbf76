// Units ranked by the number of tasks they are named on ($rels filters the role).
// Reads the head of the ranking kept at load time (src/kg/store/ranking.py): for the role set m (bit mask
// LEADS 1, RESPONSIBLE_FOR 2, SUPPORTS 4) one Ranking node lists, already in the order count desc, name,
// every unit whose count is at least that of the 200th unit, with its count and its LEADS edges. The same
// rows as counting the role edges of every unit (1.5 s at 10,000 plans) or reading every unit's workload
// (~200 ms), for any $limit up to 200; no ORDER BY: sorting even these 200 rows again took ~10 ms.
// One row, the list `rows` (kg.qa.intents.base.rows_of): the embedded engine sends each row as a Bolt message
// of its own, which the driver reads one by one (~15 ms for 200 rows at rest, 30-45 ms on a busy machine).
WITH (CASE WHEN 'LEADS' IN $rels THEN 1 ELSE 0 END) + (CASE WHEN 'RESPONSIBLE_FOR' IN $rels THEN 2 ELSE 0 END)
     + (CASE WHEN 'SUPPORTS' IN $rels THEN 4 ELSE 0 END) AS m
MATCH (k:Ranking)
WHERE k.name = 'unit_workload' AND k.mask = m
WITH m, k.names AS names, k.tasks AS tasks, k.leads AS leads
RETURN [i IN range(0, size(names) - 1) |
        {unit: names[i], tasks: tasks[i], leads: CASE WHEN m % 2 = 1 THEN leads[i] ELSE 0 END}][0..$limit] AS rows
