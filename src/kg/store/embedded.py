"""The embedded engine: ArcadeDB (the `arcadedb-embedded` package, its own Java runtime) started
in this process with its Bolt plugin on a free 127.0.0.1 port. The official neo4j driver then talks
to it exactly as to a Neo4j server.

One server per data folder per process (opening the same folder twice shares it); a lock file keeps
a second process out with a clear message. Servers are stopped at interpreter exit.
"""
from __future__ import annotations

import atexit
import errno
import fcntl
import os
import secrets
import shutil
import socket
import sys
import threading
import weakref
from pathlib import Path

from .errors import StoreError

DATABASE = "policykg"
USER = "root"
LOCK_NAME = "policykg.lock"
SECRET_NAME = ".policykg-secret"
MIN_FREE_BYTES = 64 * 1024 * 1024

# JPype links the two garbage collectors: when Python's heap grows it calls System.gc() (a stop-the-world
# full collection of the 4 GB Java heap), and each Java collection makes it run a full Python collection
# (the second half is cut in _unlink_collectors).
# Loading 1,000 plans that cost 27 full Java GCs (4.9 s of pauses) and ~4 CPU s of Python collections,
# about a third of the load's CPU (bench/bench_load.py). Python holds next to no Java objects here (the
# engine is reached over Bolt) and ArcadeDB itself never calls System.gc() nor uses direct buffers, so
# explicit collections are switched off; the JVM still collects on its own schedule.
# KG_EMBEDDED_JVM_ARGS (space-separated) comes after these and wins, e.g. "-XX:-DisableExplicitGC".
JVM_GC_ARGS = ("-XX:+DisableExplicitGC",)
# The throughput collector, not the JVM's default G1 (issue 11, round 8): a full-text search on a common
# bigram (治理: 71,000 postings) builds hash maps of ~100,000 entries, and G1's young collections copied them
# in 100-400 ms pauses (it sizes the young generation for its 200 ms pause goal), 35 pauses and 2.5 s for 96
# searches against 6 and 0.1 s with this collector; the same searches' median 248 -> 131 ms, worst 410 ->
# 180 ms (bench/results/qa-10k-round8-*.json). A collector named in KG_EMBEDDED_JVM_ARGS replaces it.
JVM_COLLECTOR = "-XX:+UseParallelGC"

# The JVM writes its unified-logging warnings to stdout (a start-up cache it cannot use, for instance): they
# must not end up in `policykg ask --json` output. Errors that stop the JVM still surface as exceptions.
JVM_QUIET_ARGS = ("-Xlog:aot*=off", "-Xlog:cds*=off")

_servers: dict[str, "EmbeddedServer"] = {}
_registry_lock = threading.Lock()
_jvm_ready = False


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_logging_config(root: Path) -> Path:
    """java.util.logging config: warnings to a file inside the data folder, only severe errors on the
    console (ArcadeDB otherwise logs INFO lines to stderr and to ./log of the working directory)."""
    logdir = root / "log"
    logdir.mkdir(parents=True, exist_ok=True)
    path = logdir / "logging.properties"
    pattern = str(logdir / "arcadedb.log").replace("\\", "/")
    path.write_text(
        "handlers = java.util.logging.ConsoleHandler, java.util.logging.FileHandler\n"
        ".level = INFO\n"
        "io.undertow.level = WARNING\norg.xnio.level = WARNING\norg.jboss.level = WARNING\n"
        "java.util.logging.ConsoleHandler.level = SEVERE\n"
        "java.util.logging.FileHandler.level = INFO\n"
        f"java.util.logging.FileHandler.pattern = {pattern}\n"
        "java.util.logging.FileHandler.limit = 10000000\n"
        "java.util.logging.FileHandler.count = 2\n"
        "java.util.logging.FileHandler.formatter = java.util.logging.SimpleFormatter\n",
        encoding="utf-8",
    )
    return path


# Java heap for KG_EMBEDDED_HEAP=auto (what `policykg ask` uses unless it is set), from the size of the
# store's files instead of a fixed 4 GB (issue 11: a process <= 3 GB). One question at a time fits in it;
# many at once do not: serving 50 clients' new questions on 10,000 plans with this heap (1.75 GB) ran 7 full
# collections and answered 23 questions/s against 125 with 4 GB (issue 11, round 7), so `policykg serve`
# keeps 4 GB unless told otherwise. Loading and indexing thousands of plans in one process (`policykg load`,
# the benchmarks) keeps 4 GB too: the size of the store before such a load says nothing about what it will
# need. Measured on the 10,000-plan store (1.2 GB of database files): the heap holds ~0.8-0.95 GB after a
# full collection once it has served questions (page cache, vector index, query plans); the engine's page
# cache takes a quarter of the heap. HEAP_BASE_MB covers an empty store's load transactions (50 plans) and
# index builds; each MB of database files adds HEAP_PER_MB.
HEAP_BASE_MB = 1024
HEAP_PER_MB = 0.5
HEAP_MAX_MB = 4096


def default_heap(root: Path) -> str:
    size = 0
    for dirpath, _dirs, files in os.walk(root / "databases"):
        for name in files:
            try:
                size += os.stat(os.path.join(dirpath, name)).st_size
            except OSError:
                pass
    mb = HEAP_BASE_MB + HEAP_PER_MB * size / (1024 * 1024)
    mb = min(HEAP_MAX_MB, -(-int(mb) // 256) * 256)  # whole 256 MB steps: a few distinct start-up caches
    return f"{mb}m"


def _collector(extra: list[str]) -> list[str]:
    """JVM_COLLECTOR, unless the extra flags choose one (the JVM refuses two: -XX:+UseG1GC, -XX:+UseZGC…)."""
    chosen = any(a.startswith("-XX:+Use") and a.endswith("GC") for a in extra)
    return [] if chosen else [JVM_COLLECTOR]


def _start_jvm(root: Path) -> None:
    global _jvm_ready
    if _jvm_ready:
        return
    logging_cfg = _write_logging_config(root)
    os.environ.setdefault("ARCADEDB_JVM_ERROR_FILE", str(root / "log" / "hs_err_%p.log"))
    from arcadedb_embedded.jvm import start_jvm

    from . import jvm_cache

    heap = os.environ.get("KG_EMBEDDED_HEAP") or "4g"
    if heap == "auto":  # `policykg ask`: sized from the store (serving and bulk loads keep 4 GB, see default_heap)
        heap = default_heap(root)
    cache = jvm_cache.jvm_args()
    extra = os.environ.get("KG_EMBEDDED_JVM_ARGS", "").split()
    try:
        with _quiet_stderr():
            start_jvm(heap_size=heap, jvm_args=[f"-Djava.util.logging.config.file={logging_cfg}", *JVM_GC_ARGS,
                                                *_collector(extra), *cache, *JVM_QUIET_ARGS, *extra])
    except Exception as exc:  # the JVM may already run (another ArcadeDB user in this process)
        import jpype

        if not jpype.isJVMStarted():
            raise StoreError(f"cannot start the embedded engine's Java runtime: {exc}") from exc
    _unlink_collectors()
    atexit.register(_stop_all)
    _jvm_ready = True
    if not cache:
        jvm_cache.ensure_in_background()  # the next start reads it


def _unlink_collectors() -> None:
    """Cut JPype's link from Java's garbage collector to Python's (see JVM_GC_ARGS). JPype runs a full
    Python collection each time Java collects its sentinel object, and that costs in proportion to every
    Python object alive: 11 CPU s while loading 2,000 plans in a process holding 700,000 objects. The
    link's state is driven by its `gc.callbacks` hook; without the hook it fires at most once. Python
    and Java still collect their own garbage; only JPype's cross-triggering stops."""
    import gc

    try:
        import _jpype

        hook = _jpype._collect
    except (ImportError, AttributeError):  # another JPype: leave it as it is
        return
    gc.callbacks[:] = [cb for cb in gc.callbacks if cb is not hook]


class _quiet_stderr:
    """Hide the JVM's start-up notice ("WARNING: Using incubator modules: jdk.incubator.vector", written
    to file descriptor 2); anything else it writes there is passed on."""

    def __enter__(self):
        import tempfile

        try:
            sys.stderr.flush()
            self._saved = os.dup(2)
            self._tmp = tempfile.TemporaryFile()
            os.dup2(self._tmp.fileno(), 2)
        except (OSError, ValueError):
            self._saved = None
        return self

    def __exit__(self, *exc):
        if self._saved is None:
            return False
        os.dup2(self._saved, 2)
        os.close(self._saved)
        self._tmp.seek(0)
        text = self._tmp.read().decode("utf-8", "replace")
        self._tmp.close()
        rest = [ln for ln in text.splitlines() if ln.strip() and "incubator modules" not in ln]
        if rest:
            sys.stderr.write("\n".join(rest) + "\n")
        return False


def _check_folder(root: Path) -> None:
    """Clear one-line errors for a folder the engine could not use."""
    if root.exists() and not root.is_dir():
        raise StoreError(f"embedded store path {root} is not a folder")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise StoreError(f"embedded store folder {root} cannot be created: the location is read-only "
                             f"({exc.strerror})") from None
        raise StoreError(f"embedded store folder {root} cannot be created: {exc.strerror or exc}") from None
    probe = root / f".write-test-{os.getpid()}"
    try:
        probe.write_bytes(b"x")
        probe.unlink()
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise StoreError(f"embedded store folder {root}: no space left on the device") from None
        raise StoreError(f"embedded store folder {root} is read-only (cannot write there: "
                         f"{exc.strerror or exc})") from None
    free = shutil.disk_usage(root).free
    if free < MIN_FREE_BYTES:
        raise StoreError(f"embedded store folder {root}: disk almost full "
                         f"({free // (1024 * 1024)} MB free, need at least {MIN_FREE_BYTES // (1024 * 1024)} MB)")


class EmbeddedServer:
    """An ArcadeDB server on one data folder, with the Bolt plugin on 127.0.0.1:<free port>."""

    def __init__(self, root: Path):
        self.root = root
        self.refs = 0
        self.port: int | None = None
        self.password: str | None = None
        self._lock_fh = None
        self._server = None
        self._db = None
        self.drivers = weakref.WeakSet()  # drivers talking to this server: closed before it stops

    # ---------------------------------------------------------------- lifecycle
    def _take_lock(self) -> None:
        path = self.root / LOCK_NAME
        fh = open(path, "a+")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown"
            fh.close()
            raise StoreError(f"embedded store {self.root} is already open in another process (pid {holder}); "
                             "stop that process or point --store/KG_STORE at a Neo4j server") from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._lock_fh = fh

    def _release_lock(self) -> None:
        if self._lock_fh is not None:
            try:
                self._lock_fh.seek(0)
                self._lock_fh.truncate()
                fcntl.flock(self._lock_fh.fileno(), fcntl.LOCK_UN)
            except OSError:
                pass
            self._lock_fh.close()
            self._lock_fh = None

    def _secret(self) -> str:
        """Root password of this folder's server, made on first use and kept in the folder (0600)."""
        path = self.root / SECRET_NAME
        users = self.root / "config" / "server-users.jsonl"
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        if users.exists():  # secret lost: let the engine create the root user again
            users.unlink()
        pw = secrets.token_urlsafe(24)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(pw)
        return pw

    def start(self) -> None:
        _check_folder(self.root)
        self._take_lock()
        try:
            _start_jvm(self.root)
            self.password = self._secret()
            last = None
            for _ in range(3):  # a free port can be taken between probing and binding: try again
                self.port = _free_port()
                try:
                    self._start_server()
                    last = None
                    break
                except StoreError as exc:
                    last = exc
                    if "Address already in use" not in str(exc) and "BindException" not in str(exc):
                        raise
            if last:
                raise last
        except BaseException:
            self._release_lock()
            raise

    def _start_server(self) -> None:
        import arcadedb_embedded as adb

        config = {
            "http_port": _free_port(),
            "host": "127.0.0.1",
            "server_plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
            "bolt_port": self.port,
        }
        try:
            server = adb.create_server(str(self.root), root_password=self.password, config=config)
            server.start()
        except Exception as exc:
            raise StoreError(f"embedded store {self.root} could not start: {_one_line(exc)}") from None
        self._server = server
        try:
            self._db = server.create_database(DATABASE)  # opens it when it exists
        except Exception as exc:
            self._stop_server()
            raise StoreError(f"embedded store {self.root}: database cannot be opened: {_one_line(exc)}") from None

    def _stop_server(self) -> None:
        if self._server is not None:
            try:
                self._server.stop()
            except Exception:
                pass
            self._server = None
            self._db = None

    def stop(self) -> None:
        # the Bolt listener waits for open connections on shutdown: close the drivers first
        for driver in list(self.drivers):
            try:
                driver.close()
            except Exception:
                pass
        self._stop_server()
        self._release_lock()

    # ---------------------------------------------------------------- access
    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def auth(self) -> tuple[str, str]:
        return (USER, self.password or "")

    def sql(self, command: str) -> list:
        """Run one SQL command in-process (DDL the Cypher dialect cannot express)."""
        rs = self._db.command("sql", command)
        return list(rs) if rs is not None else []

    def java_database(self):
        return self._db.get_java_database()

    def sql_query(self, query: str) -> list[dict]:
        out = []
        for row in self._db.query("sql", query):
            out.append(row.to_dict() if hasattr(row, "to_dict") else row)
        return out


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:300]


def acquire(path: str | os.PathLike) -> EmbeddedServer:
    root = Path(path).expanduser().resolve()
    key = str(root)
    with _registry_lock:
        srv = _servers.get(key)
        if srv is None:
            srv = EmbeddedServer(root)
            srv.start()
            _servers[key] = srv
        srv.refs += 1
        return srv


def release(srv: EmbeddedServer) -> None:
    with _registry_lock:
        srv.refs -= 1
        if srv.refs <= 0:
            _servers.pop(str(srv.root), None)
            srv.stop()


def _stop_all() -> None:
    """Stop every server this process started. Registered right after the JVM starts, so (atexit being
    last-in first-out) it runs before JPype shuts the JVM down."""
    for srv in list(_servers.values()):
        try:
            srv.stop()
        except Exception:
            pass
    _servers.clear()
