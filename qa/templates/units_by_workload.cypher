// The given units with the number of tasks each is named on (Unit.workload[7]: any role, kept at load time),
// most first: which of the many bodies one short name stands for (市生态环境局) carry the most.
UNWIND $units AS un
WITH DISTINCT un
MATCH (u:Unit {name: un})
RETURN u.name AS unit, u.workload[7] AS tasks
ORDER BY tasks DESC, unit
LIMIT $limit
