"""HTTP API: every route, good and bad input. Runs against the shared `seeded_store` (seeds 000–004);
bad input must give a clear 4xx with a Chinese and an English message and leave the store unchanged."""
from __future__ import annotations

import io
import zipfile
from urllib.parse import quote

import pytest

UNIT = "矿区环保中队"
SEED_DOC = "no:送管发〔2019〕18号"


@pytest.fixture
def store(seeded_store):
    """The seeds, on each engine the conftest offers (embedded always; Neo4j when configured)."""
    return seeded_store


_apps: dict[int, object] = {}


@pytest.fixture
def client(store):
    from fastapi.testclient import TestClient

    from kg.api.app import create_app

    app = _apps.get(id(store))
    if app is None:
        app = _apps[id(store)] = create_app(store, ui=False)
    return TestClient(app)


def snapshot(store) -> dict:
    """Everything a bad request could have touched."""
    return {"stats": store.stats(),
            "docs": sorted(r["d"] for r in store.run("MATCH (d:Document) RETURN d.doc_id AS d", {}))}


def assert_error(r, status: int, code: str | None = None):
    assert r.status_code == status, r.text
    body = r.json()
    assert body["message"] and body["message_en"], body
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body  # Chinese message
    if code:
        assert body["error"] == code, body
    return body


# ---------------------------------------------------------------- health, docs
def test_health(client):
    r = client.get("/api/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["engine"] in ("embedded", "neo4j")
    assert body["counts"]


def test_openapi_lists_every_route(client):
    paths = client.get("/openapi.json").json()["paths"]
    for p in ["/api/ask", "/api/analytics", "/api/units", "/api/units/{name}/tasks", "/api/tasks/{task_id}", "/api/documents",
              "/api/documents/{doc_id}", "/api/graph", "/api/upload", "/api/export", "/api/health"]:
        assert p in paths, p
    assert client.get("/docs").status_code == 200


# ---------------------------------------------------------------- ask
def test_ask_unit_tasks_with_evidence_and_follow_up(client):
    r = client.post("/api/ask", json={"question": f"{UNIT}负责哪些任务"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["intent"] == "unit_tasks"
    assert "$" in body["cypher"] and UNIT not in body["cypher"]  # parameters only
    heads = [a.get("heading") or "" for a in body["answers"]]
    assert any("加快燃煤锅炉拆改" in h for h in heads)
    ev = body["answers"][0]["evidence"]
    assert ev and ev[0]["quote"] and ev[0]["doc_id"] == SEED_DOC
    follow = client.post("/api/ask", json={"question": "这个任务的截止时间呢？", "context": body["context"],
                                           "today": "2019-06-01"})
    assert follow.status_code == 200, follow.text
    answer = follow.json()
    # the follow-up reads the task from the context; when it sets no time limit that is said, about that task
    if answer["intent"] == "not_answerable":
        assert "没有写明完成时限" in answer["text"] and answer["answers"] == []
    else:
        assert answer["intent"] == "task_deadline" and answer["answers"]


@pytest.mark.parametrize("payload,status,code", [
    ({"question": ""}, 422, "empty_question"),
    ({"question": "   "}, 422, "empty_question"),
    ({}, 422, "empty_question"),
    ({"question": "问" * 501}, 422, "question_too_long"),
    ({"question": "矿区环保中队负责哪些任务", "today": "昨天"}, 422, "invalid_request"),
    ({"question": ["矿区环保中队"]}, 422, None),
])
def test_ask_bad_input(client, store, payload, status, code):
    before = snapshot(store)
    assert_error(client.post("/api/ask", json=payload), status, code)
    assert snapshot(store) == before


def test_ask_odd_context_is_ignored_not_fatal(client):
    for ctx in [{"units": 5}, {"tasks": [1, None, "x" * 1000]}, {"documents": "no:x"}, {"intent": ["a"]}]:
        r = client.post("/api/ask", json={"question": "这个任务的截止时间呢？", "context": ctx})
        assert r.status_code == 200, (ctx, r.text)
    assert_error(client.post("/api/ask", json={"question": "谁牵头", "context": "units"}), 422, "invalid_request")


def test_ask_ten_megabyte_question_is_refused_before_parsing(client, store):
    before = snapshot(store)
    big = b'{"question": "' + "问".encode() * (10 * 1024 * 1024 // 3) + b'"}'
    assert_error(client.post("/api/ask", content=big, headers={"content-type": "application/json"}), 413,
                 "request_too_large")
    assert_error(client.post("/api/ask", content=b"{not json", headers={"content-type": "application/json"}), 422)
    assert snapshot(store) == before


def test_ask_injection_text_stays_a_parameter(client, store):
    before = snapshot(store)
    r = client.post("/api/ask", json={"question": "矿区环保中队'}) DETACH DELETE n //负责哪些任务"})
    assert r.status_code == 200
    assert "DELETE" not in r.json()["cypher"]
    assert snapshot(store) == before


def test_ask_again_is_the_same_bytes_until_the_graph_changes(client, store, monkeypatch):
    """A question asked again is sent from the API's cache of answer bodies (no worker thread); a write
    to the graph voids it, as it voids the answer cache."""
    from kg.service import Service

    calls = []
    real = Service.ask
    monkeypatch.setattr(Service, "ask", lambda self, *a, **k: calls.append(a) or real(self, *a, **k))
    payload = {"question": f"{UNIT}牵头哪些任务", "today": "2019-08-15"}
    first = client.post("/api/ask", json=payload)
    again = client.post("/api/ask", json=payload)
    assert first.status_code == again.status_code == 200 and first.json()["answers"]
    assert again.content == first.content and len(calls) == 1
    store._bump()  # what every write does
    changed = client.post("/api/ask", json=payload)
    assert changed.content == first.content and len(calls) == 2
    client.post("/api/ask", json=dict(payload, debug=True))  # debug answers are never served from here
    assert len(calls) == 3


# ---------------------------------------------------------------- units
def test_units(client):
    units = client.get("/api/units").json()
    names = {u["name"]: u for u in units}
    assert UNIT in names and names[UNIT]["tasks"] > 0
    filtered = client.get("/api/units", params={"q": "环保中队"}).json()
    assert filtered and all("环保中队" in u["name"] or any("环保中队" in a for a in u["aliases"]) for u in filtered)


def test_unit_tasks(client):
    r = client.get(f"/api/units/{quote(UNIT)}/tasks")
    assert r.status_code == 200
    body = r.json()
    assert body["unit"]["name"] == UNIT
    boiler = [t for t in body["tasks"] if "加快燃煤锅炉拆改" in (t["heading"] or "")]
    assert boiler and boiler[0]["roles"] == ["responsible"] and boiler[0]["doc_id"] == SEED_DOC
    assert "2019年10月底前" in boiler[0]["deadlines"]
    quotes = [e["quote"] for e in boiler[0]["evidence"]]
    assert any("加快燃煤锅炉拆改" in q for q in quotes) and UNIT in quotes


def test_unknown_unit_is_404(client):
    body = assert_error(client.get(f"/api/units/{quote('不存在的单位')}/tasks"), 404, "not_found")
    assert "不存在的单位" in body["message"]


# ---------------------------------------------------------------- tasks
@pytest.fixture
def boiler_task_id(client):
    tasks = client.get(f"/api/units/{quote(UNIT)}/tasks").json()["tasks"]
    return next(t["task_id"] for t in tasks if "加快燃煤锅炉拆改" in (t["heading"] or ""))


def test_task_detail_with_evidence_and_trace(client, boiler_task_id):
    r = client.get("/api/tasks/" + quote(boiler_task_id, safe=""))
    assert r.status_code == 200, r.text
    t = r.json()
    assert t["id"] == boiler_task_id and t["doc_id"] == SEED_DOC
    assert "加快燃煤锅炉拆改" in t["evidence"]["quote"]
    roles = {u["name"]: u["role"] for u in t["units"]}
    assert roles.get(UNIT) == "responsible" and "lead" in roles.values()
    assert any(d["text"] == "2019年10月底前" and d["date"] == "2019-10-31" for d in t["deadlines"])
    assert t["trace"]["tree"]["doc_id"] == SEED_DOC
    assert t["trace"]["highest"]["doc_id"]
    assert t["parent_task"] is not None


def test_unknown_task_is_404(client):
    assert_error(client.get("/api/tasks/" + quote("no:不存在〔2019〕1号#一、", safe="")), 404, "not_found")


# ---------------------------------------------------------------- documents
def test_documents_and_detail(client):
    docs = client.get("/api/documents").json()
    ids = {d["doc_id"]: d for d in docs}
    assert SEED_DOC in ids and ids[SEED_DOC]["tasks"] > 0 and not ids[SEED_DOC]["stub"]
    r = client.get("/api/documents/" + quote(SEED_DOC, safe=""))
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["title"] and d["tasks"]
    assert d["parents"], "seed 001 implements 登办〔2019〕10号"
    assert any("登办〔2019〕10号" == (p.get("doc_no") or "") for p in d["parents"])
    assert d["trace"]["tree"]["parents"]
    stub = next(p for p in d["parents"] if p["stub"])
    kids = client.get("/api/documents/" + quote(stub["doc_id"], safe="")).json()["children"]
    assert SEED_DOC in {c["doc_id"] for c in kids}


def test_unknown_document_is_404(client):
    assert_error(client.get("/api/documents/" + quote("no:不存在〔2019〕1号", safe="")), 404, "not_found")


# ---------------------------------------------------------------- graph
def check_graph(g):
    ids = {n["id"] for n in g["nodes"]}
    assert g["nodes"] and g["edges"]
    assert all(e["from"] in ids and e["to"] in ids for e in g["edges"])
    assert {e["role"] for e in g["edges"]} <= {"lead", "responsible", "support"}
    assert {n["kind"] for n in g["nodes"]} <= {"unit", "task"}


def test_graph_for_unit_and_document(client):
    g = client.get("/api/graph", params={"unit": UNIT}).json()
    check_graph(g)
    assert g["center"] == "u:" + UNIT and any(n.get("center") for n in g["nodes"])
    mine = [e for e in g["edges"] if e["from"] == "u:" + UNIT]
    assert len(mine) >= 20 and {e["role"] for e in mine} == {"responsible"}
    g2 = client.get("/api/graph", params={"doc_id": SEED_DOC}).json()
    check_graph(g2)
    assert sum(n["kind"] == "task" for n in g2["nodes"]) >= 20


def test_graph_opens_on_busiest_units_and_narrows_to_a_document(client):
    g = client.get("/api/graph").json()  # neither: the units with the most tasks (the 责任网络 view's start)
    check_graph(g)
    assert g["title"].startswith("任务最多的单位") and sum(n["kind"] == "unit" for n in g["nodes"]) >= 3
    both = client.get("/api/graph", params={"unit": UNIT, "doc_id": SEED_DOC}).json()
    check_graph(both)
    tasks = [n for n in both["nodes"] if n["kind"] == "task"]
    assert tasks and all(n["key"].startswith(SEED_DOC + "#") for n in tasks)
    assert_error(client.get("/api/graph", params={"unit": UNIT, "doc_id": "no:不存在〔2019〕1号"}), 404)


def test_busiest_units_read_the_ranking_as_counting_every_role_edge_would(store):
    from kg.qa.reads import READ
    from kg.service import Service

    counted = store.run(READ("graph_busiest_units"), {"k": 10})
    assert Service(store).busiest_units(10) == counted and len(counted) == 10
    assert store.run(READ("busiest_units_ranked"), {"k": 10})[0]["rows"] == counted  # not the fallback


@pytest.mark.parametrize("params,status", [
    ({"unit": "不存在的单位"}, 404),
    ({"doc_id": "no:不存在〔2019〕1号"}, 404), ({"unit": "x" * 300}, 422),
])
def test_graph_bad_input(client, params, status):
    assert_error(client.get("/api/graph", params=params), status)


# ---------------------------------------------------------------- upload
SYNTHETIC = """测试县环境整治工作方案（接口测试专用）

一、工作任务
（一）清理测试河道垃圾。2019年10月底前完成全部清理。
牵头单位：测试县接口试验办公室
责任单位：测试县接口试验中队
（二）建立测试台账。每月5日前报送。（测试县接口试验中队负责，测试县接口试验办公室配合）
"""


def docx_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as f:
            block = b"\0" * (1 << 20)
            for _ in range(150):
                f.write(block)
    data = buf.getvalue()
    assert len(data) < 1 << 20
    return data


@pytest.mark.parametrize("name,data,status,code", [
    ("setup.exe", b"MZ\x90\x00" + b"\0" * 100, 415, "unsupported_type"),
    ("noext", b"hello", 415, "unsupported_type"),
    ("bomb.docx", None, 400, "unreadable_file"),
    ("fake.docx", b"this is not a zip", 400, "unreadable_file"),
    ("empty.txt", b"", 400, "empty_file"),
    ("noise.txt", "随便写的一句话，没有编号也没有文号".encode(), 422, "not_a_plan"),
])
def test_upload_bad_files_store_nothing(client, store, name, data, status, code):
    before = snapshot(store)
    data = docx_bomb() if data is None else data
    body = assert_error(client.post("/api/upload", files=[("files", (name, data))]), status, code)
    assert name in body["message"] and name in body["message_en"]
    if code == "unreadable_file" and name == "bomb.docx":
        assert "zip bomb" in body["message_en"]
    assert snapshot(store) == before


def test_upload_too_large(client, store):
    from kg.loaders import MAX_FILE_BYTES

    before = snapshot(store)
    assert_error(client.post("/api/upload", files=[("files", ("big.txt", b"a" * (MAX_FILE_BYTES + 1)))]), 413,
                 "file_too_large")
    assert_error(client.post("/api/upload", files=[("files", ("huge.txt", b"a" * (3 * MAX_FILE_BYTES + 70000)))]),
                 413, "request_too_large")
    assert_error(client.post("/api/upload"), 422)
    assert snapshot(store) == before


def test_upload_dry_run_previews_without_storing(client, store):
    before = snapshot(store)
    r = client.post("/api/upload", files=[("files", ("plan.txt", SYNTHETIC.encode()))], data={"dry_run": "true"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["dry_run"] is True
    plan = body["files"][0]["plan"]
    assert plan["counts"]["tasks"] >= 2 and "测试县接口试验办公室" in plan["units"]
    first = next(t for t in plan["tasks"] if "清理测试河道垃圾" in t["heading"])
    assert "2019年10月底前" in first["deadlines"] and any("接口试验办公室" in u for u in first["units"])
    assert snapshot(store) == before


def remove_document(store, doc_id: str, units: list[str]) -> None:
    """Test clean-up: take the synthetic plan out again so other modules see the seeds only."""
    store.write("MATCH (d:Document)-[:HAS_TASK]->(t:Task) WHERE d.doc_id = $d "
                "OPTIONAL MATCH (t)-[:DUE|HAS_TARGET]->(x) DETACH DELETE x, t", {"d": doc_id})
    store.write("MATCH (d:Document)-[:HAS_TARGET]->(x) WHERE d.doc_id = $d DETACH DELETE x", {"d": doc_id})
    store.write("MATCH (d:Document) WHERE d.doc_id = $d DETACH DELETE d", {"d": doc_id})
    store.write("MATCH (u:Unit) WHERE u.name IN $u DETACH DELETE u", {"u": units})


def test_upload_loads_and_batch_keeps_good_files(client, store):
    before = snapshot(store)
    r = client.post("/api/upload", files=[("files", ("plan.txt", SYNTHETIC.encode())),
                                          ("files", ("virus.exe", b"MZ"))])
    assert r.status_code == 200, r.text
    body = r.json()
    ok, bad = body["files"]
    assert ok["ok"] and ok["loaded"] is not None and not bad["ok"] and bad["status"] == 415
    doc_id = ok["plan"]["doc_id"]
    units = ok["plan"]["units"]
    try:
        tasks = client.get(f"/api/units/{quote('测试县接口试验办公室')}/tasks").json()["tasks"]
        assert any("清理测试河道垃圾" in t["heading"] for t in tasks)
        assert client.get("/api/documents/" + quote(doc_id, safe="")).status_code == 200
        assert body["stats_after"] != body["stats_before"]
    finally:
        remove_document(store, doc_id, units)
    assert snapshot(store)["docs"] == before["docs"]


# ---------------------------------------------------------------- analytics
def test_analytics(client):
    r = client.get("/api/analytics", params={"top": 5})
    assert r.status_code == 200, r.text
    a = r.json()
    assert len(a["unit_load"]) == 5 and a["network"]["edges"] > 0
    assert UNIT in {u["unit"] for u in client.get("/api/analytics", params={"top": 50}).json()["unit_load"]}
    assert_error(client.get("/api/analytics", params={"top": 0}), 422)


# ---------------------------------------------------------------- export
@pytest.mark.parametrize("fmt", ["xml", "", "TTL; DROP"])
def test_export_bad_format(client, fmt):  # an enum in the schema: rejected by validation
    assert_error(client.get("/api/export", params={"format": fmt}), 422, "invalid_request")


def test_export_ttl_and_jsonld(client):
    r = client.get("/api/export", params={"format": "ttl"})
    if r.status_code == 501:
        pytest.skip("RDF export (kg.ontology) not available yet")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert UNIT in r.text
    j = client.get("/api/export", params={"format": "jsonld"})
    assert j.status_code == 200 and j.headers["content-type"].startswith("application/ld+json")
    j.json()


# ---------------------------------------------------------------- pages
def test_pages_and_static(client):
    assert client.get("/network?unit=x").status_code == 200
    js = client.get("/static/vis-network.min.js")
    assert js.status_code == 200 and len(js.content) > 100_000
    assert client.get("/", follow_redirects=False).status_code in (302, 307)


# ---------------------------------------------------------------- serve / demo commands (no store needed)
def test_serve_and_demo_are_registered(capsys):
    from kg.cli import build_parser

    args = build_parser().parse_args(["serve", "--port", "8123", "--store", "embedded:/tmp/x"])
    assert (args.host, args.port, args.store) == ("127.0.0.1", 8123, "embedded:/tmp/x")
    args = build_parser().parse_args(["demo"])
    assert args.port == 8000 and args.func.__name__ == "cmd_demo"


def test_demo_finds_the_shipped_samples():
    from kg.api.commands import samples_dir

    folder = samples_dir()
    assert folder is not None and any(p.suffix in (".txt", ".html") for p in folder.iterdir())


def test_serve_reports_a_busy_port(capsys):
    import socket

    from kg.api.commands import serve

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        assert serve(object(), "127.0.0.1", s.getsockname()[1]) == 1
    assert "cannot listen" in capsys.readouterr().err


def test_demo_without_samples_fails_clearly(tmp_path, capsys):
    from kg.cli import main

    assert main(["demo", "--samples", str(tmp_path / "none")]) == 1
    assert "sample plans not found" in capsys.readouterr().err
