// The tasks of the named document(s) with their text and stored vector, for ranking a question against
// one document's tasks only (kg.qa.retrieval.rank_within): a library-wide top 30 filtered to one
// document often holds none of its tasks.
UNWIND $tasks AS tid
MATCH (t:Task {id: tid})
RETURN t.id AS id, t.heading AS heading, t.text AS text, t.embedding AS embedding
