"""督办 on both engines: progress reports and status, a re-issued plan keeps its progress (and the
diff names what changed), the 台账 as .xlsx round-trips, accounts and the audit trail."""
from __future__ import annotations

import io

import pytest

from kg.supervision import progress as P
from kg.supervision.accounts import Accounts, AccountError, User
from test_store import make_plan

T1 = "加强燃煤锅炉拆改。市生态环境局牵头，市发展和改革局配合。2020年10月底前完成。"
T2 = "扬尘污染治理，PM10平均浓度不高于91微克/立方米。责任单位：市住建局"
EDITOR = User("ed", "editor")


def tasks_of(store, doc_id):
    return {r["id"]: r for r in store.run("MATCH (t:Task {doc_id: $d}) RETURN t.id AS id, t.status AS status, "
                                           "t.text AS text", {"d": doc_id})}


# ---------------------------------------------------------------- progress and status
def test_report_sets_status_from_latest_report(graph_store):
    plan = make_plan()
    graph_store.load_plan(plan)
    tid = plan.tasks[0].id
    P.report(graph_store, tid, P.Report("推进中", "已拆改 3 台", "2020-05-01"), EDITOR)
    P.report(graph_store, tid, P.Report("已完成", "全部拆改", "2020-09-30"), EDITOR)
    P.report(graph_store, tid, P.Report("推进中", "补报：4 月情况", "2020-04-15"), EDITOR)  # older date
    assert tasks_of(graph_store, plan.doc_id)[tid]["status"] == "已完成"
    hist = P.progress_of(graph_store, tid)
    assert [h["date"] for h in hist] == ["2020-09-30", "2020-05-01", "2020-04-15"]
    assert hist[0]["user"] == "ed" and hist[0]["recorded_at"]


def test_report_refuses_bad_input(graph_store):
    plan = make_plan()
    graph_store.load_plan(plan)
    tid = plan.tasks[0].id
    for bad in ["2020/05/01", "2020-13-01", "5月1日", "2020-5-1", "2999-01-01"]:
        with pytest.raises(P.ProgressError) as e:
            P.report(graph_store, tid, P.Report("推进中", "x", bad), EDITOR)
        assert e.value.status == 422 and e.value.code in ("bad_date", "future_date")
    with pytest.raises(P.ProgressError) as e:
        P.report(graph_store, tid, P.Report("完成了", "x", "2020-05-01"), EDITOR)
    assert e.value.code == "bad_status"
    with pytest.raises(P.ProgressError) as e:
        P.report(graph_store, plan.doc_id + "#九", P.Report("推进中", "x", "2020-05-01"), EDITOR)
    assert e.value.status == 404
    assert graph_store.run("MATCH (p:Progress) RETURN count(p) AS n") == [{"n": 0}]


def test_reporter_only_on_its_units_tasks(graph_store):
    plan = make_plan()
    graph_store.load_plan(plan)
    mine, other = plan.tasks[0].id, plan.tasks[1].id  # 市生态环境局 leads task 一 only
    rep = User("rep", "reporter", "市生态环境局")
    P.report(graph_store, mine, P.Report("推进中", "ok", "2020-05-01"), rep)
    with pytest.raises(P.ProgressError) as e:
        P.report(graph_store, other, P.Report("推进中", "not mine", "2020-05-01"), rep)
    assert e.value.status == 403
    with pytest.raises(P.ProgressError) as e:
        P.report(graph_store, mine, P.Report("推进中", "viewer", "2020-05-01"), User("v", "viewer"))
    assert e.value.status == 403
    assert [h["note"] for h in P.progress_of(graph_store, mine)] == ["ok"]
    assert P.progress_of(graph_store, other) == []


def test_overdue_uses_status(graph_store):
    plan = make_plan()
    graph_store.load_plan(plan)
    tid = plan.tasks[0].id  # due 2020-10-31
    assert P.task_ids(graph_store, overdue=True, asof="2020-11-01") == [tid]
    assert P.task_ids(graph_store, overdue=True, asof="2020-10-01") == []
    P.report(graph_store, tid, P.Report("已完成", "done", "2020-10-20"), EDITOR)
    assert P.task_ids(graph_store, overdue=True, asof="2020-11-01") == []


# ---------------------------------------------------------------- re-issued plans
def test_reissued_plan_keeps_progress_and_diff_names_changes(graph_store):
    from kg.store.revisions import revisions

    v1 = make_plan()
    graph_store.load_plan(v1)
    t1, t2 = v1.tasks[0].id, v1.tasks[1].id
    P.report(graph_store, t1, P.Report("推进中", "已拆改 3 台", "2020-05-01"), EDITOR)
    P.report(graph_store, t2, P.Report("已完成", "扬尘已治理", "2020-06-01"), EDITOR)
    before = graph_store.stats()
    # v2: a new task inserted first (renumbers the others), task 一 reworded with a unit moved, task 二 dropped
    v2 = make_plan(tasks=[
        ("一、", "新增：秸秆禁烧。责任单位：市农业农村局", [("市农业农村局", "responsible")]),
        ("二、", T1.replace("2020年10月底前完成", "2020年11月底前全部完成"),
         [("市生态环境局", "lead"), ("市住建局", "support")]),
    ])
    res = graph_store.load_plan(v2)
    assert res["revision"]["reworded"] == 1 and res["revision"]["added"] == 1 and res["revision"]["dropped"] == 1
    new_t1 = v2.tasks[1].id
    assert new_t1 != t1
    hist = P.progress_of(graph_store, new_t1)
    assert [h["note"] for h in hist] == ["已拆改 3 台"]
    assert tasks_of(graph_store, v2.doc_id)[new_t1]["status"] == "推进中"
    assert tasks_of(graph_store, v2.doc_id)[v2.tasks[0].id]["status"] is None  # the new task has no status
    # nothing recorded is lost: every report is still there, the dropped one on a DroppedTask
    assert graph_store.run("MATCH (p:Progress) RETURN count(p) AS n") == [{"n": 2}]
    dropped = graph_store.run("MATCH (p:Progress)-[:ON]->(x:DroppedTask) RETURN x.id AS id, x.status AS status, "
                              "p.note AS note, p.dropped AS flag")
    assert dropped == [{"id": t2, "status": "已完成", "note": "扬尘已治理", "flag": True}]
    diff = revisions(graph_store, v2.doc_id)[0]
    rew = diff["reworded"][0]
    assert rew["old_id"] == t1 and rew["id"] == new_t1 and "11月底前" in rew["text"]
    assert [a["id"] for a in diff["added"]] == [v2.tasks[0].id]
    assert [d["id"] for d in diff["dropped"]] == [t2] and diff["dropped"][0]["reports"] == 1
    moved = {u["id"]: u for u in diff["units"]}[new_t1]
    assert moved["added"] == ["市住建局（配合）"] and moved["removed"] == ["市发展和改革局（配合）"]
    assert diff["progress_moved"] == 1
    assert before["nodes"]["Task"] == 2
    # the same version again changes nothing and records no revision
    snap = graph_store.stats()
    res = graph_store.load_plan(v2)
    assert "revision" not in res and graph_store.stats() == snap
    assert len(revisions(graph_store, v2.doc_id)) == 1


def test_match_tasks_prefers_text_over_number():
    from kg.store.revisions import match_tasks

    old = [{"id": "a#1", "path": "1", "text": "甲任务内容很长的一段文字"}, {"id": "a#2", "path": "2", "text": "乙任务另一段文字内容"}]
    new = [{"id": "a#1", "path": "1", "text": "全新插入的任务"}, {"id": "a#2", "path": "2", "text": "甲任务内容很长的一段文字"},
           {"id": "a#3", "path": "3", "text": "乙任务另一段文字内容（修订）"}]
    pairs = {o: n for o, n, _ in match_tasks(old, new)}
    assert pairs == {"a#1": "a#2", "a#2": "a#3"}


# ---------------------------------------------------------------- QA reads the status
def test_qa_open_tasks_follow_progress(graph_store, tmp_path):
    from datetime import date

    from kg.extract import extract_file
    from kg.qa import answer
    from test_duban_api import PLAN_V1, T_HB, T_ZJ

    p = tmp_path / "v1.txt"
    p.write_text(PLAN_V1, encoding="utf-8")
    graph_store.load_plan(extract_file(p))
    a = answer("县住建局还有哪些任务没完成", graph_store, today=date(2020, 11, 15))
    assert a["intent"] == "open_tasks" and [x["task_id"] for x in a["answers"]] == [T_ZJ]
    assert "$units" in a["cypher"] and "县住建局" not in a["cypher"]
    P.report(graph_store, T_ZJ, P.Report("已完成", "done", "2020-06-01"), EDITOR)
    a = answer("县住建局还有哪些任务没完成", graph_store, today=date(2020, 11, 15))
    assert a["answers"] == [] and "没有尚未完成的任务" in a["text"]
    a = answer("哪些逾期任务还没有进展", graph_store, today=date(2020, 11, 15))
    assert a["intent"] == "open_tasks" and [x["task_id"] for x in a["answers"]] == [T_HB]
    P.report(graph_store, T_HB, P.Report("推进中", "巡查中", "2020-11-01"), EDITOR)
    a = answer("哪些逾期任务还没有进展", graph_store, today=date(2020, 11, 15))
    assert a["answers"] == []


def test_qa_overdue_leaves_out_done_tasks(graph_store):
    from datetime import date

    from kg.qa import answer

    plan = make_plan()
    graph_store.load_plan(plan)
    tid = plan.tasks[0].id  # due 2020-10-31
    a = answer("哪些任务已经逾期了", graph_store, today=date(2020, 11, 15))
    assert a["intent"] == "overdue_tasks" and [x["task_id"] for x in a["answers"]] == [tid]
    P.report(graph_store, tid, P.Report("已完成", "done", "2020-10-30"), EDITOR)
    a = answer("哪些任务已经逾期了", graph_store, today=date(2020, 11, 15))
    assert a["answers"] == []


def test_qa_unit_completion(graph_store):
    from datetime import date

    from kg.qa import answer

    plan = make_plan()
    graph_store.load_plan(plan)
    P.report(graph_store, plan.tasks[0].id, P.Report("已完成", "done", "2020-06-01"), EDITOR)
    a = answer("各单位完成率", graph_store, today=date(2020, 11, 15))
    assert a["intent"] == "unit_completion"
    got = {x["unit"]: (x["done"], x["tasks"]) for x in a["answers"]}
    assert got == {"市生态环境局": (1, 1), "市发展和改革局": (1, 1), "市住建局": (0, 1)}
    assert "市住建局：0/1（0%）" in a["text"]
