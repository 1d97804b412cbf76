// Texts of given tasks (a question quoting or copying one task's words is matched against them): the text
// only, not the embedding tasks_vectors.cypher carries for retrieval.
UNWIND $tasks AS tid
MATCH (t:Task {id: tid})
RETURN t.id AS id, t.heading AS heading, t.text AS text
