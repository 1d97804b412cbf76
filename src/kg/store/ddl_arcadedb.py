"""ArcadeDB DDL for the embedded engine, in its SQL (run in-process): vertex and edge types, unique
keys, lookup indexes, a full-text index on task text with Lucene's CJK analyzer, and the vector
(LSM_VECTOR, cosine) index on task embeddings. After it, `db.index.fulltext.queryNodes` /
`db.index.vector.queryNodes` work from Cypher over Bolt like on Neo4j."""
from __future__ import annotations

from .cypher import NODE_LABELS, REL_TYPES

FULLTEXT_INDEX = "Task[text]"
VECTOR_INDEX = "Task[embedding]"

# 督办: progress reports, tasks a re-issue dropped, revisions (kg.store.revisions, kg.supervision)
SUPERVISION_LABELS = ("Progress", "DroppedTask", "Revision")
SUPERVISION_RELS = ("ON", "DROPPED", "REVISED")
# summaries kept at load time for the questions (kg.store.ranking)
SUMMARY_LABELS = ("Ranking",)
KEYS = {"Document": "doc_id", "Task": "id", "Unit": "name", "Target": "id", "Deadline": "id",
        "Progress": "id", "DroppedTask": "key"}
LOOKUPS = [("Task", "doc_id"), ("Target", "doc_id"), ("Deadline", "doc_id"), ("Deadline", "date"), ("Deadline", "due_key"),
           ("Document", "title_key"), ("Document", "stub"), ("Revision", "doc_id")]
PROPERTY_TYPES = {("Document", "stub"): "BOOLEAN"}


class ArcadeSchema:
    engine = "embedded"
    fulltext_index = FULLTEXT_INDEX
    vector_index = VECTOR_INDEX

    def __init__(self, store, server):
        self.store = store
        self.server = server

    def ensure(self) -> None:
        if self._complete():
            return
        sql = self.server.sql
        for label in NODE_LABELS + SUPERVISION_LABELS + SUMMARY_LABELS:
            sql(f"CREATE VERTEX TYPE {label} IF NOT EXISTS")
        for rel in REL_TYPES + SUPERVISION_RELS:
            sql(f"CREATE EDGE TYPE {rel} IF NOT EXISTS")
        for label, prop in KEYS.items():
            sql(f"CREATE PROPERTY {label}.{prop} IF NOT EXISTS STRING")
            sql(f"CREATE INDEX IF NOT EXISTS ON {label} ({prop}) UNIQUE")
        for label, prop in LOOKUPS:
            ptype = PROPERTY_TYPES.get((label, prop), "STRING")
            sql(f"CREATE PROPERTY {label}.{prop} IF NOT EXISTS {ptype}")
            sql(f"CREATE INDEX IF NOT EXISTS ON {label} ({prop}) NOTUNIQUE NULL_STRATEGY INDEX")
        sql("CREATE PROPERTY Task.text IF NOT EXISTS STRING")
        sql("CREATE INDEX IF NOT EXISTS ON Task (text) FULL_TEXT "
            'METADATA {"analyzer": "org.apache.lucene.analysis.cjk.CJKAnalyzer"}')

    def _complete(self) -> bool:
        """Whether every type, property and index ensure() creates is there, read through the engine's Java
        API: its ~50 SQL commands cost 0.2-0.3 s of every start on the way to the first answer (issue 11)."""
        schema = self.server.java_database().getSchema()
        for label in NODE_LABELS + SUPERVISION_LABELS + SUMMARY_LABELS + REL_TYPES + SUPERVISION_RELS:
            if not schema.existsType(label):
                return False
        for label, prop in [*KEYS.items(), *LOOKUPS, ("Task", "text")]:
            if not schema.getType(label).existsProperty(prop) or not schema.existsIndex(f"{label}[{prop}]"):
                return False
        return True

    def vector_dimensions(self) -> int | None:
        """Dimensions of the vector index, None when there is none (read through the engine's Java API:
        its SQL index listing does not show them)."""
        schema = self.server.java_database().getSchema()
        if not schema.existsIndex(VECTOR_INDEX):
            return None
        try:
            subs = schema.getIndexByName(VECTOR_INDEX).getIndexesOnBuckets()
            return int(subs[0].getDimensions()) if len(subs) else -1
        except Exception:
            return -1

    def ensure_vector_index(self, dimensions: int) -> None:
        sql = self.server.sql
        sql("CREATE PROPERTY Task.embedding IF NOT EXISTS ARRAY_OF_FLOATS")
        sql("CREATE INDEX IF NOT EXISTS ON Task (embedding) LSM_VECTOR "
            f'METADATA {{"dimensions": {int(dimensions)}, "similarity": "COSINE"}}')

    def drop_vector_index(self) -> None:
        self.server.sql(f"DROP INDEX `{VECTOR_INDEX}` IF EXISTS")

    def refresh_fulltext(self) -> None:
        pass
