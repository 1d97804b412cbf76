// The unit-workload ranking kept at load time (kg.store.ranking). Parameters only; both engines.

// name: rankings
MATCH (k:Ranking)
WHERE k.name = 'unit_workload'
RETURN k.mask AS mask, k.names AS names, k.tasks AS tasks, k.leads AS leads, k.floor AS floor

// name: workloads_of
UNWIND $names AS name
MATCH (u:Unit {name: name})
RETURN u.name AS name, u.workload AS w

// name: all_workloads
// every unit with a task (workload[6]: tasks with any role); the one full scan, see ranking.rebuild
MATCH (u:Unit)
WHERE u.workload[6] > 0
RETURN u.name AS name, u.workload AS w

// name: save
UNWIND $rows AS r
MERGE (k:Ranking {name: 'unit_workload', mask: r.mask})
SET k.names = r.names, k.tasks = r.tasks, k.leads = r.leads, k.floor = r.floor

// name: count
MATCH (k:Ranking)
WHERE k.name = 'unit_workload'
RETURN count(k) AS n
