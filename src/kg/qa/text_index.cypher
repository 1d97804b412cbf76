// The task texts kg.qa.text_index indexes (read once, when the lexicon is built). Parameters only.

// name: task_texts
MATCH (t:Task)
RETURN t.id AS id, t.text AS text
