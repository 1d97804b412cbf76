// Texts of given tasks with where each unit's role is written in them (kg.qa.intents.unit: an item that gives
// several units their duties in different sentences is quoted by the sentence naming the asked unit).
// One row, the list `rows` (kg.qa.intents.base.rows_of): tasks_text.cypher then task_units.cypher, one row
// per unit and task, took two queries and 5-20 ms on the embedded engine at 10,000 plans.
UNWIND $tasks AS tid
WITH DISTINCT tid
MATCH (t:Task {id: tid})
RETURN collect({id: t.id, start: t.start, text: t.text,
                roles: [(t)<-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]-(u:Unit) | {unit: u.name, ev_start: r.start}]}) AS rows
