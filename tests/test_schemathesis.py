"""The OpenAPI schema says what the API enforces: schemathesis generates requests for every operation
from /openapi.json (bounded number of examples, all its checks: no server errors, status codes, content
types, response schemas and headers, negative data rejected, positive data accepted, …) and calls the app
with an admin token (auth on). Embedded store with a small plan loaded.

One exception, documented: for the two file uploads (/api/upload, /api/import/tasks.xlsx) a schema can
say "a file" but not "a readable plan" or "an exported .xlsx", so for random bytes they answer a
documented 4xx instead of 2xx; the positive-data check is not applied to them, and their status is
checked to be one of the documented ones instead."""
from __future__ import annotations

import os

import pytest

schemathesis = pytest.importorskip("schemathesis")

MAX_EXAMPLES = int(os.environ.get("KG_SCHEMATHESIS_EXAMPLES", "12"))
FILE_ROUTES = {"POST /api/upload", "POST /api/import/tasks.xlsx"}


@pytest.fixture
def contract_app(embedded_store, tmp_path, monkeypatch):
    import kg.qa.indexing
    from conftest import _store_state
    from kg.api.app import create_app
    from kg.extract import extract_file
    from kg.supervision.accounts import Accounts
    from test_duban_api import PLAN_V1

    monkeypatch.setattr(kg.qa.indexing, "index_new_tasks", lambda store: {"embedded": 0, "aligned": 0})
    embedded_store.clear()
    _store_state["embedded"]["generation"] += 1  # the seeded fixture loads the seeds again after this
    p = tmp_path / "v1.txt"
    p.write_text(PLAN_V1, encoding="utf-8")
    embedded_store.load_plan(extract_file(p))
    acc = Accounts(tmp_path / "accounts.sqlite3")
    token = acc.add("admin", "admin")
    app = create_app(embedded_store, ui=False, accounts=acc)
    from fastapi.testclient import TestClient

    # the first question loads the embedding model: do it before timed requests
    assert TestClient(app).post("/api/ask", json={"question": "县住建局负责哪些任务"},
                                headers={"Authorization": f"Bearer {token}"}).status_code == 200
    return app, token


def test_every_operation_keeps_its_contract(contract_app):
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import CHECKS
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    app, token = contract_app
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    auth = {"Authorization": f"Bearer {token}"}
    failures, calls = {}, {"n": 0}
    ops = [op.ok() for op in schema.get_all_operations()]
    assert len(ops) >= 20
    for op in ops:
        file_route = op.label in FILE_ROUTES

        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=op.as_strategy())
        def run(case):
            calls["n"] += 1
            if file_route:
                resp = case.call(headers=auth)
                case.validate_response(resp, excluded_checks=[positive_data_acceptance])
                assert resp.status_code in (200, 400, 413, 415, 422), resp.text
            else:
                case.call_and_validate(headers=auth, timeout=60)

        try:
            run()
        except BaseException as exc:  # schemathesis raises a group of failures
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            failures[op.label] = str(exc)[:1500]
    print(f"schemathesis: {len(ops)} operations, {calls['n']} generated cases, {len(CHECKS.get_all())} checks")
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
