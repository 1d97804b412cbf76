"""The embedded engine's JVM start-up cache (JDK 25 AOT cache, JEP 483/514): the classes of ArcadeDB,
Lucene, Netty and the JDK that opening a store loads, stored parsed, verified and linked in one file.

Why: on 2 cores opening the 10,000-plan store (JVM, ArcadeDB server, Bolt, first Cypher query, schema)
cost 4.6-5.3 s of CPU, most of it loading and verifying classes; with the cache 3.1-3.5 s (issue 11:
first answer after start <= 5 s). The bundled runtime is jlinked without the JDK's own class-data
archive, so without this file nothing is shared at all.

    args = jvm_cache.jvm_args()        # ["-XX:AOTCache=FILE"] when the file exists, else []
    jvm_cache.ensure_in_background()   # writes it once, in another process, if missing

The file is made by a separate short process (`python -m kg.store.jvm_cache FILE`) that opens an
empty temporary store with `-XX:AOTCacheOutput` and exits: the JVM writes the cache as it exits, so it
cannot be the serving process (which may be killed) nor touch the user's store. It is written under a
temporary name and renamed, so two starts never read a half-written file. Its name carries a hash of the
engine's jars (names, sizes, times) and the runtime's release file, so another engine version makes a new
one (the JVM would refuse a cache from another class path anyway). The heap size is not part of it: a
cache written with one heap was used by JVMs started with others (1.25-4 GB).
KG_JVM_CACHE=1 turns it on (off by default, see enabled()); it lives in KG_MODEL_CACHE (default
~/.cache/policykg/).
"""
from __future__ import annotations

import glob
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path


# What the cache holds besides classes. "classes": no method profiles (-XX:-AOTRecordTraining). By default
# JDK 25 also stores the training run's method profiles (JEP 515) and the JIT compiles from them at once; the
# training run opens an empty store, so those profiles describe none of a real store's queries, and serving
# 10,000 plans measured 10-20% more CPU for the same questions with them (issue 11, round 7). Part of the
# file's name: a cache written with profiles is never read again.
FORMAT = "classes"
TRAINING_ARGS = ("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTRecordTraining")


def enabled() -> bool:
    """Off unless KG_JVM_CACHE=1: on the 10,000-plan store the same 400 questions cost the server 59-75 CPU-s
    with the cache (6 runs, with or without its method profiles) against 53-61 without it and 52-61 for main
    (issue 11, round 7), for 2-3 s less until the first answer. Serving throughput comes first."""
    return os.environ.get("KG_JVM_CACHE", "0") not in ("0", "false", "no", "")


def _cache_dir() -> Path:
    base = os.environ.get("KG_MODEL_CACHE")
    return Path(base).expanduser() if base else Path.home() / ".cache" / "policykg"


def cache_file() -> Path | None:
    """Where the cache for this engine and heap is kept; None when the engine's files cannot be found."""
    try:
        from arcadedb_embedded.jvm import get_jar_path

        jars = sorted(glob.glob(os.path.join(get_jar_path(), "*.jar")))
        import arcadedb_embedded

        release = Path(arcadedb_embedded.__file__).parent / "jre" / "release"
    except Exception:
        return None
    h = hashlib.sha1(get_jar_path().encode())  # the cache records the class path: one per installation
    h.update(FORMAT.encode())
    for j in jars:
        st = os.stat(j)
        h.update(f"{os.path.basename(j)}:{st.st_size}:{int(st.st_mtime)}\n".encode())
    if release.exists():
        h.update(release.read_bytes())
    h.update(sys.version.encode())  # JPype's own classes come from the interpreter's site-packages
    return _cache_dir() / f"arcadedb-{h.hexdigest()[:16]}.aot"


def jvm_args() -> list[str]:
    if not enabled():
        return []
    path = cache_file()
    return [f"-XX:AOTCache={path}"] if path is not None and path.exists() else []


def ensure_in_background() -> None:
    """Start the process that writes the cache when it is missing (nothing waits for it)."""
    if not enabled() or os.environ.get("KG_JVM_CACHE_TRAINING"):
        return
    path = cache_file()
    if path is None or path.exists():
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, KG_JVM_CACHE_TRAINING="1")
        subprocess.Popen([sys.executable, "-m", "kg.store.jvm_cache", str(path)], env=env,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True, preexec_fn=lambda: os.nice(10))
    except OSError:
        pass


def _train(path: Path) -> int:
    """Open an empty store the way a server does (schema, a Cypher read, a full-text and a vector
    search) with -XX:AOTCacheOutput, then exit so that the JVM writes the cache; rename it into place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    os.environ["KG_EMBEDDED_HEAP"] = "1g"
    os.environ["KG_EMBEDDED_JVM_ARGS"] = " ".join([os.environ.get("KG_EMBEDDED_JVM_ARGS", ""), *TRAINING_ARGS,
                                                   f"-XX:AOTCacheOutput={tmp}"]).strip()
    import atexit
    import shutil

    from kg.store import open_store

    folder = tempfile.mkdtemp(prefix="policykg-jvm-cache-")

    def finish():  # registered before the JVM starts, so it runs after the JVM wrote the file (LIFO)
        shutil.rmtree(folder, ignore_errors=True)
        if tmp.exists() and tmp.stat().st_size > 0:
            os.replace(tmp, path)
        tmp.with_name(tmp.name + ".config").unlink(missing_ok=True)

    atexit.register(finish)
    store = open_store(f"embedded:{folder}")
    try:
        store.run("MATCH (t:Task) RETURN t.id AS id LIMIT 1", {})
        store.fulltext_tasks("工作 任务", 10)
        store.set_task_embeddings([("x", [1.0] + [0.0] * 7)])
        store.vector_tasks([1.0] + [0.0] * 7, 1)
    except Exception:
        pass
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(_train(Path(sys.argv[1])))
