"""Graph store: the knowledge graph behind the official neo4j driver.

    from kg.store import open_store, GraphStore, StoreError
    store = open_store(uri=None)   # None -> KG_STORE -> "embedded:./.policykg"; or bolt://, neo4j://, neo4j+s://
                                   # (KG_USER / KG_PASSWORD, optional KG_DATABASE)
    store.run(cypher, params) -> list[dict]        # read; nodes -> dict of properties, dates -> ISO strings
    store.write(cypher, params) -> None
    store.load_plan(plan) -> dict                  # one transaction, idempotent, returns counts
    store.load_plans(plans) -> list[dict]          # per plan; a failed one gives {"source", "error"}
    store.stats() -> {"nodes": {label: n}, "relationships": {type: n}, "documents": {"loaded": n, "stub": n}}
    store.fulltext_tasks(query, limit=10) -> [(task_id, score)]     # CJK full-text index on Task.text
    store.set_task_embeddings([(task_id, vector)])                   # creates the vector index on first use
    store.vector_tasks(vector, limit=10) -> [(task_id, score)]      # cosine, score in [0, 1]
    store.engine -> "embedded" | "neo4j"
    store.clear()                                  # delete all data (tests, re-imports)
    store.close()

Embedded: ArcadeDB (arcadedb-embedded, its own Java runtime) started in this process with its Bolt
plugin on a free 127.0.0.1 port; data in the folder. Dates are stored as ISO strings ("2019-10-31"),
so templates compare them with ISO string parameters.
"""
from .errors import StoreError
from .graph import DEFAULT_STORE, GraphStore, open_store, to_plain

__all__ = ["open_store", "GraphStore", "StoreError", "DEFAULT_STORE", "to_plain"]
