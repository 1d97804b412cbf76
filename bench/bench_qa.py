"""QA latency: p50 / p95 per intent, on the seeds or on a synthetic graph, embedded and/or Neo4j; plus
embedding-model load time and memory, and indexing (embedding + alignment) throughput.

    python bench/bench_qa.py                                   # seeds, fresh embedded store
    python bench/bench_qa.py --engine both                     # seeds, embedded and Neo4j (KG_TEST_NEO4J_URI /
                                                               # _USER / _PASSWORD, or --neo4j-uri ...)
    python bench/bench_qa.py --synthetic 1000 --engine both    # bench/synth.py plans, real embeddings
    python bench/bench_qa.py --synthetic 10000 --vectors topic # 10,000 plans; task vectors = embedding of the
                                                               # task's topic + noise (sizes the vector index
                                                               # without hours of CPU embedding)
    python bench/bench_qa.py --store embedded:/big --no-load   # a store loaded beforehand
    python bench/bench_qa.py --out bench/out/qa-seeds.json

Seed questions: qa/questions.yaml + qa/questions_new.yaml, grouped by their intended intent.
Synthetic questions: made from the loaded graph (its units, task topics, documents, dates), 6 per intent.
The Neo4j store is wiped before loading. Numbers depend on the machine's load: the script prints the
1-minute load average next to them.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_qa import DEFAULT_QUESTIONS, ROOT, SEEDS, load_questions  # noqa: E402

SEED_TODAY = date(2019, 8, 15)


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def loadavg() -> float:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return -1.0


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    if not xs:
        return 0.0
    k = min(len(xs) - 1, max(0, int(round(p / 100 * (len(xs) - 1)))))
    return xs[k]


# ---------------------------------------------------------------- loading
def seed_plans():
    from kg.extract import extract_file

    return [extract_file(str(p)) for p in sorted(SEEDS.glob("0*.txt"))]


def load(store, plans, batch: int = 50) -> dict:
    t0 = time.perf_counter()
    store.clear()
    t1 = time.perf_counter()
    n = failed = 0
    chunk = []

    def flush():
        nonlocal failed
        try:
            res = store.load_plans(chunk, batch_size=batch)
        except TypeError:  # a store without batched loads
            res = store.load_plans(chunk)
        failed += sum(1 for r in res if r.get("error"))
        chunk.clear()

    for plan in plans:
        chunk.append(plan)
        n += 1
        if len(chunk) >= 1000:
            flush()
    if chunk:
        flush()
    return {"plans": n, "failed": failed, "clear_s": round(t1 - t0, 1), "load_s": round(time.perf_counter() - t1, 1)}


def topic_vectors(store, noise: float = 0.01, seed: int = 1) -> dict:
    """Give every task without an embedding the model's vector of its heading plus Gaussian noise: the vector
    index gets its real size and shape, without embedding hundreds of thousands of passages."""
    import numpy as np

    from kg.qa import embedding

    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    rows = store.run("MATCH (t:Task) WHERE t.embedding IS NULL RETURN t.id AS id, t.heading AS h", {})
    heads = sorted({r["h"] or "" for r in rows})
    base = dict(zip(heads, embedding.embed_index(heads)))
    dim = len(next(iter(base.values()))) if base else 0
    done = 0
    for i in range(0, len(rows), 5000):
        part = rows[i:i + 5000]
        V = np.stack([base[r["h"] or ""] for r in part]) + rng.normal(0, noise, (len(part), dim))
        V /= np.linalg.norm(V, axis=1, keepdims=True)
        store.set_task_embeddings([(r["id"], v.tolist()) for r, v in zip(part, V.astype("float32"))])
        done += len(part)
    return {"vectors": "topic+noise", "embedded": done, "seconds": round(time.perf_counter() - t0, 1)}


def index(store, vectors: str) -> dict:
    from kg.qa.indexing import align, index_new_tasks

    if vectors == "topic":
        info = topic_vectors(store)
        t0 = time.perf_counter()
        pairs, links = align(store, set(), full=True)
        info.update(aligned_pairs=pairs, aligned=links, align_s=round(time.perf_counter() - t0, 1))
        return info
    c0 = time.process_time()
    info = index_new_tasks(store)
    info["cpu_s"] = round(time.process_time() - c0, 1)  # this process only (the embedded engine runs in it)
    n = info.get("embedded") or 0
    if n:  # tasks/s per step and end to end; 300k extrapolated linearly from the end-to-end rate
        info["embed_tasks_per_s"] = round(n / max(info["embed_s"], 1e-9), 1)
        info["align_tasks_per_s"] = round(n / max(info["align_s"], 1e-9), 1)
        info["tasks_per_s"] = round(n / max(info["seconds"], 1e-9), 1)
        info["300k_minutes"] = round(300_000 / info["tasks_per_s"] / 60, 1)
    return info


def incremental(store, n: int) -> dict:
    """Load one more plan (number n+1 of the same synthetic sequence, citing loaded plans) and time
    index_new_tasks: what a user waits for after adding one plan to a big graph."""
    from synth import synth_plans

    from kg.qa.indexing import index_new_tasks

    plan = None
    for plan in synth_plans(n + 1, seed=1):
        pass
    t0 = time.perf_counter()
    store.load_plan(plan)
    t1 = time.perf_counter()
    info = index_new_tasks(store)
    again = index_new_tasks(store)
    return {"tasks": len(plan.tasks), "parents": len(plan.parents), "load_s": round(t1 - t0, 2), **info,
            "nothing_new_s": again["seconds"]}


def lexicon_disk(store, lex) -> dict:
    """What a restart would pay for the lexicon with qa/lexicon_cache.py: write it once, read it back."""
    from kg.qa import lexicon_cache
    from kg.qa.linking import Lexicon, store_signature

    t0 = time.perf_counter()
    # the key lexicon_cache.load_or_build uses: saved under the bare signature, the file was not read back by
    # the next process (which then rebuilt the lexicon: the first answer after start took minutes)
    sig = (store_signature(store), lexicon_cache.code_version(Lexicon.from_store))
    t1 = time.perf_counter()
    lexicon_cache.save(store, sig, lex)
    t2 = time.perf_counter()
    back = lexicon_cache.load(store, sig)
    t3 = time.perf_counter()
    path = lexicon_cache.path_for(store)
    return {"signature_s": round(t1 - t0, 2), "save_s": round(t2 - t1, 2), "load_s": round(t3 - t2, 2),
            "loaded": back is not None, "mb": round(path.stat().st_size / 1e6, 1) if path and path.exists() else None}


# ---------------------------------------------------------------- questions
def seed_questions() -> list[tuple[str, str, date]]:
    out = []
    for qf in DEFAULT_QUESTIONS:
        items, default_today = load_questions(qf)
        for it in items:
            out.append((it["intent"], it["q"], date.fromisoformat(it.get("today") or default_today)))
    return out


def synthetic_questions(store, per_intent: int = 6, seed: int = 7) -> list[tuple[str, str, date]]:
    rng = random.Random(seed)

    def pick(cypher, n=per_intent):
        rows = store.run(cypher, {})
        return rng.sample(rows, min(n, len(rows)))

    units = [r["u"] for r in pick("MATCH (u:Unit)-[:LEADS]->(:Task) RETURN DISTINCT u.name AS u LIMIT 500", 2 * per_intent)]
    heads = [r["h"] for r in pick("MATCH (t:Task)<-[:LEADS]-(:Unit) RETURN DISTINCT t.heading AS h LIMIT 200")]
    kids = pick("MATCH (c:Document)-[:IMPLEMENTS]->(p:Document) WHERE p.stub = false AND c.doc_no IS NOT NULL "
                "RETURN c.title AS title, c.doc_no AS c_no, p.doc_no AS p_no, p.title AS p_title LIMIT 500")
    dates = [r["d"] for r in pick("MATCH (x:Deadline) WHERE x.date IS NOT NULL RETURN DISTINCT x.date AS d LIMIT 300")]
    today = date(2021, 6, 30)
    qs = []
    for u in units[:per_intent]:
        qs.append(("unit_tasks", f"{u}负责哪些任务", today))
    for h in heads:
        qs.append(("task_units", f"谁牵头{h}", today))
        qs.append(("task_deadline", f"{h}什么时候完成", today))
        qs.append(("open_question", f"关于{h}有哪些措施", today))
    for d in dates:
        y, m, _ = d.split("-")
        qs.append(("tasks_due", f"{int(y)}年{int(m)}月底前要完成什么", today))
        qs.append(("overdue_tasks", f"截至{int(y)}年{int(m)}月1日哪些任务逾期了", today))
    for k in kids:
        qs.append(("doc_parents", f"{k['c_no']}依据哪个上级文件", today))
        qs.append(("doc_facts", f"{k['c_no']}是谁发的", today))
        if k.get("p_no"):
            qs.append(("doc_children", f"哪些方案落实了{k['p_no']}", today))
    for u in units[per_intent:2 * per_intent]:
        qs.append(("unit_partners", f"和{u}一起承担任务的单位有哪些", today))
    for w in ["哪个单位牵头任务最多", "各部门任务量排名", "哪些部门最忙", "任务最多的单位是哪个",
              "牵头任务最多的前几个单位", "工作量排名"][:per_intent]:
        qs.append(("unit_workload", w, today))
    for w in ["PM2.5平均浓度目标是多少", "优良天数要达到多少天", "PM10浓度控制在多少", "污水集中处理率目标",
              "重污染天数目标", "绿化覆盖率要达到多少"][:per_intent]:
        qs.append(("targets", w, today))
    return qs


# ---------------------------------------------------------------- run
def first_answer(uri: str, question: str, today: date) -> dict:
    """Seconds from starting a fresh Python process to its first answer on `uri` (the store opened, the
    lexicon read from disk, the question answered): what a restarted server's first user waits for."""
    import subprocess

    code = ("import time, sys; t0 = time.perf_counter()\n"
            "from datetime import date\nfrom kg.qa import answer, lexicon_cache\nfrom kg.store import open_store\n"
            # as `policykg ask` starts: heap sized from the store, lexicon file read ahead if asked to
            "import os; os.environ.setdefault('KG_EMBEDDED_HEAP', 'auto'); lexicon_cache.prefetch_store(sys.argv[1])\n"
            "s = open_store(sys.argv[1]); t1 = time.perf_counter()\n"
            "r = answer(sys.argv[2], s, today=date.fromisoformat(sys.argv[3])); t2 = time.perf_counter()\n"
            "print(round(t1 - t0, 2), round(t2 - t1, 2), r['intent'], time.time(), flush=True)\ns.close()\n")
    t0 = time.perf_counter()
    w0 = time.time()
    out = subprocess.run([sys.executable, "-c", code, uri, question, today.isoformat()], capture_output=True,
                         text=True, env=dict(os.environ), timeout=600)
    total = time.perf_counter() - t0
    parts = (out.stdout.strip().splitlines() or [""])[-1].split()
    if out.returncode or len(parts) < 4:
        return {"error": (out.stderr or out.stdout)[-300:], "total_s": round(total, 2)}
    # total_s: until the process has ended (closing the store and the JVM included); answer_at_s: until the
    # answer was there (what `policykg ask` prints, what a server sends)
    return {"question": question, "total_s": round(total, 2), "answer_at_s": round(float(parts[3]) - w0, 2),
            "open_store_s": float(parts[0]), "answer_s": float(parts[1]), "intent": parts[2],
            "loadavg": loadavg()}


def run_engine(engine: str, args, plans_factory) -> dict:
    from kg.qa import answer, answer_cache, embedding
    from kg.qa.warmup import warm_up
    from kg.qa.linking import lexicon_for
    from kg.store import open_store

    if engine == "neo4j":
        uri = args.neo4j_uri
        if not uri:
            raise SystemExit("no Neo4j: set KG_TEST_NEO4J_URI or pass --neo4j-uri")
        store = open_store(uri, user=args.neo4j_user, password=args.neo4j_password)
    else:
        uri = args.store or f"embedded:{tempfile.mkdtemp(prefix='policykg-bench-')}"
        store = open_store(uri)
    res = {"engine": store.engine, "loadavg_start": loadavg()}
    first_q = None
    try:
        if not args.no_load:
            res["load"] = load(store, plans_factory())
            print(f"  [{res['engine']}] load: {res['load']} (load average {loadavg()})", flush=True)
            res["index"] = index(store, args.vectors)
            print(f"  [{res['engine']}] index: {res['index']} (load average {loadavg()})", flush=True)
            if args.index_only:
                res["stats"] = store.stats()
                return res
        t0 = time.perf_counter()
        lex = lexicon_for(store)
        res["lexicon_s"] = round(time.perf_counter() - t0, 2)
        res["lexicon_disk"] = lexicon_disk(store, lex)
        res["stats"] = store.stats()
        if args.incremental_only:
            res["incremental"] = incremental(store, args.synthetic)
            res["process_rss_mb"] = round(rss_mb())
            return res
        questions = synthetic_questions(store) if args.synthetic else seed_questions()
        first_q = questions[0]
        res["warm_up"] = warm_up(store)  # what `policykg serve` does at start (kg.qa.warmup)
        print(f"  [{res['engine']}] warm-up: {res['warm_up']}", flush=True)
        lat = defaultdict(list)
        answered = defaultdict(int)
        full = {}  # question -> its whole answer (--answers: a speed change must not change one byte of it)
        for _ in range(args.repeat):
            for intent, q, today in questions:
                embedding._query_cache.clear()  # every question pays for its own query embedding
                answer_cache.clear()  # ... and for its own answer (the cached case is timed apart below)
                t = time.perf_counter()
                r = answer(q, store, today=today)
                lat[intent].append((time.perf_counter() - t) * 1000)
                answered[intent] += r["intent"] == intent
                r.get("debug", {}).pop("ms", None)  # the only part that is a timing
                full.setdefault(q, r)
        if args.answers:
            Path(args.answers).parent.mkdir(parents=True, exist_ok=True)
            Path(args.answers).write_text(json.dumps(full, ensure_ascii=False, indent=1, sort_keys=True,
                                                     default=str), encoding="utf-8")
        allx = [x for xs in lat.values() for x in xs]
        res["latency_ms"] = {k: {"n": len(v), "p50": round(statistics.median(v), 1), "p95": round(pct(v, 95), 1),
                                 "same_intent": round(answered[k] / len(v), 2)} for k, v in sorted(lat.items())}
        res["latency_ms"]["all"] = {"n": len(allx), "p50": round(statistics.median(allx), 1),
                                    "p95": round(pct(allx, 95), 1)}
        # the same questions asked again with the graph unchanged: served from kg.qa.answer_cache
        hits = []
        for _intent, q, today in questions:
            answer(q, store, today=today)
            t = time.perf_counter()
            answer(q, store, today=today)
            hits.append((time.perf_counter() - t) * 1000)
        res["latency_ms"]["all, asked again"] = {"n": len(hits), "p50": round(statistics.median(hits), 1),
                                                 "p95": round(pct(hits, 95), 1)}
        if args.synthetic and not args.first_answer:  # one more plan would void the lexicon file it reads
            res["incremental"] = incremental(store, args.synthetic)
        res["loadavg_end"] = loadavg()
        res["process_rss_mb"] = round(rss_mb())
    finally:
        store.close()
    if engine == "embedded" and args.store and args.first_answer:  # the folder is free again
        _intent, q, today = first_q or ("", "矿区环保中队负责哪些任务", SEED_TODAY)
        res["first_answer"] = first_answer(uri, q, today)
    return res


def print_engine(r: dict) -> None:
    if "latency_ms" not in r:
        print(f"\nengine: {r['engine']}: index: {r.get('index')}; one more plan: {r.get('incremental')}")
        return
    print(f"\nengine: {r['engine']}   load average {r['loadavg_start']} -> {r['loadavg_end']}   "
          f"process RSS {r['process_rss_mb']} MB")
    if "load" in r:
        print(f"  load: {r['load']}")
        print(f"  index: {r['index']}")
    nodes = r["stats"]["nodes"]
    print(f"  graph: {nodes.get('Document')} documents, {nodes.get('Task')} tasks, {nodes.get('Unit')} units, "
          f"{r['stats']['relationships'].get('ALIGNS_WITH')} ALIGNS_WITH; lexicon built in {r['lexicon_s']}s, "
          f"from disk: {r.get('lexicon_disk')}")
    if r.get("incremental"):
        print(f"  one more plan: {r['incremental']}")
    if r.get("first_answer"):
        print(f"  first answer after process start: {r['first_answer']}")
    print(f"  {'intent':<16} {'n':>4} {'p50 ms':>8} {'p95 ms':>8}")
    for k, v in r["latency_ms"].items():
        print(f"  {k:<16} {v['n']:>4} {v['p50']:>8.1f} {v['p95']:>8.1f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", choices=["embedded", "neo4j", "both"], default="embedded")
    ap.add_argument("--store", help="embedded store folder URI (default: a temp folder)")
    ap.add_argument("--neo4j-uri", default=os.environ.get("KG_TEST_NEO4J_URI"))
    ap.add_argument("--neo4j-user", default=os.environ.get("KG_TEST_NEO4J_USER", "neo4j"))
    ap.add_argument("--neo4j-password", default=os.environ.get("KG_TEST_NEO4J_PASSWORD"))
    ap.add_argument("--no-load", action="store_true", help="use the store(s) as they are")
    ap.add_argument("--synthetic", type=int, default=0, help="load this many bench/synth.py plans instead of the seeds")
    ap.add_argument("--vectors", choices=["model", "topic"], default="model",
                    help="task vectors: the model on every task (default) or topic vector + noise (large graphs)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--incremental-only", action="store_true",
                    help="with --no-load --synthetic N: only time loading plan N+1 and index_new_tasks")
    ap.add_argument("--index-only", action="store_true", help="stop after loading and indexing (no questions)")
    ap.add_argument("--out", help="write the results as JSON here")
    ap.add_argument("--answers", help="write every question's full answer (debug timings left out) here, as JSON")
    ap.add_argument("--first-answer", action="store_true",
                    help="with --store embedded:PATH: also time a fresh process from start to its first answer")
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    # keep every passage vector of a synthetic run, so the second engine does not embed them again
    os.environ.setdefault("KG_EMBED_CACHE", str(max(20000, 40 * args.synthetic)))

    from kg.qa import embedding

    before = rss_mb()
    t0 = time.perf_counter()
    embedding.get_model()
    embedding.embed_query("预热")
    embedding.embed_index(["预热"])  # the static index model too: a one-time cost, not indexing throughput
    model = {"path": embedding.info().get("path"), "load_s": round(time.perf_counter() - t0, 2),
             "rss_delta_mb": round(rss_mb() - before), "loadavg": loadavg()}
    qs = [q for _i, q, _t in seed_questions()][:40]
    ts = []
    for q in qs:
        t = time.perf_counter()
        embedding.embed_queries([q])
        ts.append((time.perf_counter() - t) * 1000)
    model["query_embed_ms"] = {"p50": round(statistics.median(ts), 1), "p95": round(pct(ts, 95), 1)}
    print(f"model: {model['path']}\nmodel load: {model['load_s']}s, RSS +{model['rss_delta_mb']} MB "
          f"(load average {model['loadavg']}); one query embedding: p50 {model['query_embed_ms']['p50']} ms, "
          f"p95 {model['query_embed_ms']['p95']} ms")

    if args.synthetic:
        from synth import synth_plans

        def plans_factory():
            return synth_plans(args.synthetic, seed=1)
    else:
        plans_factory = seed_plans
    engines = ["embedded", "neo4j"] if args.engine == "both" else [args.engine]
    out = {"model": model, "corpus": f"synthetic {args.synthetic}" if args.synthetic else "seeds",
           "vectors": args.vectors, "repeat": args.repeat, "engines": []}
    for e in engines:
        r = run_engine(e, args, plans_factory)
        out["engines"].append(r)
        print_engine(r)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
