"""Bad input to the store: each gets one clear StoreError line, nothing half-done."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from kg.store import StoreError, open_store

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_py(code: str, **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env, **kw)


def test_bolt_uri_that_does_not_answer():
    uri = f"bolt://127.0.0.1:{free_port()}"
    with pytest.raises(StoreError) as exc:
        open_store(uri, user="neo4j", password="x")
    msg = str(exc.value)
    assert "cannot reach" in msg and uri in msg and "\n" not in msg


def test_unknown_store_kind():
    with pytest.raises(StoreError, match="unknown store"):
        open_store("postgres://localhost/x")


def test_wrong_credentials(neo4j_store):
    from conftest import neo4j_test_settings

    cfg = neo4j_test_settings()
    if not cfg["password"]:
        pytest.skip("the test Neo4j runs without auth")
    with pytest.raises(StoreError) as exc:
        open_store(cfg["uri"], user=cfg["user"], password=cfg["password"] + "-wrong")
    msg = str(exc.value)
    assert "rejected the credentials" in msg and "KG_PASSWORD" in msg and "\n" not in msg


def test_read_only_data_folder(tmp_path, monkeypatch):
    ro = tmp_path / "store"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        if os.geteuid() == 0:  # root writes through permissions: make the write itself fail as on a ro mount
            import errno

            from kg.store import embedded

            def refuse(self, data):
                raise OSError(errno.EROFS, "Read-only file system", str(self))

            monkeypatch.setattr(embedded.Path, "write_bytes", refuse)
        with pytest.raises(StoreError) as exc:
            open_store(f"embedded:{ro}")
        msg = str(exc.value)
        assert "read-only" in msg and str(ro) in msg and "\n" not in msg
        with pytest.raises(StoreError, match="read-only"):
            open_store(f"embedded:{ro / 'sub'}")  # a store folder that would have to be created there
    finally:
        ro.chmod(0o755)


def test_path_that_is_a_file(tmp_path):
    f = tmp_path / "not-a-folder"
    f.write_text("x")
    with pytest.raises(StoreError, match="not a folder"):
        open_store(f"embedded:{f}")


def test_full_disk(tmp_path, monkeypatch):
    import shutil

    from kg.store import embedded

    real = shutil.disk_usage
    monkeypatch.setattr(embedded.shutil, "disk_usage",
                        lambda p: real(p)._replace(free=1024 * 1024))
    with pytest.raises(StoreError, match="disk almost full"):
        open_store(f"embedded:{tmp_path / 'store'}")


def test_second_process_on_same_embedded_folder(embedded_store):
    root = embedded_store.uri.partition(":")[2]
    code = ("from kg.store import open_store, StoreError\n"
            f"try:\n    open_store('embedded:{root}')\nexcept StoreError as e:\n    print('STOREERROR', e)\n")
    proc = run_py(code)
    assert "STOREERROR" in proc.stdout, proc.stdout + proc.stderr
    assert "already open in another process" in proc.stdout and f"pid {os.getpid()}" in proc.stdout
    # and this process still works with it
    assert embedded_store.run("RETURN 1 AS x") == [{"x": 1}]


def test_same_folder_twice_in_one_process_shares_the_server(embedded_store):
    root = embedded_store.uri.partition(":")[2]
    other = open_store(f"embedded:{root}")
    try:
        assert other.run("RETURN 2 AS x") == [{"x": 2}]
    finally:
        other.close()
    assert embedded_store.run("RETURN 3 AS x") == [{"x": 3}]  # closing one handle keeps the server up


def test_closed_store_refuses_calls(tmp_path, embedded_store):
    root = embedded_store.uri.partition(":")[2]
    s = open_store(f"embedded:{root}")
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.run("RETURN 1")


def test_a_read_the_engine_calls_transient_is_tried_again(tmp_path, monkeypatch):
    from neo4j.exceptions import TransientError

    store = open_store(f"embedded:{tmp_path / 'store'}")
    try:
        real, failures = store._session, []

        def flaky(write):
            if len(failures) < 2:
                failures.append(write)
                raise TransientError("try again")
            return real(write)

        monkeypatch.setattr(store, "_session", flaky)
        assert store.run("RETURN 1 AS n") == [{"n": 1}] and len(failures) == 2
        failures.clear()
        monkeypatch.setattr(store, "_session", lambda write: (_ for _ in ()).throw(TransientError("again")))
        with pytest.raises(TransientError):
            store.run("RETURN 1 AS n")
    finally:
        store.close()


def test_jvm_collector_yields_to_one_named():
    """The embedded engine's JVM gets the throughput collector unless KG_EMBEDDED_JVM_ARGS names one (the JVM
    refuses two collectors)."""
    from kg.store.embedded import JVM_COLLECTOR, _collector

    assert _collector([]) == [JVM_COLLECTOR]
    assert _collector(["-Xlog:gc", "-XX:-DisableExplicitGC"]) == [JVM_COLLECTOR]
    assert _collector(["-XX:+UseG1GC"]) == []
    assert _collector(["-XX:+UseZGC"]) == []
