"""`policykg load | stats | export | validate | analytics` on both engines."""
from __future__ import annotations

import json
import sys

import pytest

from kg.cli import main


def store_args(store, monkeypatch) -> list[str]:
    if store.engine == "neo4j":
        from conftest import neo4j_test_settings

        cfg = neo4j_test_settings()
        monkeypatch.setenv("KG_USER", cfg["user"])
        if cfg["password"]:
            monkeypatch.setenv("KG_PASSWORD", cfg["password"])
    return ["--store", store.uri]


def test_load_files_and_folders_goes_on_after_bad_files(graph_store, tmp_path, capsys, monkeypatch):
    from conftest import seed

    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "a.txt").write_text(seed("004").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"not a pdf")
    (folder / "empty.txt").write_text("")
    code = main(["load", str(folder), str(seed("001")), str(tmp_path / "missing.txt"), "--no-embed",
                 *store_args(graph_store, monkeypatch)])
    out = capsys.readouterr().out
    lines = [ln for ln in out.splitlines() if ln.startswith(("ok", "error"))]
    assert code == 0
    assert len(lines) == 5, out
    assert sum(ln.startswith("ok") for ln in lines) == 2
    assert any("broken.pdf" in ln and ln.startswith("error") for ln in lines)
    assert any("missing.txt" in ln and ln.startswith("error") for ln in lines)
    assert "2 loaded, 3 failed" in out
    assert graph_store.stats()["documents"]["loaded"] == 2


def test_load_fails_only_when_every_file_fails(graph_store, tmp_path, capsys, monkeypatch):
    (tmp_path / "empty.txt").write_text("")
    code = main(["load", str(tmp_path / "empty.txt"), "--no-embed", *store_args(graph_store, monkeypatch)])
    assert code == 1
    assert "0 loaded, 1 failed" in capsys.readouterr().out


def test_load_calls_indexing_when_present(graph_store, tmp_path, capsys, monkeypatch):
    import types

    from conftest import seed

    called = []
    fake = types.ModuleType("kg.qa.indexing")
    fake.index_new_tasks = lambda store: called.append(store.engine) or {"embedded": 0, "aligned": 0}
    monkeypatch.setitem(sys.modules, "kg.qa.indexing", fake)
    assert main(["load", str(seed("004")), *store_args(graph_store, monkeypatch)]) == 0
    assert called == [graph_store.engine]
    monkeypatch.setitem(sys.modules, "kg.qa.indexing", None)  # module missing: load still works
    assert main(["load", str(seed("004")), *store_args(graph_store, monkeypatch)]) == 0
    assert "indexed" not in capsys.readouterr().out.splitlines()[-2]


def test_stats_export_validate_analytics(seeded_store, tmp_path, capsys, monkeypatch):
    args = store_args(seeded_store, monkeypatch)
    assert main(["stats", "--json", *args]) == 0
    st = json.loads(capsys.readouterr().out)
    assert st["documents"]["loaded"] == 5 and st["nodes"]["Task"] == seeded_store.stats()["nodes"]["Task"]
    assert main(["stats", *args]) == 0
    assert "documents: 5 loaded" in capsys.readouterr().out

    out = tmp_path / "kg.ttl"
    assert main(["export", "--format", "ttl", "-o", str(out), *args]) == 0
    from rdflib import Graph

    g = Graph().parse(out, format="turtle")
    assert len(g) > 1000
    assert main(["export", "--format", "jsonld", *args]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["@graph"]

    assert main(["validate", "--json", *args]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["warnings"] > 0  # seed plans have tasks that name no unit
    assert main(["analytics", "--json", "--top", "5", *args]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["unit_load"] and res["tasks_without_lead"]["count"] >= 0


def test_bad_store_gives_one_line(capsys):
    assert main(["stats", "--store", "bolt://127.0.0.1:9"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("policykg stats:") and "\n" not in err
