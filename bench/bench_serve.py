"""Load test on loopback: N concurrent clients ask mixed questions against `policykg serve` for a fixed time.

By default it starts `policykg demo` itself on a free port with a fresh embedded store in a temp folder
(the sample plans are loaded first, so it needs nothing outside the project), asks the first question
until it is answered (the time from starting the server process to that answer is reported), runs the clients, stops the server and prints throughput, p50/p95/p99 and errors.

    python bench/bench_serve.py                      # 50 clients, 60 s, own server
    python bench/bench_serve.py --clients 10 --seconds 15
    python bench/bench_serve.py --url http://127.0.0.1:8000   # an already running server
    python bench/bench_serve.py --store embedded:./.policykg  # serve an existing store (no sample load)
    python bench/bench_serve.py --store embedded:./.policykg --first-answer-only   # start-up only
    python bench/bench_serve.py --store embedded:./.policykg --settle 90 --rounds 2 --seconds 40

--settle S starts the clients no earlier than S seconds after the server (codes whose warm-ups differ meet
them equally settled). --rounds 2 runs the clients twice on the same server: the first round pays for
computing the answers (on 2 cores shared with other work, often all of it), the second shows the answer
cache. Each round reports the load average and the server's CPU seconds (every thread, the JVM's too).

The loop is bounded: every client stops at the deadline, each request has a timeout, and --max-requests
caps the total. Exit status 1 when any request failed.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

QUESTIONS = [
    # sample plans (loaders/samples): city → county → township
    "市生态环境局负责哪些任务",
    "谁牵头燃煤锅炉拆改？",
    "这个任务的截止时间呢？",
    "2024年10月底前要完成什么？",
    "潭溪县2024年大气污染防治攻坚战实施方案依据哪个上级文件？",
    "哪些方案落实了青政办〔2024〕5号？",
    "哪些单位任务最多？",
    "哪些任务没有牵头单位？",
    "镇生态环境办公室牵头哪些工作",
    "PM2.5浓度目标是多少",
    "柴油货车专项整治由谁负责",
    "市住房和城乡建设局和谁一起负责扬尘管控",
    "秸秆禁烧有什么措施",
    "县环境监察大队要做什么",
    # seeds (answered when the store holds them; otherwise a polite miss)
    "矿区环保中队负责哪些任务",
    "2019年10月底前要完成什么？",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    xs = sorted(values)
    k = (len(xs) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def start_server(args) -> tuple[subprocess.Popen, str, str | None]:
    port = free_port()
    tmp = None
    if args.store:
        cmd = ["serve", "--store", args.store]
    else:
        tmp = tempfile.mkdtemp(prefix="bench-serve-")
        cmd = ["demo", "--store", f"embedded:{tmp}/store"]
    exe = shutil.which("policykg") or str(Path(sys.executable).with_name("policykg"))
    full = [exe, *cmd, "--port", str(port), "--host", "127.0.0.1"] + (["--no-ui"] if args.no_ui else [])
    print("starting:", " ".join(full), flush=True)
    log = open(Path(tempfile.gettempdir()) / f"bench-serve-{port}.log", "w")
    t0 = time.monotonic()
    proc = subprocess.Popen(full, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + args.startup_timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}; see {log.name}")
        try:  # the first question itself, as a user would ask it the moment the port opens
            r = httpx.post(url + "/api/ask", json={"question": args.first_question, "today": "2024-06-30"}, timeout=120)
            if r.status_code == 200:
                args.first_answer_s = round(time.monotonic() - t0, 2)
                print(f"first answer {args.first_answer_s}s after the server process started "
                      f"(load average {os.getloadavg()[0]:.2f}; log {log.name})", flush=True)
                if not args.first_answer_only:  # clients come to a server that has finished its warm-up
                    while time.time() < deadline and "warm-up done" not in Path(log.name).read_text("utf-8", "replace"):
                        time.sleep(0.5)
                    print(f"warm-up done {time.monotonic() - t0:.1f}s after start", flush=True)
                    # a fixed time from start to the first client, whatever the warm-up took: A/B runs of
                    # codes whose warm-ups differ then meet the clients equally settled
                    time.sleep(max(0.0, args.settle - (time.monotonic() - t0)))
                return proc, url, tmp
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    stop_server(proc, tmp)
    raise SystemExit(f"server not ready after {args.startup_timeout}s; see {log.name}")


def rss_mb(pid: int) -> float | None:
    """Resident memory of the server process (the embedded engine's Java heap included: it runs inside)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            return next(int(ln.split()[1]) / 1024 for ln in fh if ln.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return None


def cpu_s(pid: int) -> float | None:
    """CPU seconds (user + system) the server process has used so far, all its threads (the JVM's too)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def stop_server(proc: subprocess.Popen, tmp: str | None) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)  # the server's own process group (start_new_session)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)


async def client(i: int, url: str, stop_at: float, budget: list[int], out: dict, timeout: float) -> None:
    """One user: a short conversation at a time (follow-ups carry the context), until the deadline."""
    async with httpx.AsyncClient(base_url=url, timeout=timeout) as http:
        k = i
        context = None
        while time.monotonic() < stop_at and budget[0] > 0:
            budget[0] -= 1
            q = QUESTIONS[k % len(QUESTIONS)]
            k += 1
            t0 = time.perf_counter()
            try:
                r = await http.post("/api/ask", json={"question": q, "context": context, "today": "2024-06-30"})
                dt = time.perf_counter() - t0
                if r.status_code == 200:
                    body = r.json()
                    context = body.get("context") if k % 3 else None
                    out["lat"].append(dt)
                    out["by_question"].setdefault(q, []).append(dt)
                    out["intents"][body.get("intent")] = out["intents"].get(body.get("intent"), 0) + 1
                else:
                    out["errors"].append(f"{r.status_code} {r.text[:120]}")
            except httpx.HTTPError as exc:
                out["errors"].append(f"{type(exc).__name__}: {exc}"[:160])


async def run_load(url: str, clients: int, seconds: float, max_requests: int, timeout: float) -> dict:
    out = {"lat": [], "errors": [], "intents": {}, "by_question": {}}
    budget = [max_requests]
    t0 = time.monotonic()
    stop_at = t0 + seconds
    await asyncio.gather(*(client(i, url, stop_at, budget, out, timeout) for i in range(clients)))
    out["wall"] = time.monotonic() - t0
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", help="existing server (default: start policykg demo on a free port)")
    ap.add_argument("--store", help="serve this store instead of a fresh demo store")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--max-requests", type=int, default=200_000)
    ap.add_argument("--timeout", type=float, default=60, help="per-request timeout (s)")
    ap.add_argument("--startup-timeout", type=float, default=300)
    ap.add_argument("--no-ui", action="store_true", help="start the server without the Gradio UI")
    ap.add_argument("--first-answer-only", action="store_true",
                    help="start the server, time its first answer (from process start), stop")
    ap.add_argument("--first-question", default=QUESTIONS[0], help="the question timed as the first answer")
    ap.add_argument("--settle", type=float, default=0,
                    help="with an own server: the clients start no earlier than this many seconds after its start")
    ap.add_argument("--rounds", type=int, default=1,
                    help="rounds of clients, one after the other, on the same server: the first pays for computing "
                         "the answers, later ones show the answer cache (their results under later_rounds)")
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args()

    proc = tmp = None
    url = args.url
    args.first_answer_s = None
    if not url:
        proc, url, tmp = start_server(args)
    rounds = []
    try:
        health = httpx.get(url + "/api/health", timeout=60).json()
        if args.first_answer_only:
            rounds.append({"lat": [], "errors": [], "intents": {}, "wall": 0.0})
            args.clients = 0
        else:
            print(f"store: {health.get('engine')} {json.dumps(health.get('counts'), ensure_ascii=False)}", flush=True)
            for _ in range(args.rounds):
                rounds.append(load_round(url, proc, args))
        server_rss = rss_mb(proc.pid) if proc is not None else None
    finally:
        if proc is not None:
            stop_server(proc, tmp)
    summaries = [summarize(res, args) for res in rounds]
    summary = dict(summaries[0], server_rss_mb=round(server_rss) if server_rss else None)
    if len(summaries) > 1:
        summary["later_rounds"] = summaries[1:]
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return 1 if any(s["errors"] for s in summaries) else 0


def load_round(url: str, proc, args) -> dict:
    """One round of clients, with the machine's load average and the server's CPU seconds around it."""
    print(f"running {args.clients} clients for {args.seconds:.0f}s …", flush=True)
    load0 = os.getloadavg()[0]
    cpu0 = cpu_s(proc.pid) if proc is not None else None
    res = asyncio.run(run_load(url, args.clients, args.seconds, args.max_requests, args.timeout))
    res["loadavg"] = [round(load0, 2), round(os.getloadavg()[0], 2)]
    cpu1 = cpu_s(proc.pid) if proc is not None else None
    # the server's own CPU during the round: answers per CPU-second hold up better than answers per second
    # when other work shares the cores
    res["server_cpu_s"] = round(cpu1 - cpu0, 1) if cpu0 is not None and cpu1 is not None else None
    return res


def summarize(res: dict, args) -> dict:
    lat = res["lat"]
    n_ok, n_err = len(lat), len(res["errors"])
    summary = {
        "clients": args.clients, "seconds": round(res["wall"], 1), "requests": n_ok + n_err, "ok": n_ok,
        "errors": n_err, "throughput_rps": round(n_ok / res["wall"], 2) if res["wall"] else 0,
        "p50_ms": round(percentile(lat, 50) * 1000, 1), "p95_ms": round(percentile(lat, 95) * 1000, 1),
        "p99_ms": round(percentile(lat, 99) * 1000, 1), "max_ms": round(max(lat) * 1000, 1) if lat else None,
        "mean_ms": round(statistics.mean(lat) * 1000, 1) if lat else None, "intents": res["intents"],
        "by_question_ms": {q: {"n": len(v), "p50": round(percentile(v, 50) * 1000), "p95": round(percentile(v, 95) * 1000)}
                           for q, v in res.get("by_question", {}).items()},
        "server_cpu_s": res.get("server_cpu_s"),
        "first_errors": res["errors"][:5], "cpus": os.cpu_count(), "loadavg_1min": res.get("loadavg"),
        "first_answer_s": args.first_answer_s, "first_question": args.first_question,
    }
    print(f"\n{summary['requests']} requests in {summary['seconds']}s from {args.clients} clients: "
          f"{summary['throughput_rps']} answers/s, p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, "
          f"p99 {summary['p99_ms']} ms, max {summary['max_ms']} ms, errors {n_err}, "
          f"server CPU {summary['server_cpu_s']} s, load {summary['loadavg_1min']}", flush=True)
    return summary


if __name__ == "__main__":
    sys.exit(main())
