// Completion per unit: tasks it is named on, how many are 已完成 and how many have any progress report.
MATCH (u:Unit)-[:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)
WITH u, collect(DISTINCT t) AS ts
UNWIND ts AS t
RETURN u.name AS unit, count(t) AS tasks,
       sum(CASE WHEN t.status = '已完成' THEN 1 ELSE 0 END) AS done,
       sum(CASE WHEN t.status IS NULL THEN 0 ELSE 1 END) AS reported
ORDER BY tasks DESC, unit
LIMIT $limit
