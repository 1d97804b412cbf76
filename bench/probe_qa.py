"""Questions generated from the tuned extraction gold (tests/gold/corpus/*.json), asked over a loaded
library store: a probe of whole mechanisms (a unit's tasks, who does a task, what is due, targets, parents,
topics, precise not-found), not a blind score — the gold and its documents are tuned on. Read it next to
the blind banks (bench/eval_qa.py --bank), never instead of them.

    python bench/eval_qa.py --library --store embedded:/tmp/lib     # load the library once
    python bench/probe_qa.py --store embedded:/tmp/lib              # every probe, one line each
    python bench/probe_qa.py --store embedded:/tmp/lib --kind due -v --seed 3   # one probe, its failures

Each probe draws up to two cases per gold document with a seeded random choice of the case and of the
question's wording (--seed), so two seeds are two samples.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "corpus"
SHARED = ROOT.parent / "shared"
TODAY = date(2026, 12, 1)
LEADING_VERB = re.compile(r"^(?:加强|加快|推进|推动|强化|完善|建立|健全|做好|开展|实施|落实|深化|提升|提高|优化|严格|积极|全面|大力|支持|"
                          r"鼓励|促进|扩大|降低|加大|创新|规范)+")


def scope(g: dict) -> str:
    return g.get("doc_no") or "《" + g["title"] + "》"


def blob(a) -> str:
    return (a.text + json.dumps(a.answers, ensure_ascii=False, default=str)).replace("(", "（").replace(")", "）")


def unit_tasks(g, rnd, bureaus):
    by: dict[str, set] = {}
    for x in g.get("assignments", []):
        by.setdefault(x["unit"], set()).add(x["task"])
    for u in rnd.sample(sorted(by), min(2, len(by))):
        q = f"{scope(g)}里，{u}{rnd.choice(['负责哪些任务？', '要做什么', '承担了哪些工作'])}"
        yield q, lambda a, tasks=by[u]: a.intent == "unit_tasks" and \
            sum(t[:8] in blob(a) for t in tasks) >= max(1, round(len(tasks) * 0.8))


def task_units(g, rnd, bureaus):
    by: dict[str, list] = {}
    for x in g.get("assignments", []):
        by.setdefault(x["task"], []).append(x["unit"])
    for task in rnd.sample(sorted(by), min(2, len(by))):
        frag = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*", "", task)[:12]
        if len(frag) < 4:
            continue
        q = rnd.choice([f"{scope(g)}里，{frag}由哪些单位负责？", f"{scope(g)}中{frag}是谁牵头的？", f"{scope(g)}{frag}这项工作谁来做"])
        units = set(by[task])
        yield q, lambda a, units=units: a.intent == "task_units" and \
            sum(u.replace("(", "（").replace(")", "）") in blob(a) for u in units) >= max(1, len(units) // 2)


def due(g, rnd, bureaus):
    dls = [d for d in g.get("deadlines", []) if d.get("kind") == "by" and re.match(r"\d{4}-\d\d-\d\d", d.get("date") or "")]
    for d in rnd.sample(dls, min(2, len(dls))):
        y, m, dd = d["date"].split("-")
        when = f"{y}年{int(m)}月底前" if dd in ("28", "29", "30", "31") and not (m == "12" and rnd.random() < .5) else \
            (f"{y}年底前" if m == "12" else f"{y}年{int(m)}月{int(dd)}日前")
        q = rnd.choice([f"{scope(g)}里{when}要完成哪些任务？", f"{scope(g)}中{when}要做什么", f"按{scope(g)}，{when}需要完成什么"])
        yield q, lambda a, text=d["text"]: a.intent == "tasks_due" and text[-6:] in blob(a)


def targets(g, rnd, bureaus):
    tg = [t for t in g.get("targets", []) if t.get("indicator") and len(t["indicator"]) <= 20]
    for t in rnd.sample(tg, min(2, len(tg))):
        q = rnd.choice([f"{scope(g)}里{t['indicator']}的目标是多少？", f"{scope(g)}对{t['indicator']}定了什么指标",
                        f"按{scope(g)}，{t['indicator']}要达到多少"])
        value = str(int(t["value"])) if float(t["value"]).is_integer() else str(t["value"])
        yield q, lambda a, value=value: a.intent == "targets" and value in blob(a)


def parents(g, rnd, bureaus):
    if not g.get("parents") or not g.get("title"):
        return
    want = [(p.get("doc_no") or p.get("title") or "").replace("(", "（").replace(")", "）")[:14] for p in g["parents"]]
    short = re.sub(r"的(?:若干)?(?:通知|意见)$", "", re.sub(r"^.{0,20}?(?:关于印发|关于)", "", g["title"]))[:18]
    questions = [f"《{g['title']}》是依据哪些文件制定的？", f"{short}那个文件的上级依据是什么"]
    if g.get("doc_no"):
        questions.append(f"{g['doc_no']}贯彻落实的是哪个上级文件？")
    for q in questions:
        yield q, lambda a: a.intent == "doc_parents" and all(w in blob(a) for w in want)


def topic(g, rnd, bureaus):
    tasks = sorted({x["task"] for x in g.get("assignments", []) if 6 <= len(x["task"]) <= 16})
    for t in rnd.sample(tasks, min(2, len(tasks))):
        words = LEADING_VERB.sub("", t)
        if len(words) < 3:
            continue
        q = rnd.choice([f"{scope(g)}里关于{words}有什么要求？", f"{scope(g)}对{words}是怎么规定的", f"{scope(g)}中{words}方面有哪些措施"])
        yield q, lambda a, t=t, words=words: any(
            x in json.dumps(a.answers[:3], ensure_ascii=False, default=str) + a.text[:600] for x in (t[:6], words[:6]))


def not_found(g, rnd, bureaus):
    """A bureau of another plan asked in one that never names it; a missing 文号; a deadline never written."""
    text = (SHARED / g["file"]).read_text("utf-8")
    others = [u for u in bureaus if u not in text and u[1:] not in text]
    if others:
        u = rnd.choice(others)
        q = rnd.choice([f"{scope(g)}里{u}负责哪些任务？", f"{scope(g)}中{u}要做什么"])
        yield q, lambda a: a.intent == "not_answerable" and not a.answers
    if not g.get("doc_no") and g.get("title"):
        yield rnd.choice([f"《{g['title']}》的文号是多少？", f"{g['title']}是几号文"]), \
            lambda a: a.intent == "not_answerable" and not a.answers
    if not g.get("deadlines") and g.get("assignments") and g.get("title"):
        t = rnd.choice(g["assignments"])["task"]
        yield f"《{g['title']}》里{t[:12]}要求什么时候完成？", lambda a: a.intent == "not_answerable" and not a.answers


PROBES = {"unit_tasks": unit_tasks, "task_units": task_units, "due": due, "targets": targets, "parents": parents,
          "topic": topic, "not_found": not_found}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", required=True, help="a store holding the library (bench/eval_qa.py --library)")
    ap.add_argument("--kind", choices=sorted(PROBES), action="append", help="probes to run (default: all)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("-v", "--verbose", action="store_true", help="print every failed question and its answer")
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if not GOLD.is_dir() or not SHARED.is_dir():
        print("needs tests/gold/corpus and ../shared beside the clone", file=sys.stderr)
        return 2
    from kg.qa.answering import ask
    from kg.store import open_store

    golds = [json.loads(p.read_text("utf-8")) for p in sorted(GOLD.glob("*.json"))]
    golds = [g for g in golds if g.get("doc_no") or g.get("title")]
    bureaus = sorted({x["unit"] for g in golds for x in g.get("assignments", [])
                      if re.search(r"[局委厅部办]$", x["unit"]) and len(x["unit"]) >= 4})
    store = open_store(args.store)
    try:
        for kind in args.kind or list(PROBES):
            rnd, ok, n, failed = random.Random(args.seed), 0, 0, []
            for g in golds:
                for q, right in PROBES[kind](g, rnd, bureaus):
                    a = ask(q, store, today=TODAY)
                    good = bool(right(a))
                    ok, n = ok + good, n + 1
                    if not good:
                        failed.append(f"  {q} -> {a.intent}: {a.text[:160]!r}")
            print(f"{kind:<11} {ok:>4} / {n:<4}")
            if args.verbose:
                print("\n".join(failed))
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
