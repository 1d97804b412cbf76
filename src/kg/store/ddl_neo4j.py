"""Neo4j 5 DDL: uniqueness constraints, lookup indexes, the CJK full-text index on task text and
the vector index on task embeddings (created when the first embeddings arrive: it needs their size)."""
from __future__ import annotations

FULLTEXT_INDEX = "task_text"
VECTOR_INDEX = "task_embedding"

STATEMENTS = [
    "CREATE CONSTRAINT document_doc_id IF NOT EXISTS FOR (d:Document) REQUIRE d.doc_id IS UNIQUE",
    "CREATE CONSTRAINT task_id IF NOT EXISTS FOR (t:Task) REQUIRE t.id IS UNIQUE",
    "CREATE CONSTRAINT unit_name IF NOT EXISTS FOR (u:Unit) REQUIRE u.name IS UNIQUE",
    "CREATE CONSTRAINT target_id IF NOT EXISTS FOR (x:Target) REQUIRE x.id IS UNIQUE",
    "CREATE CONSTRAINT deadline_id IF NOT EXISTS FOR (x:Deadline) REQUIRE x.id IS UNIQUE",
    "CREATE INDEX task_doc_id IF NOT EXISTS FOR (t:Task) ON (t.doc_id)",
    "CREATE INDEX target_doc_id IF NOT EXISTS FOR (x:Target) ON (x.doc_id)",
    "CREATE INDEX deadline_doc_id IF NOT EXISTS FOR (x:Deadline) ON (x.doc_id)",
    "CREATE INDEX deadline_date IF NOT EXISTS FOR (x:Deadline) ON (x.date)",
    "CREATE INDEX deadline_due_key IF NOT EXISTS FOR (x:Deadline) ON (x.due_key)",  # kg.store.copies
    "CREATE INDEX document_title_key IF NOT EXISTS FOR (d:Document) ON (d.title_key)",
    "CREATE INDEX document_stub IF NOT EXISTS FOR (d:Document) ON (d.stub)",
    # 督办: progress reports, tasks a re-issue dropped, revisions (kg.store.revisions, kg.supervision)
    "CREATE CONSTRAINT progress_id IF NOT EXISTS FOR (p:Progress) REQUIRE p.id IS UNIQUE",
    "CREATE CONSTRAINT dropped_task_key IF NOT EXISTS FOR (x:DroppedTask) REQUIRE x.key IS UNIQUE",
    "CREATE INDEX revision_doc_id IF NOT EXISTS FOR (v:Revision) ON (v.doc_id)",
    f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (t:Task) ON EACH [t.text] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}",
]


class Neo4jSchema:
    engine = "neo4j"
    fulltext_index = FULLTEXT_INDEX
    vector_index = VECTOR_INDEX

    def __init__(self, store):
        self.store = store

    def ensure(self) -> None:
        for stmt in STATEMENTS:
            self.store.write(stmt)
        self.store.write("CALL db.awaitIndexes(300)")

    def vector_dimensions(self) -> int | None:
        rows = self.store.run("SHOW INDEXES YIELD name, options WHERE name = $n RETURN options", {"n": VECTOR_INDEX})
        if not rows:
            return None
        cfg = (rows[0].get("options") or {}).get("indexConfig") or {}
        dims = cfg.get("vector.dimensions")
        return int(dims) if dims is not None else -1

    def ensure_vector_index(self, dimensions: int) -> None:
        self.store.write(
            f"CREATE VECTOR INDEX {VECTOR_INDEX} IF NOT EXISTS FOR (t:Task) ON t.embedding "
            "OPTIONS {indexConfig: {`vector.dimensions`: $dims, `vector.similarity_function`: 'cosine'}}",
            {"dims": int(dimensions)})
        self.store.write("CALL db.awaitIndexes(300)")

    def drop_vector_index(self) -> None:
        self.store.write(f"DROP INDEX {VECTOR_INDEX} IF EXISTS")

    def refresh_fulltext(self) -> None:
        """Neo4j's full-text index is eventually consistent: wait until recent writes are searchable."""
        self.store.write("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()")
