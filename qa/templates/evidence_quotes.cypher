// Quotes for an answer's evidence, one query per answer: $groups = [{d: doc_id, spans: [{a: start, n: length}]}],
// one group per document: each document's text is read once for all its spans (a 200-row answer quotes
// ~125 documents; one row per span read them 200 times, ~25 ms against ~11 ms on the embedded engine).
// Only the quoted parts of each document's text leave the store, in the order of its spans.
// One row, the list `rows` (kg.qa.intents.base.rows_of): the embedded engine sends each row as a Bolt message
// of its own, which the driver reads one by one (~15 ms for 200 rows at rest, 30-45 ms on a busy machine).
UNWIND $groups AS g
MATCH (d:Document {doc_id: g.d})
RETURN collect({doc_id: g.d, doc_no: d.doc_no, title: d.title,
                quotes: [s IN g.spans | substring(d.text, s.a, s.n)]}) AS rows
