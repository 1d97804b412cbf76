"""`policykg extract FILE... [--json]`: print the Plan records of files, no store needed."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from kg.loaders import SUPPORTED_EXTENSIONS


def register(subparsers) -> None:
    p = subparsers.add_parser("extract", help="extract Plan records from plan files (txt/html/docx/pdf)")
    p.add_argument("paths", nargs="+", help="files or folders")
    p.add_argument("--json", action="store_true", help="print the JSON list of Plans (default: a summary line per file)")
    p.add_argument("--with-text", action="store_true", help="include the cleaned text in the JSON")
    p.set_defaults(func=run)


def expand_paths(paths: list[str]) -> list[Path]:
    """Files as given, and every supported file inside the folders given (sorted)."""
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_EXTENSIONS)
        else:
            out.append(p)
    return out


def run(args) -> int:
    from kg.extract import extract_file

    plans = [extract_file(path) for path in expand_paths(args.paths)]
    if args.json:
        json.dump([p.to_dict(with_text=args.with_text) for p in plans], sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for p in plans:
            if not p.error:
                n_units = sum(len(t.units) for t in p.tasks)
                print(f"{p.source}: {p.title or '(no title)'} {p.doc_no or ''} — {len(p.tasks)} tasks, "
                      f"{len(p.units)} units, {n_units} roles, {sum(len(t.deadlines) for t in p.tasks)} deadlines, "
                      f"{len(p.parents)} parents, {len(p.warnings)} warnings")
    for p in plans:  # errors go to stderr in both modes, one line each
        if p.error:
            print(f"error: {p.error}", file=sys.stderr)
    return 1 if plans and all(p.error for p in plans) else 0
