"""The Cypher the store runs, one set for both engines (ArcadeDB over Bolt and Neo4j 5).
Values always travel as parameters; the only names spliced into a statement are the fixed
relationship types below (never user text)."""
from __future__ import annotations

NODE_LABELS = ("Document", "Task", "Unit", "Target", "Deadline")
from kg.roles import ROLE_RELS  # noqa: E402  (the one role vocabulary)
REL_TYPES = ("IMPLEMENTS", "CITES", "REFERENCES", "HAS_TASK", "PART_OF", "LEADS", "RESPONSIBLE_FOR",
             "SUPPORTS", "HAS_TARGET", "DUE", "ALIGNS_WITH", "ISSUED_BY")

# Loading works on a batch of plans (one plan for `load_plan`): every row carries its doc_id, so a
# few statements write many plans in one transaction.

# ---------------------------------------------------------------- state before a (re)load
EXISTING = """
UNWIND $doc_ids AS did
MATCH (d:Document {doc_id: did}) WHERE d.stub = false
RETURN d.doc_id AS doc_id
"""
# (lists are UNWOUND into key lookups: ArcadeDB answers `x.key IN $list` with a scan, not the index)
PRIOR_TASKS = "UNWIND $doc_ids AS did MATCH (t:Task {doc_id: did}) RETURN t.id AS id, t.text AS text"
PRIOR_LINKS = """
UNWIND $doc_ids AS did
MATCH (d:Document {doc_id: did})
OPTIONAL MATCH (d)-[:IMPLEMENTS|CITES]->(s:Document)
WITH d, collect(DISTINCT s.doc_id) AS cited
OPTIONAL MATCH (d)-[:ISSUED_BY]->(i:Unit)
WITH d, cited, collect(DISTINCT i.name) AS issuers
OPTIONAL MATCH (d)-[:HAS_TASK]->(:Task)<-[:LEADS|RESPONSIBLE_FOR|SUPPORTS]-(u:Unit)
WITH d, cited, issuers, collect(DISTINCT u.name) AS units
RETURN d.doc_id AS doc_id, cited, issuers + units AS units
"""
RESOLVE_TITLES = """
UNWIND $keys AS key MATCH (x:Document {title_key: key})
RETURN x.title_key AS key, x.doc_id AS doc_id, x.stub AS stub
"""
TITLE_STUBS = """
UNWIND $rows AS r
MATCH (s:Document {title_key: r.key})
WHERE s.stub = true AND s.doc_id <> r.doc_id AND s.doc_id STARTS WITH 'title:'
RETURN r.doc_id AS doc_id, s.doc_id AS stub
"""
# a stub known by title only becomes the real document (same title, now with a 文号): move its edges
MOVE_STUB_EDGES = [
    """MATCH (s:Document {doc_id: $stub})<-[r:IMPLEMENTS]-(x:Document) MATCH (d:Document {doc_id: $doc_id})
       WHERE x.doc_id <> d.doc_id CREATE (x)-[n:IMPLEMENTS]->(d) SET n = properties(r)""",
    """MATCH (s:Document {doc_id: $stub})<-[r:CITES]-(x:Document) MATCH (d:Document {doc_id: $doc_id})
       WHERE x.doc_id <> d.doc_id CREATE (x)-[n:CITES]->(d) SET n = properties(r)""",
    """MATCH (s:Document {doc_id: $stub})<-[r:REFERENCES]-(x:Task) MATCH (d:Document {doc_id: $doc_id})
       CREATE (x)-[n:REFERENCES]->(d) SET n = properties(r)""",
    "MATCH (s:Document {doc_id: $stub}) WHERE s.stub = true DETACH DELETE s",
]

# ---------------------------------------------------------------- clear what re-loaded plans own
# Only for documents already loaded before. ArcadeDB can skip an edge when edges are deleted while
# the match that finds them is still running (seen on a unit with many edges): collect, then delete.
CLEAR = [
    """UNWIND $doc_ids AS did MATCH (d:Document {doc_id: did})-[r:IMPLEMENTS|CITES|ISSUED_BY|HAS_TASK|HAS_TARGET]->()
       WITH collect(r) AS rs UNWIND rs AS r DELETE r""",
    """UNWIND $doc_ids AS did MATCH (t:Task {doc_id: did}) WHERE NOT t.id IN $task_ids
       WITH collect(t) AS ts UNWIND ts AS t DETACH DELETE t""",
    """UNWIND $doc_ids AS did MATCH (t:Task {doc_id: did})-[r:PART_OF|REFERENCES|DUE|HAS_TARGET]->()
       WITH collect(r) AS rs UNWIND rs AS r DELETE r""",
    """UNWIND $doc_ids AS did MATCH (t:Task {doc_id: did})<-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]-(:Unit)
       WITH collect(r) AS rs UNWIND rs AS r DELETE r""",
    """UNWIND $doc_ids AS did MATCH (x:Deadline {doc_id: did}) WHERE NOT x.id IN $deadline_ids
       WITH collect(x) AS xs UNWIND xs AS x DETACH DELETE x""",
    """UNWIND $doc_ids AS did MATCH (x:Target {doc_id: did}) WHERE NOT x.id IN $target_ids
       WITH collect(x) AS xs UNWIND xs AS x DETACH DELETE x""",
]
FORGET_EMBEDDINGS = "UNWIND $ids AS id MATCH (t:Task {id: id}) REMOVE t.embedding"

# ---------------------------------------------------------------- write the plans
UPSERT_DOCUMENTS = """
UNWIND $docs AS doc
MERGE (d:Document {doc_id: doc.doc_id})
SET d.doc_no = doc.doc_no, d.title = doc.title, d.title_key = doc.title_key, d.issuer = doc.issuer,
    d.date = doc.date, d.level = doc.level, d.region = doc.region, d.source = doc.source,
    d.text = doc.text, d.warnings = doc.warnings, d.stub = false
"""
# A document loaded for the first time has no tasks, deadlines or targets yet (their ids start with its
# doc_id), so its own are CREATEd (`...[0]`): on ArcadeDB a third cheaper than MERGE, which looks each id
# up first. A re-loaded document MERGEs (`...[1]`): the tasks that stay keep their node (status, embedding).
_TASKS = """
UNWIND $rows AS r
MATCH (d:Document {doc_id: r.doc_id})
%s (t:Task {id: r.id})
SET t.doc_id = r.doc_id, t.parent_id = r.parent_id, t.number = r.number, t.path = r.path,
    t.heading = r.heading, t.text = r.text, t.start = r.start, t.end = r.end
CREATE (d)-[:HAS_TASK {doc_id: r.doc_id}]->(t)
"""
TASKS = (_TASKS % "CREATE", _TASKS % "MERGE")
PART_OF = """
UNWIND $rows AS r
MATCH (c:Task {id: r.child}) MATCH (p:Task {id: r.parent})
CREATE (c)-[:PART_OF {doc_id: r.doc_id}]->(p)
"""
UPSERT_UNITS = """
UNWIND $rows AS r
MERGE (u:Unit {name: r.name})
ON CREATE SET u.kind = r.kind, u.aliases = r.aliases, u.workload = [0, 0, 0, 0, 0, 0, 0, 0]
ON MATCH SET u.aliases = coalesce(u.aliases, []) + [a IN r.aliases WHERE NOT a IN coalesce(u.aliases, [])],
             u.kind = CASE WHEN u.kind IS NULL OR u.kind = 'unit' THEN r.kind ELSE u.kind END
"""
ROLE = """
UNWIND $rows AS r
MATCH (u:Unit {name: r.unit}) MATCH (t:Task {id: r.task})
CREATE (u)-[:%s {doc_id: r.doc_id, start: r.start, end: r.end, evidence: r.evidence, raw: r.raw}]->(t)
"""
ROLE_STATEMENTS = {rel: ROLE % rel for rel in ROLE_RELS.values()}
ISSUED_BY = """
UNWIND $rows AS r
MATCH (d:Document {doc_id: r.doc_id}) MATCH (u:Unit {name: r.name})
CREATE (d)-[:ISSUED_BY {doc_id: r.doc_id}]->(u)
"""
_DEADLINES = """
UNWIND $rows AS r
MATCH (t:Task {id: r.task})
%s (x:Deadline {id: r.id})
SET x.doc_id = r.doc_id, x.text = r.text, x.date = r.date, x.start_date = r.start_date, x.kind = r.kind,
    x.start = r.start, x.end = r.end, x.evidence = r.evidence, x.due_key = r.due_key
CREATE (t)-[:DUE {doc_id: r.doc_id, start: r.start, end: r.end, evidence: r.evidence}]->(x)
"""
DEADLINES = (_DEADLINES % "CREATE", _DEADLINES % "MERGE")
_TASK_TARGETS = """
UNWIND $rows AS r
MATCH (t:Task {id: r.owner})
%s (x:Target {id: r.id})
SET x.doc_id = r.doc_id, x.indicator = r.indicator, x.op = r.op, x.value = r.value, x.unit = r.unit,
    x.year = r.year, x.text = r.text, x.start = r.start, x.end = r.end, x.evidence = r.evidence,
    x.task_id = t.id, x.heading = t.heading
CREATE (t)-[:HAS_TARGET {doc_id: r.doc_id, start: r.start, end: r.end, evidence: r.evidence}]->(x)
"""
TASK_TARGETS = (_TASK_TARGETS % "CREATE", _TASK_TARGETS % "MERGE")
_DOC_TARGETS = """
UNWIND $rows AS r
MATCH (d:Document {doc_id: r.doc_id})
%s (x:Target {id: r.id})
SET x.doc_id = r.doc_id, x.indicator = r.indicator, x.op = r.op, x.value = r.value, x.unit = r.unit,
    x.year = r.year, x.text = r.text, x.start = r.start, x.end = r.end, x.evidence = r.evidence
CREATE (d)-[:HAS_TARGET {doc_id: r.doc_id, start: r.start, end: r.end, evidence: r.evidence}]->(x)
"""
DOC_TARGETS = (_DOC_TARGETS % "CREATE", _DOC_TARGETS % "MERGE")
STUBS = """
UNWIND $rows AS r
MERGE (s:Document {doc_id: r.doc_id})
ON CREATE SET s.stub = true, s.title = r.title, s.doc_no = r.doc_no, s.title_key = r.title_key
ON MATCH SET s.title = coalesce(s.title, r.title), s.doc_no = coalesce(s.doc_no, r.doc_no),
             s.title_key = coalesce(s.title_key, r.title_key)
"""
DOC_CITATION = """
UNWIND $rows AS r
MATCH (d:Document {doc_id: r.from}) MATCH (p:Document {doc_id: r.doc_id})
CREATE (d)-[:%s {doc_id: r.from, start: r.start, end: r.end, evidence: r.evidence}]->(p)
"""
IMPLEMENTS = DOC_CITATION % "IMPLEMENTS"
CITES = DOC_CITATION % "CITES"
REFERENCES = """
UNWIND $rows AS r
MATCH (t:Task {id: r.task}) MATCH (p:Document {doc_id: r.doc_id})
CREATE (t)-[:REFERENCES {doc_id: r.from, start: r.start, end: r.end, evidence: r.evidence}]->(p)
"""
# ---------------------------------------------------------------- tidy up after a reload
DROP_ORPHAN_STUBS = """
UNWIND $ids AS id MATCH (s:Document {doc_id: id}) WHERE s.stub = true AND NOT EXISTS { MATCH (s)--() }
DELETE s
"""
DROP_ORPHAN_UNITS = """
UNWIND $names AS name MATCH (u:Unit {name: name}) WHERE NOT EXISTS { MATCH (u)--() }
DELETE u
"""

# ---------------------------------------------------------------- reading
COUNT_LABELS = "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n"
COUNT_RELS = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n"
COUNT_DOCS = "MATCH (d:Document) RETURN coalesce(d.stub, false) AS stub, count(*) AS n"
# {limit}: the index keeps only the best hits (both engines take the option); without it the embedded
# engine handed every task holding a common word (治理: ~100,000) to the ORDER BY: 0.2-0.9 s a question
# at 10,000 plans, against 0.06-0.45 s with it, same ids and scores
FULLTEXT = """
CALL db.index.fulltext.queryNodes($index, $query, {limit: $limit}) YIELD node, score
RETURN node.id AS id, score ORDER BY score DESC LIMIT $limit
"""
VECTOR = """
CALL db.index.vector.queryNodes($index, $k, $vector) YIELD node, score
RETURN node.id AS id, score ORDER BY score DESC LIMIT $limit
"""
SET_EMBEDDINGS = "UNWIND $rows AS r MATCH (t:Task {id: r.id}) SET t.embedding = r.v"
CLEAR_ALL = "MATCH (n) DETACH DELETE n"
