"""Shared test fixtures. Real plans live in ../shared (beside the clone); without it the tests that
need them skip with a reason, except under CI where ../shared is always present and they must run."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"
SAMPLES = ROOT / "loaders" / "samples"
IN_CI = os.environ.get("CI") == "true"


def need_shared(path: Path) -> Path:
    """Return `path`, or skip (fail under CI) when ../shared is not beside the clone."""
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} missing: CI must have ../shared beside the clone")
        pytest.skip(f"{path} not found: real plans are read from ../shared, which is not beside this clone")
    return path


def seed(prefix: str) -> Path:
    """Seed file by its number prefix, e.g. seed('001')."""
    folder = need_shared(SEEDS)
    matches = sorted(folder.glob(f"{prefix}_*.txt"))
    assert matches, f"no seed {prefix} in {folder}"
    return matches[0]


# ---------------------------------------------------------------- graph store fixtures (kg.store)
# `graph_store`: an empty store, once per engine ("embedded", "neo4j"), cleared before each test.
# `seeded_store`: the five seed plans loaded, once per engine (loaded again only if a graph_store test
# cleared it in between). One embedded server and one Neo4j connection serve the whole session.
# Neo4j comes from test-support/neo4j/start.sh (KG_TEST_NEO4J_URI/_USER/_PASSWORD): without it the
# neo4j half skips locally and fails under CI.
STORE_ENGINES = ["embedded", "neo4j"]
_store_state: dict[str, dict] = {e: {"generation": 0, "seeded": None} for e in STORE_ENGINES}


@pytest.fixture(scope="session")
def embedded_store(tmp_path_factory):
    from kg.store import open_store

    store = open_store("embedded:" + str(tmp_path_factory.mktemp("embedded-store")))
    yield store
    store.close()


def neo4j_test_settings() -> dict | None:
    uri = os.environ.get("KG_TEST_NEO4J_URI")
    if not uri:
        return None
    return {"uri": uri, "user": os.environ.get("KG_TEST_NEO4J_USER", "neo4j"),
            "password": os.environ.get("KG_TEST_NEO4J_PASSWORD")}


@pytest.fixture(scope="session")
def neo4j_store():
    from kg.store import open_store

    cfg = neo4j_test_settings()
    if cfg is None:
        if IN_CI:
            pytest.fail("KG_TEST_NEO4J_URI is not set: CI must run Neo4j (eval \"$(bash test-support/neo4j/start.sh)\")")
        pytest.skip("no Neo4j for tests: run eval \"$(bash test-support/neo4j/start.sh)\" to include it")
    store = open_store(cfg["uri"], user=cfg["user"], password=cfg["password"])
    yield store
    store.close()


def _engine_store(request, engine: str):
    return request.getfixturevalue(f"{engine}_store")


@pytest.fixture(params=STORE_ENGINES)
def graph_store(request):
    store = _engine_store(request, request.param)
    store.clear()
    _store_state[request.param]["generation"] += 1
    yield store


def seed_plans() -> list:
    from kg.extract import extract_file

    need_shared(SEEDS)
    return [extract_file(p) for p in sorted(SEEDS.glob("0*_*.txt"))]


@pytest.fixture(params=STORE_ENGINES)
def seeded_store(request):
    store = _engine_store(request, request.param)
    state = _store_state[request.param]
    if state["seeded"] != state["generation"]:
        plans = seed_plans()
        store.clear()
        for plan in plans:
            store.load_plan(plan)
        state["generation"] += 1
        state["seeded"] = state["generation"]
    yield store
