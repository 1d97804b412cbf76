// Quotes for an answer's evidence, one query per answer: $spans = [{i, d: doc_id, a: start, n: length}].
// Only the quoted part of each document's text leaves the store.
UNWIND $spans AS s
MATCH (d:Document {doc_id: s.d})
RETURN s.i AS i, d.doc_no AS doc_no, d.title AS title, substring(d.text, s.a, s.n) AS quote
