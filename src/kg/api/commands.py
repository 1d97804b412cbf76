"""`policykg serve` (API + UI on one port) and `policykg demo` (load the sample plans, then serve)."""
from __future__ import annotations

import sys
import threading
import time
from pathlib import Path


def register(subparsers) -> None:
    s = subparsers.add_parser("serve", help="启动 API 和网页界面 / serve the API and the web UI on one port")
    _common(s)
    s.set_defaults(func=cmd_serve)

    d = subparsers.add_parser("demo", help="载入示例方案并启动网页 / load the sample plans and serve")
    _common(d)
    d.add_argument("--samples", help="folder of sample plans (default: the samples shipped with policy-kg)")
    d.add_argument("--no-serve", action="store_true", help="load the samples (embeddings included) and exit")
    d.set_defaults(func=cmd_demo)


def _common(p) -> None:
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--store", help="embedded:PATH or bolt://… (default: KG_STORE or embedded:./.policykg)")
    p.add_argument("--no-ui", action="store_true", help="serve only the JSON API")


def samples_dir() -> Path | None:
    """The sample plans shipped inside the package (loaders/samples of the project)."""
    from kg import resources

    if not resources.exists("loaders", "samples"):
        return None
    return resources.path("loaders", "samples")


def _open(args):
    from kg.store import StoreError, open_store

    try:
        return open_store(args.store)
    except StoreError as exc:
        print(f"policykg {args.command}: {exc}", file=sys.stderr)
        return None


def _warm_up(store) -> None:
    """In the background, so the first questions are not the slow ones (kg.qa.warmup: the lexicon, the
    models, one vector and one full-text search, every template once); its timings go to the log."""
    def run():
        from kg.qa.warmup import warm_up

        done = warm_up(store)
        print("  预热完成 / warm-up done: " + ", ".join(f"{k} {v}" for k, v in done.items()), flush=True)

    threading.Thread(target=run, name="warm-up", daemon=True).start()


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def open_allowed(accounts, host: str) -> bool:
    """With no user the API needs no login: then only this machine may reach it."""
    if host in LOOPBACK or accounts.any_user():
        return True
    print(f"policykg serve: no user accounts yet, so the API is open and may only listen on 127.0.0.1; "
          f"add one first (policykg user add NAME --role admin) to serve on {host}\n"
          f"  尚无用户：无需登录时只能在 127.0.0.1 上提供服务；请先添加用户（policykg user add NAME --role admin）",
          file=sys.stderr)
    return False


def serve(store, host: str, port: int, ui: bool = True) -> int:
    import socket

    import uvicorn

    from kg.supervision.accounts import Accounts, default_path

    from .app import create_app

    accounts = Accounts(default_path(getattr(store, "uri", None)))
    if not open_allowed(accounts, host):
        return 1

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            print(f"policykg serve: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
            return 1
    _warm_up(store)  # before the app: the lexicon is read while the UI is built
    app = create_app(store, ui=ui, accounts=accounts)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    base = f"http://{shown}:{port}"
    print(f"policy-kg 已启动 / serving on {base}", flush=True)
    if ui:
        print(f"  网页界面 / web UI:   {base}/ui/", flush=True)
    print(f"  API 文档 / API docs: {base}/docs", flush=True)
    if accounts.any_user():
        print(f"  需要令牌登录 / login required (accounts: {accounts.path})", flush=True)
    print("  按 Ctrl+C 停止 / press Ctrl+C to stop", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)
    return 0


def cmd_serve(args) -> int:
    from kg.qa import lexicon_cache

    # The Java heap stays at the engine's 4 GB default here (KG_EMBEDDED_HEAP=auto sizes it from the store, as
    # `policykg ask` does): answering 50 clients' new questions at once on 10,000 plans, a 1.75-2.5 GB heap
    # spent 15-25% more CPU, much of it in full collections, than 4 GB (issue 11, round 7)
    lexicon_cache.prefetch_store(args.store)  # read while the store opens (issue 11: first answer)
    store = _open(args)
    if store is None:
        return 1
    try:
        return serve(store, args.host, args.port, ui=not args.no_ui)
    finally:
        close = getattr(store, "close", None)
        if close:
            close()


def load_samples(store, folder: Path) -> list[dict]:
    from kg.extract import extract_file
    from kg.qa.indexing import index_new_tasks

    results = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
                       and p.suffix.lower() not in (".md", ".json")):
        plan = extract_file(path)
        if plan.error:
            print(f"  ✗ {plan.error}", file=sys.stderr)
            results.append({"file": path.name, "error": plan.error})
            continue
        t0 = time.perf_counter()
        store.load_plan(plan)
        print(f"  ✓ {path.name}: {plan.title or plan.doc_id}（{len(plan.tasks)} 项任务，"
              f"{len(plan.units)} 个单位，{time.perf_counter() - t0:.1f}s）", flush=True)
        results.append({"file": path.name, "doc_id": plan.doc_id, "tasks": len(plan.tasks)})
    print("  计算向量并对齐上下级任务（首次约半分钟）/ embedding tasks and aligning levels …", flush=True)
    t0 = time.perf_counter()
    idx = index_new_tasks(store)
    print(f"  向量与对齐 / embeddings + alignment: {idx.get('embedded', 0)} 项任务，{idx.get('aligned', 0)} 条对齐"
          f"（{time.perf_counter() - t0:.1f}s）", flush=True)
    return results


def cmd_demo(args) -> int:
    folder = Path(args.samples) if args.samples else samples_dir()
    if folder is None or not folder.is_dir():
        print(f"policykg demo: sample plans not found ({args.samples or 'not shipped in this install'}); pass --samples FOLDER", file=sys.stderr)
        return 1
    store = _open(args)
    if store is None:
        return 1
    from kg.supervision.accounts import Accounts, default_path

    if not open_allowed(Accounts(default_path(store.uri)), args.host):
        store.close()
        return 1
    try:
        print(f"载入示例方案 / loading sample plans from {folder}", flush=True)
        results = load_samples(store, folder)
        if not any("doc_id" in r for r in results):
            print("policykg demo: no sample plan could be loaded", file=sys.stderr)
            return 1
        if args.no_serve:
            return 0 if all("doc_id" in r for r in results) else 1
        return serve(store, args.host, args.port, ui=not args.no_ui)
    finally:
        close = getattr(store, "close", None)
        if close:
            close()
