"""GraphStore: the knowledge graph behind the official neo4j driver, on the embedded engine
(ArcadeDB over Bolt, in-process) or on any Neo4j 5 server. One Cypher set (cypher.py) for both;
engine DDL in ddl_arcadedb.py / ddl_neo4j.py."""
from __future__ import annotations

import os
import re
import threading
import time
from typing import Iterable

from kg.model import Plan

from . import cypher as Q
from . import copies, ranking, revisions, workload
from .errors import StoreError
from .plan_rows import PlanRows

DEFAULT_STORE = "embedded:./.policykg"
LEXICON_FILE = "policykg-lexicon.pickle"  # an embedded store's entity-linking lexicon (kg.qa.lexicon_cache)
REMOTE_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")
EMBED_BATCH = 500
READ_RETRIES = 2


def _one_line(exc: BaseException) -> str:
    msg = getattr(exc, "message", None) or str(exc)
    return " ".join(str(msg).split())[:300]


_PLAIN = frozenset({str, int, float, bool, type(None)})


def to_plain(value):
    """neo4j driver values -> plain Python: nodes/relationships -> dict of properties, paths -> list of
    node dicts, temporal values -> ISO strings."""
    # fast paths first, by exact type: a 200-row answer as one list of maps (kg.qa.intents.base.rows_of) is
    # ~2,500 values, and the import and isinstance chain below cost ~2 ms of it
    t = type(value)
    if t in _PLAIN:
        return value
    if t is dict:
        return {k: v if type(v) in _PLAIN else to_plain(v) for k, v in value.items()}
    if t is list:  # all plain, e.g. an embedding (384 floats): no call per item
        return list(value) if all(type(v) in _PLAIN for v in value) else [to_plain(v) for v in value]
    from neo4j import graph as g

    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (g.Node, g.Relationship)):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, g.Path):
        return [to_plain(n) for n in value.nodes]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if all(type(v) in _PLAIN for v in value):  # e.g. an embedding: 384 floats, no call per item
            return list(value)
        return [to_plain(v) for v in value]
    iso = getattr(value, "iso_format", None)
    if iso:
        return iso()
    return value


_LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/]|&&|\|\|)')


def lucene_escape(text: str) -> str:
    return _LUCENE_SPECIAL.sub(r"\\\1", text)


class GraphStore:
    """See the package docstring for the API. Thread-safe: every call takes its own session."""

    def __init__(self, driver, *, engine: str, uri: str, database: str | None = None, server=None):
        self._driver = driver
        self._engine = engine
        self.uri = uri
        self.database = database
        self._server = server
        self._closed = False
        self.generation = 0  # writes by this process (loads, clears): see forget_lexicon
        # every write this process made (loads, progress, embeddings, alignment, DDL): the graph version
        # that cached answers are keyed by (kg.qa.answer_cache); bumped before and after each write, so a
        # read that overlapped a write never shares a key with reads after it
        self.writes = 0
        self._writes_lock = threading.Lock()
        self._vector_seen: float | None = None
        if engine == "embedded":
            from .ddl_arcadedb import ArcadeSchema

            self.schema = ArcadeSchema(self, server)
        else:
            from .ddl_neo4j import Neo4jSchema

            self.schema = Neo4jSchema(self)

    # ------------------------------------------------------------------ basics
    def _bump(self) -> None:
        with self._writes_lock:  # `+= 1` from two writing threads could lose one
            self.writes += 1

    @property
    def engine(self) -> str:
        return self._engine

    def __repr__(self) -> str:
        return f"GraphStore(engine={self._engine!r}, uri={self.uri!r})"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _session(self, write: bool):
        from neo4j import READ_ACCESS, WRITE_ACCESS

        if self._closed:
            raise StoreError(f"store {self.uri} is closed")
        return self._driver.session(database=self.database,
                                    default_access_mode=WRITE_ACCESS if write else READ_ACCESS)

    def _unavailable(self, exc) -> StoreError:
        return StoreError(f"store {self.uri} stopped answering: {_one_line(exc)}")

    def run(self, cypher: str, params: dict | None = None) -> list[dict]:
        """A read query; rows as plain dicts. A transient failure (the engine asks the client to try
        again: seen under 50 concurrent readers) is tried again, at most READ_RETRIES times."""
        from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError

        for attempt in range(READ_RETRIES + 1):
            try:
                with self._session(write=False) as s:
                    return [{k: to_plain(v) for k, v in rec.items()} for rec in s.run(cypher, params or {})]
            except (ServiceUnavailable, SessionExpired) as exc:
                raise self._unavailable(exc) from exc
            except TransientError:
                if attempt == READ_RETRIES:
                    raise
                time.sleep(0.05 * (attempt + 1))

    def write(self, cypher: str, params: dict | None = None) -> None:
        from neo4j.exceptions import ServiceUnavailable, SessionExpired

        self._bump()
        try:
            with self._session(write=True) as s:
                s.run(cypher, params or {}).consume()
        except (ServiceUnavailable, SessionExpired) as exc:
            raise self._unavailable(exc) from exc
        finally:
            self._bump()

    def write_many(self, statements: list[tuple[str, dict]]) -> list[list[dict]]:
        """Several statements in one write transaction (all or nothing); the rows of each."""
        from neo4j.exceptions import ServiceUnavailable, SessionExpired

        def work(tx):
            return [[{k: to_plain(v) for k, v in rec.items()} for rec in tx.run(c, p or {})] for c, p in statements]

        self._bump()
        try:
            with self._session(write=True) as s:
                return s.execute_write(work)
        except (ServiceUnavailable, SessionExpired) as exc:
            raise self._unavailable(exc) from exc
        finally:
            self._bump()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._driver.close()
        finally:
            if self._server is not None:
                from . import embedded

                embedded.release(self._server)
                self._server = None

    # ------------------------------------------------------------------ loading
    def load_plan(self, plan: Plan) -> dict:
        """Load one plan in one transaction (all or nothing) and return what was written. Idempotent;
        loading a changed plan replaces that plan's own tasks, roles, deadlines, targets and citations
        and leaves everything else alone."""
        if plan.error:
            raise StoreError(plan.error)
        rows = PlanRows(plan)
        self._write_batch([rows], plan.source)
        return rows.counts()

    def load_plans(self, plans: Iterable[Plan], batch_size: int = 1) -> list[dict]:
        """Load plans, each all or nothing. With batch_size > 1 up to that many plans share one
        transaction (much faster for big imports); if such a batch fails, its plans are loaded one by
        one so a bad plan costs only itself. A plan that fails gives {"source", "doc_id", "error"}."""
        out: list[dict] = []
        batch: list[tuple[Plan, PlanRows]] = []

        def fail(plan, exc):
            return {"source": plan.source, "doc_id": None if plan.error else plan.doc_id, "error": str(exc)}

        def flush():
            if not batch:
                return
            if len(batch) > 1:
                try:
                    self._write_batch([r for _, r in batch], f"{len(batch)} plans")
                    out.extend(r.counts() for _, r in batch)
                    batch.clear()
                    return
                except StoreError as exc:
                    if "stopped answering" in str(exc):
                        raise
            for plan, _ in batch:
                try:
                    out.append(self.load_plan(plan))
                except StoreError as exc:
                    out.append(fail(plan, exc))
            batch.clear()

        for plan in plans:
            if plan.error:
                flush()
                out.append(fail(plan, plan.error))
                continue
            try:
                rows = PlanRows(plan)
            except Exception as exc:  # a malformed record
                flush()
                out.append(fail(plan, f"{plan.source}: not loaded: {type(exc).__name__}: {_one_line(exc)}"))
                continue
            if any(r.doc_id == rows.doc_id for _, r in batch):  # the same document twice: keep order
                flush()
            batch.append((plan, rows))
            if len(batch) >= max(1, batch_size):
                flush()
        flush()
        return out

    # ------------------------------------------------------------------ persisted lexicon (qa/lexicon_cache.py)
    def lexicon_cache_path(self):
        """Where the entity-linking lexicon of this store is kept between processes."""
        from pathlib import Path

        if self._engine == "embedded" and self._server is not None:
            return Path(self._server.root) / LEXICON_FILE
        import hashlib
        import os

        # a server's lexicon lives in the model cache, keyed by URI and database
        base = os.environ.get("KG_MODEL_CACHE")
        root = Path(base).expanduser() if base else Path.home() / ".cache" / "policykg"
        key = hashlib.sha1(f"{self.uri}\x00{self.database or ''}".encode()).hexdigest()[:16]
        return root / f"lexicon-{key}.pickle"

    def forget_lexicon(self) -> None:
        """Drop the persisted lexicon: plans were (re)loaded or the graph cleared. `generation` counts
        these writes, so an in-process lexicon built before one is never reused."""
        self.generation += 1
        self._bump()
        try:
            self.lexicon_cache_path().unlink(missing_ok=True)
        except OSError:
            pass

    def _write_batch(self, batch: list[PlanRows], what: str) -> None:
        from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable, SessionExpired

        self.forget_lexicon()
        try:
            with self._session(write=True) as s:
                s.execute_write(self._load_tx, batch)
        except StoreError:
            raise
        except (ServiceUnavailable, SessionExpired) as exc:
            raise self._unavailable(exc) from exc
        except (Neo4jError, DriverError, OSError) as exc:
            raise StoreError(f"{what}: not loaded, the store refused it: {_one_line(exc)}") from exc
        except Exception as exc:  # e.g. a value the driver cannot send: the transaction was rolled back
            raise StoreError(f"{what}: not loaded: {type(exc).__name__}: {_one_line(exc)}") from exc
        finally:
            self.forget_lexicon()  # also after: a lexicon saved while this transaction ran is stale

    @staticmethod
    def _load_tx(tx, batch: list[PlanRows]) -> None:
        def run(stmt, **params):
            return list(tx.run(stmt, params))

        doc_ids = [r.doc_id for r in batch]
        # documents loaded before: their old tasks, citations and units are replaced
        existing = [r["doc_id"] for r in run(Q.EXISTING, doc_ids=doc_ids)]
        prior_text, old_cited, old_units, old_tasks = {}, set(), set(), {}
        if existing:
            old_tasks = revisions.before(run, existing)  # progress follows re-issued tasks (revisions.py)
            prior_text = {t.id: t.text for tasks in old_tasks.values() for t in tasks.values()}
            for r in run(Q.PRIOR_LINKS, doc_ids=existing):
                old_cited.update(r["cited"])
                old_units.update(r["units"])

        run(Q.UPSERT_DOCUMENTS, docs=[r.doc for r in batch])
        # a stub cited by title only is one of these documents (same title, now with a 文号)
        pairs = [{"doc_id": r.doc_id, "key": r.title_key} for r in batch
                 if r.title_key and not r.doc_id.startswith("title:")]
        if pairs:
            for m in run(Q.TITLE_STUBS, rows=pairs):
                for stmt in Q.MOVE_STUB_EDGES:
                    run(stmt, stub=m["stub"], doc_id=m["doc_id"])
        # title-only citations of a document known under its 文号 point at it
        keys = sorted({k for r in batch for k in r.title_only_keys()})
        if keys:
            known: dict[str, str] = {}
            for r in run(Q.RESOLVE_TITLES, keys=keys):
                if r["doc_id"].startswith("title:") and r["stub"]:
                    continue
                known.setdefault(r["key"], r["doc_id"])
            for rows in batch:
                rows.resolve(known)

        if existing:
            again = [r for r in batch if r.doc_id in set(existing)]
            params = dict(doc_ids=existing, task_ids=[t for r in again for t in r.task_ids],
                          deadline_ids=[d["id"] for r in again for d in r.deadlines],
                          target_ids=[x["id"] for r in again for x in r.task_targets + r.doc_targets])
            for stmt in Q.CLEAR:
                run(stmt, **params)
            changed = [t["id"] for r in again for t in r.tasks
                       if t["id"] in prior_text and prior_text[t["id"]] != t["text"]]
            if changed:
                run(Q.FORGET_EMBEDDINGS, ids=changed)

        def rows_of(attr, group=batch):
            return [x for r in group for x in getattr(r, attr)]

        # first loads CREATE their own nodes, re-loads MERGE them (cypher.TASKS)
        loaded_before = set(existing)
        fresh = [r for r in batch if r.doc_id not in loaded_before and r.ids_unique]
        merged = [r for r in batch if r.doc_id in loaded_before or not r.ids_unique]

        def write_own(stmts, attr):
            for group, stmt in zip((fresh, merged), stmts):
                items = rows_of(attr, group)
                if items:
                    run(stmt, rows=items)

        write_own(Q.TASKS, "tasks")
        if part_of := rows_of("part_of"):
            run(Q.PART_OF, rows=part_of)
        units: dict[str, dict] = {}
        for r in batch:
            for u in r.units:
                have = units.get(u["name"])
                if have is None:
                    units[u["name"]] = dict(u, aliases=list(u["aliases"]))
                else:
                    have["aliases"] += [a for a in u["aliases"] if a not in have["aliases"]]
                    if have["kind"] == "unit":
                        have["kind"] = u["kind"]
        if units:
            run(Q.UPSERT_UNITS, rows=list(units.values()))
        for rel, stmt in Q.ROLE_STATEMENTS.items():
            items = [x for r in batch for x in r.roles[rel]]
            if items:
                run(stmt, rows=items)
        loads = workload.deltas(old_tasks, batch)  # Unit.workload kept up to date (workload.py)
        if loads:
            run(workload.ADD, rows=loads)
            ranking.update(run, [x["name"] for x in loads])  # the head of the ranking too (ranking.py)
        if issued_by := rows_of("issued_by"):
            run(Q.ISSUED_BY, rows=issued_by)
        for stmts, attr in ((Q.DEADLINES, "deadlines"), (Q.TASK_TARGETS, "task_targets"),
                            (Q.DOC_TARGETS, "doc_targets")):
            write_own(stmts, attr)
        stubs: dict[str, dict] = {}
        for r in batch:
            for did, s in r.stubs.items():
                stubs.setdefault(did, s)
        if stubs:
            run(Q.STUBS, rows=list(stubs.values()))
        for stmt, attr in ((Q.IMPLEMENTS, "parents"), (Q.CITES, "cites"), (Q.REFERENCES, "references")):
            items = rows_of(attr)
            if items:
                run(stmt, rows=items)

        gone_stubs = sorted(old_cited - set(stubs))
        if gone_stubs:
            run(Q.DROP_ORPHAN_STUBS, ids=gone_stubs)
        gone_units = sorted(old_units - set(units))
        if gone_units:
            run(Q.DROP_ORPHAN_UNITS, names=gone_units)
        for rows in batch:
            rows.reloaded = rows.doc_id in old_tasks
            rows.revision = revisions.after(run, old_tasks[rows.doc_id], rows) if rows.doc_id in old_tasks else None

    # ------------------------------------------------------------------ reading
    def stats(self) -> dict:
        nodes = {label: 0 for label in Q.NODE_LABELS}
        for r in self.run(Q.COUNT_LABELS):
            nodes[r["label"]] = r["n"]
        rels = {t: 0 for t in Q.REL_TYPES}
        for r in self.run(Q.COUNT_RELS):
            rels[r["type"]] = r["n"]
        docs = {"loaded": 0, "stub": 0}
        for r in self.run(Q.COUNT_DOCS):
            docs["stub" if r["stub"] else "loaded"] += r["n"]
        return {"nodes": nodes, "relationships": rels, "documents": docs}

    def fulltext_tasks(self, query: str, limit: int = 10) -> list[tuple[str, float]]:
        """Tasks whose text matches `query` (any words; CJK bigrams), best first."""
        q = " ".join(lucene_escape(w) for w in (query or "").split())
        if not q or limit <= 0:
            return []
        rows = self.run(Q.FULLTEXT, {"index": self.schema.fulltext_index, "query": q, "limit": int(limit)})
        return [(r["id"], float(r["score"])) for r in rows if r["id"] is not None]

    def set_task_embeddings(self, items: list[tuple[str, list[float]]]) -> None:
        items = [(tid, [float(x) for x in vec]) for tid, vec in items]
        if not items:
            return
        dims = len(items[0][1])
        if any(len(v) != dims for _, v in items):
            raise StoreError("set_task_embeddings: vectors of different sizes in one call")
        have = self.schema.vector_dimensions()
        if have is None:
            self.schema.ensure_vector_index(dims)
        elif have not in (-1, dims):
            if not self.run("MATCH (t:Task) WHERE t.embedding IS NOT NULL RETURN t.id AS id LIMIT 1"):
                self.schema.drop_vector_index()  # nothing indexed yet: size the index for these vectors
                self.schema.ensure_vector_index(dims)
                have = dims
        if have not in (None, -1, dims):
            raise StoreError(f"embeddings have {dims} dimensions but the store's vector index has {have}; "
                             "clear the embeddings (store.drop_embeddings()) after changing the model")
        for i in range(0, len(items), EMBED_BATCH):
            chunk = items[i:i + EMBED_BATCH]
            self.write(Q.SET_EMBEDDINGS, {"rows": [{"id": t, "v": v} for t, v in chunk]})

    def _has_vector_index(self) -> bool:
        """Whether the vector index exists; a yes is remembered for a minute (asking costs a SHOW INDEXES
        round trip on Neo4j, per question)."""
        now = time.monotonic()
        if self._vector_seen is not None and now - self._vector_seen < 60.0:
            return True
        if self.schema.vector_dimensions() is None:
            self._vector_seen = None
            return False
        self._vector_seen = now
        return True

    def drop_embeddings(self) -> None:
        """Remove every task embedding and the vector index (after changing the embedding model)."""
        self._vector_seen = None
        self.schema.drop_vector_index()
        self.write("MATCH (t:Task) WHERE t.embedding IS NOT NULL REMOVE t.embedding")

    def vector_tasks(self, vector: list[float], limit: int = 10) -> list[tuple[str, float]]:
        """Tasks nearest to `vector` by cosine, best first; score in [0, 1] as Neo4j reports it."""
        if limit <= 0 or not vector or not self._has_vector_index():
            return []
        v = [float(x) for x in vector]
        rows = self.run(Q.VECTOR, {"index": self.schema.vector_index, "k": int(limit), "vector": v,
                                   "limit": int(limit)})
        return [(r["id"], float(r["score"])) for r in rows if r["id"] is not None]

    # ------------------------------------------------------------------ maintenance
    def clear(self) -> None:
        """Delete every node and relationship. The schema stays, except the vector index, which is sized
        by the embeddings and made again when the next ones arrive."""
        self.forget_lexicon()
        while self._write_count("MATCH (n) WITH n LIMIT 5000 DETACH DELETE n RETURN count(*) AS n"):
            pass
        self._vector_seen = None
        if self.schema.vector_dimensions() is not None:
            self.schema.drop_vector_index()

    def _write_count(self, cypher: str, params: dict | None = None) -> int:
        self._bump()
        try:
            with self._session(write=True) as s:
                rec = s.run(cypher, params or {}).single()
                return int(rec["n"]) if rec else 0
        finally:
            self._bump()


# ---------------------------------------------------------------------- opening
def open_store(uri: str | None = None, *, user: str | None = None, password: str | None = None,
               database: str | None = None) -> GraphStore:
    """None -> env KG_STORE -> "embedded:./.policykg"; "embedded:PATH"; or a bolt://, neo4j://,
    neo4j+s:// URI with KG_USER / KG_PASSWORD (and optional KG_DATABASE); the keyword arguments
    override those variables."""
    uri = (uri or os.environ.get("KG_STORE") or DEFAULT_STORE).strip()
    if uri == "embedded" or uri.startswith("embedded:"):
        path = uri.partition(":")[2] or "./.policykg"
        return _open_embedded(path)
    if uri.startswith(REMOTE_SCHEMES):
        return _open_remote(uri, user, password, database)
    raise StoreError(f"unknown store {uri!r}: use embedded:PATH or a bolt://, neo4j://, neo4j+s:// URI")


def import_driver() -> None:
    """Import the neo4j driver without pandas. The driver imports pandas when it is installed (for
    Result.to_df, which this package never calls; the UI and the ledger export import it themselves):
    0.3-0.5 s of every start, on the way to the first answer (issue 11). pandas imported before, or after,
    is the usual pandas."""
    import sys

    if "neo4j" in sys.modules or "pandas" in sys.modules:
        return
    sys.modules["pandas"] = None  # an ImportError for the driver's optional import
    try:
        import neo4j  # noqa: F401
    finally:
        if sys.modules.get("pandas", 0) is None:
            del sys.modules["pandas"]


def _driver(uri: str, auth, **kw):
    import_driver()
    from neo4j import GraphDatabase

    try:
        return GraphDatabase.driver(uri, auth=auth, connection_timeout=float(os.environ.get("KG_CONNECT_TIMEOUT", "5")),
                                    max_transaction_retry_time=15.0, **kw)
    except Exception as exc:  # bad URI forms, unsupported schemes
        raise StoreError(f"invalid store URI {uri!r}: {_one_line(exc)}") from None


def _verify(driver, uri: str, user: str | None, database: str | None) -> None:
    from neo4j.exceptions import AuthError, ClientError, ServiceUnavailable

    try:
        driver.verify_connectivity()
        with driver.session(database=database) as s:
            s.run("RETURN 1").consume()
    except AuthError:
        driver.close()
        raise StoreError(f"{uri} rejected the credentials for user {user!r} "
                         "(set KG_USER / KG_PASSWORD)") from None
    except ServiceUnavailable as exc:
        driver.close()
        raise StoreError(f"cannot reach a graph store at {uri}: no answer ({_one_line(exc)})") from None
    except ClientError as exc:
        driver.close()
        if "Unauthorized" in (exc.code or "") or "authentication" in str(exc).lower():
            raise StoreError(f"{uri} rejected the credentials for user {user!r} "
                             "(set KG_USER / KG_PASSWORD)") from None
        raise StoreError(f"{uri}: {_one_line(exc)}") from None
    except OSError as exc:
        driver.close()
        raise StoreError(f"cannot reach a graph store at {uri}: {_one_line(exc)}") from None


def _open_remote(uri: str, user=None, password=None, database=None) -> GraphStore:
    user = user or os.environ.get("KG_USER") or os.environ.get("NEO4J_USERNAME") or "neo4j"
    if password is None:
        password = os.environ.get("KG_PASSWORD") or os.environ.get("NEO4J_PASSWORD")
    database = database or os.environ.get("KG_DATABASE") or None
    auth = (user, password) if password is not None else None
    driver = _driver(uri, auth, notifications_min_severity="OFF")
    _verify(driver, uri, user, database)
    store = GraphStore(driver, engine="neo4j", uri=uri, database=database)
    _ensure_schema(store)
    return store


def _open_embedded(path: str) -> GraphStore:
    from . import embedded

    server = embedded.acquire(path)
    try:
        driver = _driver(server.uri, server.auth)
        server.drivers.add(driver)
        _verify(driver, server.uri, embedded.USER, embedded.DATABASE)
        store = GraphStore(driver, engine="embedded", uri=f"embedded:{server.root}",
                           database=embedded.DATABASE, server=server)
    except BaseException:
        embedded.release(server)
        raise
    _ensure_schema(store)
    return store


def _ensure_schema(store: GraphStore) -> None:
    try:
        store.schema.ensure()
        # A store with its ranking was written by a version that keeps workloads, the ranking and the copies at
        # load time: only a store from before needs them counted (checking workloads at every open scanned every
        # unit, ~0.4 s at 10,000 plans; the copies, every deadline: ~0.2-0.7 s).
        if not ranking.present(store):
            workload.ensure(store)
            ranking.ensure(store)
            copies.ensure(store)
    except StoreError:
        store.close()
        raise
    except Exception as exc:
        store.close()
        raise StoreError(f"{store.uri}: cannot create the schema (constraints and indexes): {_one_line(exc)}") from None
