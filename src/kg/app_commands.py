"""`policykg load | export | validate | analytics`: the commands that span layers (loaders + extract +
store + indexing; store + ontology). They live above the layers they use, so kg.store imports
nothing from extract, ontology or qa. `policykg stats` stays with the store (kg.store.commands)."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

STORE_HELP = "embedded:PATH or bolt://… / neo4j://… / neo4j+s://… (default: KG_STORE or embedded:./.policykg)"


def register(subparsers) -> None:
    p = subparsers.add_parser("load", help="抽取并入库 / extract plans and load them into the graph")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="plan files, .zip archives of plans, or folders (searched recursively)")
    p.add_argument("--store", help=STORE_HELP)
    p.add_argument("--no-embed", action="store_true", help="skip task embeddings and ALIGNS_WITH after loading")
    p.set_defaults(func=cmd_load)

    e = subparsers.add_parser("export", help="导出RDF / export the graph as RDF (Turtle or JSON-LD)")
    e.add_argument("--format", choices=["ttl", "jsonld"], default="ttl")
    e.add_argument("-o", "--output", help="file to write (default: stdout)")
    e.add_argument("--store", help=STORE_HELP)
    e.add_argument("--no-provenance", action="store_true", help="leave out the reified evidence of relationships")
    e.set_defaults(func=cmd_export)

    v = subparsers.add_parser("validate", help="SHACL校验 / check the graph against ontology/shapes.ttl")
    v.add_argument("--store", help=STORE_HELP)
    v.add_argument("--json", action="store_true", help="print the report as JSON")
    v.add_argument("--strict", action="store_true", help="exit 1 when there are violations")
    v.add_argument("--examples", type=int, default=10, help="focus nodes listed per message (default 10)")
    v.set_defaults(func=cmd_validate)

    a = subparsers.add_parser("analytics", help="网络分析 / unit load, co-responsibility, centrality, tasks without lead")
    a.add_argument("--store", help=STORE_HELP)
    a.add_argument("--json", action="store_true", help="print JSON")
    a.add_argument("--top", type=int, default=15, help="rows per ranking (default 15)")
    a.set_defaults(func=cmd_analytics)


# ---------------------------------------------------------------- helpers
def _open(args, prog: str):
    from kg.store import StoreError, open_store

    try:
        return open_store(args.store)
    except StoreError as exc:
        print(f"policykg {prog}: {exc}", file=sys.stderr)
        return None


def expand_paths(paths: list[str]) -> list[tuple[Path, str | None]]:
    """Files to load, in order; folders are searched recursively for files of a supported type. A path
    that does not exist is kept with its error so it gets its own line."""
    from kg.loaders import SUPPORTED_EXTENSIONS as exts

    out: list[tuple[Path, str | None]] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in exts
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            if not found:
                out.append((p, f"no plan files ({', '.join(exts)}) in folder"))
            out.extend((f, None) for f in found)
        elif p.exists():
            out.append((p, None))
        else:
            out.append((p, "no such file or folder"))
    return out


def plans_in(path: Path):
    """(source, Plan) for each plan in a file (several for a .zip); a Plan with `error` for a file or
    member that cannot be read. Never raises for bad input."""
    from kg.extract import extract_text
    from kg.loaders import iter_load
    from kg.model import Plan

    for source, loaded in iter_load(path):
        if isinstance(loaded, Exception):
            yield source, Plan(source=source, error=str(loaded))
            continue
        plan = extract_text(loaded.text, source=source, meta=loaded.meta)
        plan.warnings = list(loaded.warnings) + plan.warnings
        yield source, plan


def _index_new_tasks(store) -> dict | None:
    try:
        from kg.qa.indexing import index_new_tasks
    except ModuleNotFoundError as exc:
        if exc.name not in ("kg.qa.indexing", "kg.qa"):
            raise
        return None
    return index_new_tasks(store)


def _audit_load(args, source: str, counts: dict) -> None:
    """Every load from the command line goes into the 督办 audit, as the operating-system user."""
    import getpass

    from kg.supervision.accounts import Accounts, default_path

    try:
        login = getpass.getuser()
    except Exception:
        login = "unknown"
    Accounts(default_path(args.store)).audit(f"cli:{login}", "load", counts.get("doc_id"),
                                            {"source": str(source), "tasks": counts.get("tasks")})


# ---------------------------------------------------------------- commands
def cmd_load(args) -> int:
    from kg import progressbar
    from kg.store import StoreError

    files = expand_paths(args.paths)
    store = _open(args, "load")
    if store is None:
        return 1
    ok = failed = 0
    say = progressbar.write
    t0 = time.perf_counter()
    try:
        with progressbar.bar(total=len(files), desc="loading", unit="file") as pb:
            for path, problem in files:
                if problem:
                    say(f"error {path}: {problem}")
                    failed += 1
                    pb.update(1)
                    continue
                for source, plan in plans_in(path):
                    if plan.error:
                        say(f"error {plan.error}")
                        failed += 1
                        continue
                    try:
                        c = store.load_plan(plan)
                    except StoreError as exc:
                        say(f"error {source}: {exc}")
                        failed += 1
                        continue
                    ok += 1
                    _audit_load(args, source, c)
                    say(f"ok    {source}: {c['doc_id']} — {c['tasks']} tasks, {c['units']} units, {c['roles']} roles, "
                        f"{c['deadlines']} deadlines, {c['targets']} targets, {c['citations']} citations")
                pb.update(1)
        if ok and not args.no_embed:
            try:
                info = _index_new_tasks(store)
            except StoreError as exc:
                print(f"embeddings not made: {exc}", file=sys.stderr)
                info = None
            if info is not None:
                print("indexed: " + ", ".join(f"{k} {v}" for k, v in info.items()))
    finally:
        store.close()
    print(f"{ok} loaded, {failed} failed ({time.perf_counter() - t0:.1f}s)")
    return 0 if ok else 1


def cmd_export(args) -> int:
    from kg.ontology.rdf import export_graph

    store = _open(args, "export")
    if store is None:
        return 1
    try:
        g = export_graph(store, provenance=not args.no_provenance)
    finally:
        store.close()
    data = g.serialize(format="turtle" if args.format == "ttl" else "json-ld", **(
        {"context": _jsonld_context()} if args.format == "jsonld" else {}))
    if args.output:
        Path(args.output).write_text(data, encoding="utf-8")
        print(f"{len(g)} triples written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(data)
    return 0


def _jsonld_context() -> dict:
    from kg.ontology.rdf import PK

    return {"pk": str(PK), "xsd": "http://www.w3.org/2001/XMLSchema#"}


def _report(args, compute, text):
    """Open the store, compute a report from it, close, print it as JSON (--json) or text; None if the
    store could not be opened."""
    store = _open(args, args.command)
    if store is None:
        return None
    try:
        report = compute(store)
    finally:
        store.close()
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else text(report))
    return report


def cmd_validate(args) -> int:
    from kg.ontology.shacl import format_report, validate_store

    report = _report(args, lambda store: validate_store(store, examples=args.examples), format_report)
    if report is None:
        return 1
    return 1 if args.strict and report["violations"] else 0


def cmd_analytics(args) -> int:
    from kg.ontology.analytics import analyse, format_analysis

    return 0 if _report(args, lambda store: analyse(store, top=args.top), format_analysis) is not None else 1
