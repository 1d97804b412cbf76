"""`policykg user | progress | diff | export-xlsx | import-xlsx | audit` on both engines."""
from __future__ import annotations

import json

from kg.cli import main
from test_duban_api import DOC, PLAN_V1, PLAN_V2, T_CG, T_ZJ
from test_store_cli import store_args


def load(store, tmp_path, text, name):
    from kg.extract import extract_file

    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return store.load_plan(extract_file(p))


def test_user_commands(tmp_path, capsys, monkeypatch):
    from kg.supervision.accounts import Accounts

    monkeypatch.setenv("KG_ACCOUNTS", str(tmp_path / "acc.sqlite3"))
    assert main(["user", "add", "张三", "--role", "reporter", "--unit", "县住建局"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1].startswith("token: pk_")
    token = out[-1].split(": ", 1)[1]
    assert Accounts(tmp_path / "acc.sqlite3").authenticate(token).unit == "县住建局"
    assert main(["user", "add", "李四", "--role", "reporter"]) == 1  # a reporter needs a unit
    assert main(["user", "add", "张三", "--role", "viewer"]) == 1  # exists
    assert "exists" in capsys.readouterr().err
    assert main(["user", "list", "--json"]) == 0
    assert [(u["name"], u["role"], u["unit"]) for u in json.loads(capsys.readouterr().out)] == [("张三", "reporter", "县住建局")]
    assert main(["user", "token", "张三"]) == 0
    new = capsys.readouterr().out.strip().splitlines()[-1].split(": ", 1)[1]
    acc = Accounts(tmp_path / "acc.sqlite3")
    assert acc.authenticate(token) is None and acc.authenticate(new).name == "张三"
    assert main(["user", "remove", "张三"]) == 0 and acc.authenticate(new) is None
    assert main(["user", "remove", "张三"]) == 1
    assert [e["action"] for e in reversed(acc.audit_log())] == ["user_add", "token_new", "user_remove"]


def test_progress_diff_and_sheet_round_trip(graph_store, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KG_ACCOUNTS", str(tmp_path / "acc.sqlite3"))
    s = store_args(graph_store, monkeypatch)
    load(graph_store, tmp_path, PLAN_V1, "v1.txt")
    assert main(["progress", T_ZJ, "--status", "推进中", "--note", "检查工地", "--date", "2020-05-01", *s]) == 0
    assert main(["progress", T_ZJ, "--status", "推进中", "--date", "2020/05/01", *s]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert main(["user", "add", "zj", "--role", "reporter", "--unit", "县住建局"]) == 0
    assert main(["progress", T_CG, "--status", "推进中", "--as", "zj", *s]) == 1  # not its unit
    assert main(["progress", T_ZJ, "--json", *s]) == 0
    capsys.readouterr()
    assert main(["progress", T_ZJ, "--json", *s]) == 0
    hist = json.loads(capsys.readouterr().out)
    assert [(h["status"], h["note"]) for h in hist] == [("推进中", "检查工地")] and hist[0]["user"] is None

    xlsx = tmp_path / "t.xlsx"
    assert main(["export-xlsx", "--doc-id", DOC, "-o", str(xlsx), *s]) == 0
    before = graph_store.stats()
    assert main(["import-xlsx", str(xlsx), "--json", *s]) == 0
    assert json.loads(capsys.readouterr().out.split("\n", 1)[1]) == {"applied": [], "refused": [], "unchanged": 3}
    assert graph_store.stats() == before

    assert main(["diff", DOC, *s]) == 1  # loaded once: nothing to show
    load(graph_store, tmp_path, PLAN_V2, "v1.txt")
    capsys.readouterr()
    assert main(["diff", DOC, *s]) == 0
    out = capsys.readouterr().out
    assert "改写 一、 → 二、  加强施工工地扬尘管控" in out and "新增 一、  新增渣土" in out and "删除 二、  开展道路" in out
    assert main(["diff", DOC, "--json", *s]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["reworded"][0]["old_id"] == T_ZJ and d["progress_moved"] == 1
    assert main(["audit", "--json"]) == 0
    log = list(reversed(json.loads(capsys.readouterr().out)))
    assert [(e["action"], e["target"]) for e in log] == [("progress", T_ZJ), ("user_add", "zj"), ("import", "t.xlsx")]
    assert log[0]["user"].startswith("cli:") and log[2]["detail"] == {"applied": [], "refused": 0, "unchanged": 3}


def test_serve_without_users_only_on_loopback(tmp_path, capsys):
    from kg.api.commands import open_allowed
    from kg.supervision.accounts import Accounts

    acc = Accounts(tmp_path / "acc.sqlite3")
    assert open_allowed(acc, "127.0.0.1") and open_allowed(acc, "::1")
    assert not open_allowed(acc, "0.0.0.0") and not open_allowed(acc, "192.168.1.5")
    assert "policykg user add" in capsys.readouterr().err
    assert not acc.path.exists()  # asking leaves no file behind
    acc.add("boss", "admin")
    assert open_allowed(acc, "0.0.0.0")


def test_cli_load_is_audited(graph_store, tmp_path, capsys, monkeypatch):
    from kg.supervision.accounts import Accounts

    monkeypatch.setenv("KG_ACCOUNTS", str(tmp_path / "acc.sqlite3"))
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN_V1, encoding="utf-8")
    assert main(["load", str(plan), "--no-embed", *store_args(graph_store, monkeypatch)]) == 0
    entries = Accounts(tmp_path / "acc.sqlite3").audit_log(action="load")
    assert len(entries) == 1 and entries[0]["user"].startswith("cli:") and entries[0]["target"] == DOC
