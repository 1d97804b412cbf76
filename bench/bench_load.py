"""Load benchmark: N synthetic plans (bench/synth.py, ~30 tasks each) into the embedded engine and/or
Neo4j, `--batch` plans per transaction (GraphStore.load_plans; each plan still all or nothing), then
50 re-loads and 50 new plans one per transaction as `policykg load` does. Prints load time, throughput
and peak memory.

    python bench/bench_load.py --plans 10000                 # embedded, and Neo4j if KG_TEST_NEO4J_URI is set
    python bench/bench_load.py --plans 500 --engine embedded # quick run
    eval "$(bash test-support/neo4j/start.sh)"; python bench/bench_load.py --engine neo4j

Each engine runs in its own child process so peak memory is its own: for the embedded engine the
child's peak RSS (Python + the in-process JVM running ArcadeDB); for Neo4j the client's peak RSS and
the Neo4j server process's peak RSS (VmHWM, from test-support/neo4j/data/neo4j.pid or --neo4j-pid).
Neo4j's database is cleared first: do not point this at a database you care about.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))


def vm_hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def folder_mb(path: Path) -> float:
    total = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return round(total / (1024 * 1024), 1)


def cpu_s() -> float:
    """CPU seconds of this process (Python and, for the embedded engine, the in-process JVM): a number that
    moves less than wall time when other work shares the machine."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def cpu_by_thread() -> dict[str, float]:
    """CPU seconds per thread kind (Linux /proc; digits dropped from names): for the embedded engine this
    tells the Bolt worker from the JIT compiler, the garbage collectors and Python."""
    import re

    out: dict[str, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    try:
        tids = os.listdir("/proc/self/task")
    except OSError:
        return out
    for tid in tids:
        try:
            stat = Path(f"/proc/self/task/{tid}/stat").read_text()
        except OSError:
            continue
        name = re.sub(r"[0-9#]+", "", stat[stat.index("(") + 1:stat.rindex(")")]).strip(" -/.")
        fields = stat[stat.rindex(")") + 2:].split()
        out[name] = out.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return out


def proc_cpu_s(pid: int | None) -> float | None:
    """CPU seconds of another process (the Neo4j server), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, TypeError, ValueError, IndexError):
        return None


def neo4j_pid(args) -> int | None:
    pid_file = ROOT / "test-support" / "neo4j" / "data" / "neo4j.pid"
    if args.neo4j_pid:
        return args.neo4j_pid
    return int(pid_file.read_text().strip()) if pid_file.exists() else None


def loadavg() -> float:
    return round(os.getloadavg()[0], 2)


def child(args) -> dict:
    from synth import synth_plans

    from kg.store import open_store

    t0 = time.perf_counter()
    tmp = None
    if args.engine == "embedded":
        tmp = Path(tempfile.mkdtemp(prefix="kg-bench-", dir=args.workdir))
        store = open_store(f"embedded:{tmp / 'store'}")
    else:
        store = open_store(args.neo4j_uri, user=args.neo4j_user, password=args.neo4j_password)
        store.clear()
    opened = time.perf_counter() - t0
    n_tasks = 0
    failed = 0
    done = 0
    load_before = loadavg()
    c1 = cpu_s()
    server_pid = neo4j_pid(args) if args.engine == "neo4j" else None
    server_c1 = proc_cpu_s(server_pid)
    threads_before = cpu_by_thread()
    t1 = time.perf_counter()
    last = t1
    chunk: list = []

    def flush():
        nonlocal n_tasks, failed, done
        for c in store.load_plans(chunk, batch_size=args.batch):
            done += 1
            if "error" in c:
                failed += 1
                if failed <= 3:
                    print(f"[{args.engine}] {c['source']} failed: {c['error']}", file=sys.stderr)
            else:
                n_tasks += c["tasks"]
        chunk.clear()

    for plan in synth_plans(args.plans, seed=args.seed):
        chunk.append(plan)
        if len(chunk) >= args.batch:
            flush()
        now = time.perf_counter()
        if now - last >= args.progress:
            el = now - t1
            print(f"[{args.engine}] {done}/{args.plans} plans, {n_tasks} tasks, {el:.0f} s, {done / el:.1f} plans/s, "
                  f"rss peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB", file=sys.stderr,
                  flush=True)
            last = now
    flush()
    load_s = time.perf_counter() - t1
    load_cpu_s = cpu_s() - c1
    server_c2 = proc_cpu_s(server_pid)
    server_load_cpu_s = round(server_c2 - server_c1, 1) if server_c1 is not None and server_c2 is not None else None
    threads = cpu_by_thread()
    threads = {k: round(v - threads_before.get(k, 0.0), 1) for k, v in threads.items()}
    threads = dict(sorted(((k, v) for k, v in threads.items() if v >= 0.1), key=lambda kv: -kv[1]))
    load_after = loadavg()
    t2 = time.perf_counter()
    st = store.stats()
    stats_s = time.perf_counter() - t2
    t3 = time.perf_counter()
    hits = store.fulltext_tasks("燃煤锅炉拆改", 10)
    ft_s = time.perf_counter() - t3
    t4 = time.perf_counter()
    chain = store.run("MATCH p = (d:Document {level: 'township'})-[:IMPLEMENTS*1..4]->(x:Document) "
                      "RETURN length(p) AS depth ORDER BY depth DESC LIMIT 1")
    trace_s = time.perf_counter() - t4
    # re-load a sample one plan per transaction: idempotency at scale, and what `policykg load` costs
    sample = list(synth_plans(50, seed=args.seed))
    t5 = time.perf_counter()
    for p in sample:
        store.load_plan(p)
    reload_s = (time.perf_counter() - t5) / len(sample)
    same = store.stats() == st
    # new plans one by one into the full graph (a new seed: new documents)
    fresh = list(synth_plans(50, seed=args.seed + 1000))
    for p in fresh:
        p.source = "fresh/" + p.source
    t6 = time.perf_counter()
    for p in fresh:
        try:
            store.load_plan(p)
        except Exception:
            pass
    single_s = (time.perf_counter() - t6) / len(fresh)
    result = {
        "engine": args.engine, "plans": args.plans, "failed": failed, "tasks": n_tasks,
        "open_s": round(opened, 2), "load_s": round(load_s, 1), "plans_per_s": round(args.plans / load_s, 1),
        "tasks_per_s": round(n_tasks / load_s, 0), "batch": args.batch,
        "load_cpu_s": round(load_cpu_s, 1), "load_cpu_by_thread": threads, "server_load_cpu_s": server_load_cpu_s, "loadavg_before": load_before, "loadavg_after": load_after,
        "reload_ms_per_plan": round(reload_s * 1000, 1), "single_new_plan_ms": round(single_s * 1000, 1),
        "idempotent_after_reload": same, "stats_s": round(stats_s, 2), "fulltext_s": round(ft_s, 3),
        "fulltext_hits": len(hits), "trace_s": round(trace_s, 3),
        "longest_implements_chain": chain[0]["depth"] if chain else 0,
        "nodes": st["nodes"], "relationships": st["relationships"], "documents": st["documents"],
        "client_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if args.engine == "neo4j":
        result["server_peak_rss_mb"] = vm_hwm_mb(server_pid) if server_pid else None
    store.close()
    if tmp is not None:
        result["store_folder_mb"] = folder_mb(tmp)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description="load benchmark on synthetic plans")
    ap.add_argument("--plans", type=int, default=10_000)
    ap.add_argument("--engine", choices=["embedded", "neo4j", "both"], default="both")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch", type=int, default=50, help="plans per transaction (load_plans batch_size)")
    ap.add_argument("--neo4j-uri", default=os.environ.get("KG_TEST_NEO4J_URI"))
    ap.add_argument("--neo4j-user", default=os.environ.get("KG_TEST_NEO4J_USER", "neo4j"))
    ap.add_argument("--neo4j-password", default=os.environ.get("KG_TEST_NEO4J_PASSWORD"))
    ap.add_argument("--neo4j-pid", type=int, help="pid of the Neo4j server, for its peak memory")
    ap.add_argument("--workdir", default=None, help="where the embedded store folder goes (default: temp)")
    ap.add_argument("--keep", action="store_true", help="keep the embedded store folder")
    ap.add_argument("--progress", type=float, default=30.0, help="seconds between progress lines")
    ap.add_argument("--out", help="write the results as JSON here")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child:
        print("RESULT " + json.dumps(child(args), ensure_ascii=False), flush=True)
        return 0

    engines = ["embedded", "neo4j"] if args.engine == "both" else [args.engine]
    if "neo4j" in engines and not args.neo4j_uri:
        if args.engine == "neo4j":
            print("no Neo4j: set KG_TEST_NEO4J_URI (eval \"$(bash test-support/neo4j/start.sh)\") or --neo4j-uri",
                  file=sys.stderr)
            return 2
        print("KG_TEST_NEO4J_URI not set: embedded only", file=sys.stderr)
        engines = ["embedded"]
    results = []
    for engine in engines:
        cmd = [sys.executable, __file__, "--child", "--engine", engine, "--plans", str(args.plans),
               "--seed", str(args.seed), "--progress", str(args.progress), "--batch", str(args.batch)]
        for flag, val in (("--neo4j-uri", args.neo4j_uri), ("--neo4j-user", args.neo4j_user),
                          ("--neo4j-password", args.neo4j_password), ("--neo4j-pid", args.neo4j_pid),
                          ("--workdir", args.workdir)):
            if val:
                cmd += [flag, str(val)]
        if args.keep:
            cmd.append("--keep")
        t = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
        if proc.returncode or not line:
            print(f"{engine}: benchmark failed (exit {proc.returncode})", file=sys.stderr)
            continue
        res = json.loads(line[len("RESULT "):])
        res["wall_s"] = round(time.perf_counter() - t, 1)
        results.append(res)
        print(f"{engine:<9} load CPU s by thread: {res['load_cpu_by_thread']}"
              + (f"; Neo4j server: {res['server_load_cpu_s']} CPU s" if engine == "neo4j" else ""))
        mem = f"peak RSS {res['client_peak_rss_mb']} MB (Python + JVM)" if engine == "embedded" else \
            f"server peak RSS {res.get('server_peak_rss_mb')} MB, client {res['client_peak_rss_mb']} MB"
        print(f"{engine:<9} {res['plans']} plans / {res['tasks']} tasks in {res['load_s']} s "
              f"({res['plans_per_s']} plans/s, {res['tasks_per_s']:.0f} tasks/s; {res['load_cpu_s']} CPU s; load average "
              f"{res['loadavg_before']} → {res['loadavg_after']}), {mem}; "
              f"batch {res['batch']}; one plan per transaction: re-load {res['reload_ms_per_plan']} ms, "
              f"new {res['single_new_plan_ms']} ms; idempotent {res['idempotent_after_reload']}; "
              f"stats {res['stats_s']} s, full-text {res['fulltext_s']} s, trace {res['trace_s']} s"
              + (f"; folder {res['store_folder_mb']} MB" if "store_folder_mb" in res else ""))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if results else 1


if __name__ == "__main__":
    sys.exit(main())
