"""`policykg user | progress | diff | export-xlsx | import-xlsx | audit`: 督办 from the command line.
Writes made here are recorded in the audit as the operating-system user (`cli:<login>`), or as
`--as NAME` for a user of the accounts (whose role then applies)."""
from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

STORE_HELP = "embedded:PATH or bolt://… (default: KG_STORE or embedded:./.policykg)"


def register(subparsers) -> None:
    u = subparsers.add_parser("user", help="用户与令牌 / user accounts and API tokens")
    us = u.add_subparsers(dest="user_command", required=True)
    a = us.add_parser("add", help="add a user; prints its API token on the last line as `token: …`")
    a.add_argument("name")
    a.add_argument("--role", required=True, choices=["admin", "editor", "reporter", "viewer"])
    a.add_argument("--unit", help="单位名: the unit a reporter reports for")
    lst = us.add_parser("list", help="list users")
    lst.add_argument("--json", action="store_true")
    r = us.add_parser("remove", help="remove a user (its tokens stop working at once)")
    r.add_argument("name")
    t = us.add_parser("token", help="revoke a user's tokens and print a new one as `token: …`")
    t.add_argument("name")
    for p in (a, lst, r, t):
        p.add_argument("--store", help=STORE_HELP + " (its accounts file; KG_ACCOUNTS overrides)")
    u.set_defaults(func=cmd_user)

    p = subparsers.add_parser("progress", help="任务进展 / show or report progress on a task")
    p.add_argument("task_id")
    p.add_argument("--status", choices=["未开始", "推进中", "已完成", "长期推进", "暂缓"],
                   help="report this status (without it: print the task's history)")
    p.add_argument("--note", default="", help="进展说明")
    p.add_argument("--date", help="YYYY-MM-DD (default today)")
    p.add_argument("--as", dest="as_user", help="report as this user of the accounts (its role applies)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--store", help=STORE_HELP)
    p.set_defaults(func=cmd_progress)

    d = subparsers.add_parser("diff", help="版本差异 / what changed when a plan was re-issued")
    d.add_argument("doc_id", help="document id (no:文号 or title:标题), as in `policykg stats` / the API")
    d.add_argument("--all", action="store_true", help="every recorded revision, newest first (default: the latest)")
    d.add_argument("--json", action="store_true")
    d.add_argument("--store", help=STORE_HELP)
    d.set_defaults(func=cmd_diff)

    e = subparsers.add_parser("export-xlsx", help="导出督办台账 / export the task sheet (.xlsx)")
    g = e.add_mutually_exclusive_group(required=True)
    g.add_argument("--doc-id")
    g.add_argument("--unit")
    g.add_argument("--overdue", action="store_true")
    e.add_argument("--asof", help="day overdue is judged on, YYYY-MM-DD (default today)")
    e.add_argument("-o", "--output", required=True, help=".xlsx file to write")
    e.add_argument("--store", help=STORE_HELP)
    e.set_defaults(func=cmd_export)

    i = subparsers.add_parser("import-xlsx", help="导入进展 / import progress from an exported sheet")
    i.add_argument("file")
    i.add_argument("--as", dest="as_user", help="import as this user of the accounts (its role applies)")
    i.add_argument("--json", action="store_true")
    i.add_argument("--store", help=STORE_HELP)
    i.set_defaults(func=cmd_import)

    au = subparsers.add_parser("audit", help="审计记录 / every write: who, when, what")
    au.add_argument("--limit", type=int, default=50)
    au.add_argument("--json", action="store_true")
    au.add_argument("--store", help=STORE_HELP)
    au.set_defaults(func=cmd_audit)


# ---------------------------------------------------------------- helpers
def _accounts(args):
    from .accounts import Accounts, default_path

    return Accounts(default_path(args.store))


def _open(args):
    from kg.store import StoreError, open_store

    try:
        return open_store(args.store)
    except StoreError as exc:
        print(f"policykg {args.command}: {exc}", file=sys.stderr)
        return None


def _actor(args, accounts):
    """(User or None, audit name): `--as NAME` is a user of the accounts; else the OS user, unrestricted."""
    name = getattr(args, "as_user", None)
    if name:
        user = accounts.get(name)
        if user is None:
            print(f"policykg {args.command}: no user {name!r}", file=sys.stderr)
            return False, None
        return user, user.name
    try:
        login = getpass.getuser()
    except Exception:
        login = "unknown"
    return None, f"cli:{login}"


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


# ---------------------------------------------------------------- commands
def cmd_user(args) -> int:
    from .accounts import AccountError

    acc = _accounts(args)
    _, by = _actor(args, acc)
    try:
        if args.user_command == "add":
            token = acc.add(args.name, args.role, args.unit, by=by)
            print(f"用户 {args.name}（{args.role}{'，' + args.unit if args.unit else ''}）已添加 / user added "
                  f"({acc.path}); the token is shown only now:")
            print(f"token: {token}")
        elif args.user_command == "token":
            token = acc.new_token(args.name, by=by)
            print(f"{args.name}: earlier tokens revoked")
            print(f"token: {token}")
        elif args.user_command == "remove":
            acc.remove(args.name, by=by)
            print(f"用户 {args.name} 已删除 / user removed")
        else:
            users = acc.users()
            if args.json:
                _print_json(users)
            elif not users:
                print("（尚无用户：API 无需登录，只在 127.0.0.1 上提供服务）/ no users: the API is open on 127.0.0.1 only")
            else:
                for u in users:
                    print(f"{u['name']}\t{u['role']}\t{u['unit'] or '-'}\t{u['created_at']}\ttokens={u['tokens']}")
    except AccountError as exc:
        print(f"policykg user {args.user_command}: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_progress(args) -> int:
    from . import progress as P

    acc = _accounts(args)
    user, by = _actor(args, acc)
    if user is False:
        return 1
    store = _open(args)
    if store is None:
        return 1
    try:
        if args.status:
            try:
                row = P.report(store, args.task_id, P.Report(args.status, args.note, args.date), user, source="cli")
            except P.ProgressError as exc:
                print(f"policykg progress: {exc.message_en} / {exc.message}", file=sys.stderr)
                return 1
            acc.audit(by, "progress", args.task_id, {"status": row["status"], "date": row["date"],
                                                     "note": row["note"][:200], "progress_id": row["id"]})
            _print_json(row) if args.json else print(f"{row['date']} {row['status']} {row['note']}  ✓")
            return 0
        if P.task_scope(store, args.task_id) is None:
            print(f"policykg progress: task not found: {args.task_id}", file=sys.stderr)
            return 1
        hist = P.progress_of(store, args.task_id)
        if args.json:
            _print_json(hist)
        else:
            for h in hist or []:
                print(f"{h['date']}\t{h['status']}\t{h['unit'] or '-'}\t{h['user'] or '-'}\t{h['note']}")
            if not hist:
                print("（尚无进展）/ no progress reported")
        return 0
    finally:
        store.close()


def cmd_diff(args) -> int:
    from kg.store.revisions import revisions

    store = _open(args)
    if store is None:
        return 1
    try:
        revs = revisions(store, args.doc_id, limit=100 if args.all else 1)
    finally:
        store.close()
    if not revs:
        print(f"policykg diff: no revision recorded for {args.doc_id} (loaded once, or re-loaded unchanged)",
              file=sys.stderr)
        return 1
    if args.json:
        _print_json(revs if args.all else revs[0])
        return 0
    for d in revs:
        print(f"{d['doc_id']}  {d['at']}: {d['old_tasks']} → {d['new_tasks']} 项任务，进展随任务迁移 {d['progress_moved']} 条")
        for t in d["added"]:
            print(f"  + 新增 {t['path']}  {t['heading']}")
        for t in d["dropped"]:
            print(f"  - 删除 {t['path']}  {t['heading']}" + (f"（保留 {t['reports']} 条进展）" if t["reports"] else ""))
        for t in d["reworded"]:
            print(f"  ~ 改写 {t['old_path']} → {t['path']}  {t['heading']}（相似度 {t['similarity']}）")
        for t in d["renumbered"]:
            if not any(r["id"] == t["id"] for r in d["reworded"]):
                print(f"  ↷ 重编号 {t['old_path']} → {t['path']}  {t['heading']}")
        for t in d["units"]:
            print(f"  ⇄ 单位 {t['path']}  +{'、'.join(t['added']) or '-'}  −{'、'.join(t['removed']) or '-'}")
    return 0


def cmd_export(args) -> int:
    from . import progress as P
    from .sheets import export_xlsx

    store = _open(args)
    if store is None:
        return 1
    try:
        ids = P.task_ids(store, doc_id=args.doc_id, unit=args.unit, overdue=args.overdue, asof=args.asof)
        data = export_xlsx(store, ids, asof=args.asof)
    finally:
        store.close()
    Path(args.output).write_bytes(data)
    print(f"{len(ids)} 项任务 → {args.output}")
    return 0


def cmd_import(args) -> int:
    from .sheets import SheetError, import_xlsx

    acc = _accounts(args)
    user, by = _actor(args, acc)
    if user is False:
        return 1
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"policykg import-xlsx: {args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    store = _open(args)
    if store is None:
        return 1
    try:
        result = import_xlsx(store, data, user)
    except SheetError as exc:
        print(f"policykg import-xlsx: {args.file}: {exc.message_en} / {exc.message}", file=sys.stderr)
        return 1
    finally:
        store.close()
    acc.audit(by, "import", Path(args.file).name, {"applied": [a["task_id"] for a in result["applied"]],
                                                   "refused": len(result["refused"]), "unchanged": result["unchanged"]})
    if args.json:
        _print_json(result)
    else:
        print(f"已应用 {len(result['applied'])} 行，拒绝 {len(result['refused'])} 行，未变 {result['unchanged']} 行")
        for r in result["refused"]:
            print(f"  ✗ 第 {r['row']} 行 {r['task_id'] or ''}: {r['reason']}")
    return 1 if result["refused"] and not result["applied"] else 0


def cmd_audit(args) -> int:
    rows = _accounts(args).audit_log(limit=args.limit)
    if args.json:
        _print_json(rows)
    else:
        for r in rows:
            print(f"{r['at']}\t{r['user'] or '-'}\t{r['action']}\t{r['target'] or ''}\t"
                  f"{json.dumps(r['detail'], ensure_ascii=False)[:160]}")
    return 0
