// Quotes for an answer's evidence, one query per answer: $groups = [{d: doc_id, spans: [{a: start, n: length}]}],
// one group per document: each document's text is read once for all its spans (a 200-row answer quotes
// ~125 documents; one row per span read them 200 times, ~25 ms against ~11 ms on the embedded engine).
// Only the quoted parts of each document's text leave the store, in the order of its spans.
UNWIND $groups AS g
MATCH (d:Document {doc_id: g.d})
RETURN g.d AS doc_id, d.doc_no AS doc_no, d.title AS title, [s IN g.spans | substring(d.text, s.a, s.n)] AS quotes
