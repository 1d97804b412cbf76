// Units ranked by the number of tasks they are named on ($rels filters the role).
MATCH (u:Unit)-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task)
WHERE type(r) IN $rels
RETURN u.name AS unit, count(DISTINCT t) AS tasks,
       sum(CASE WHEN type(r) = 'LEADS' THEN 1 ELSE 0 END) AS leads
ORDER BY tasks DESC, unit
LIMIT $limit
