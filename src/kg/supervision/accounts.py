"""Users, roles, API tokens and the audit trail, in a SQLite file beside the graph.

Why not in the graph: the graph is what questions are answered from (templates, the raw Cypher the UI
and tests send, RDF export, `store.clear()` before a re-import); accounts and the audit must be out of
reach of all of that and must not be wiped with the data. SQLite is in the standard library, is one
file that survives restarts, and gives transactions for the audit.

Where: `KG_ACCOUNTS` if set; else for `embedded:PATH` the file `PATH/policykg-accounts.sqlite3` (it moves
and is backed up with the store folder); else (a Neo4j server) `~/.local/share/policykg/accounts-<hash of
the URI>.sqlite3` — point KG_ACCOUNTS at a volume in production.

Tokens: `pk_<token id>_<secret>`; only an Argon2id hash of the whole token is stored (argon2-cffi).
A verified token is remembered in memory by its SHA-256 for a minute, but the user and the token row
are read on every call, so removing a user or revoking a token takes effect at once.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

ROLES = ("admin", "editor", "reporter", "viewer")
# what each role may do; reporters report only on tasks where their unit holds a role (progress.py)
PERMISSIONS = {
    "admin": {"read", "report", "load", "admin"},
    "editor": {"read", "report", "load"},
    "reporter": {"read", "report"},
    "viewer": {"read"},
}
FILE_NAME = "policykg-accounts.sqlite3"
VERIFY_CACHE_SECONDS = 60
TICKET_SECONDS = 3600

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY, role TEXT NOT NULL, unit TEXT, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY, user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    hash TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, user TEXT, action TEXT NOT NULL,
    target TEXT, detail TEXT);
"""


class AccountError(ValueError):
    """A request about accounts that cannot be done (unknown role, user exists, no such user)."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    unit: str | None = None

    def may(self, permission: str) -> bool:
        return permission in PERMISSIONS.get(self.role, set())


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def default_path(store_uri: str | None) -> Path:
    env = os.environ.get("KG_ACCOUNTS")
    if env:
        return Path(env)
    uri = (store_uri or os.environ.get("KG_STORE") or "embedded:./.policykg").strip()
    if uri == "embedded" or uri.startswith("embedded:"):
        return Path(uri.partition(":")[2] or "./.policykg") / FILE_NAME
    digest = hashlib.sha1(uri.encode("utf-8")).hexdigest()[:12]
    return Path.home() / ".local" / "share" / "policykg" / f"accounts-{digest}.sqlite3"


class Accounts:
    def __init__(self, path: str | Path):
        from argon2 import PasswordHasher

        self.path = Path(path)
        self._hasher = PasswordHasher()
        self._lock = threading.Lock()
        self._verified: dict[str, tuple[str, float]] = {}  # sha256(token) -> (token id, time)
        self._ready = False
        self._ticket_key = secrets.token_bytes(32)  # read tickets are valid in this process only

    def _db(self) -> sqlite3.Connection:
        """A connection; the file and its tables are made on first use (reading a store with no
        accounts leaves no file behind: see `exists`)."""
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=10)
            db.executescript(SCHEMA)
            db.close()
            self._ready = True
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        db.execute("PRAGMA foreign_keys = ON")
        db.row_factory = sqlite3.Row
        return _Closing(db)

    # ------------------------------------------------------------------ users
    def exists(self) -> bool:
        return self._ready or self.path.exists()

    def any_user(self) -> bool:
        if not self.exists():
            return False
        with self._db() as db:
            return db.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None

    def users(self) -> list[dict]:
        if not self.exists():
            return []
        with self._db() as db:
            rows = db.execute("SELECT u.name, u.role, u.unit, u.created_at, "
                              "(SELECT count(*) FROM tokens t WHERE t.user = u.name AND t.revoked_at IS NULL) "
                              "AS tokens FROM users u ORDER BY u.name").fetchall()
        return [dict(r) for r in rows]

    def get(self, name: str) -> User | None:
        with self._db() as db:
            r = db.execute("SELECT name, role, unit FROM users WHERE name = ?", (name,)).fetchone()
        return User(r["name"], r["role"], r["unit"]) if r else None

    def add(self, name: str, role: str, unit: str | None = None, by: str | None = None) -> str:
        """Create a user; return its first API token (shown once, only its hash is kept)."""
        name = (name or "").strip()
        unit = (unit or "").strip() or None
        if not name or len(name) > 100:
            raise AccountError("user name must be 1–100 characters")
        if role not in ROLES:
            raise AccountError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
        if role == "reporter" and not unit:
            raise AccountError("a reporter needs --unit (the unit whose tasks it reports on)")
        token, tid, digest = self._new_token()
        with self._lock, self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("INSERT INTO users (name, role, unit, created_at) VALUES (?, ?, ?, ?)",
                           (name, role, unit, now()))
            except sqlite3.IntegrityError:
                db.execute("ROLLBACK")
                raise AccountError(f"user {name!r} exists already") from None
            db.execute("INSERT INTO tokens (id, user, hash, created_at) VALUES (?, ?, ?, ?)",
                       (tid, name, digest, now()))
            self._audit(db, by, "user_add", name, {"role": role, "unit": unit})
            db.execute("COMMIT")
        return token

    def new_token(self, name: str, by: str | None = None) -> str:
        """Revoke the user's tokens and issue a new one."""
        token, tid, digest = self._new_token()
        with self._lock, self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            if db.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone() is None:
                db.execute("ROLLBACK")
                raise AccountError(f"no user {name!r}")
            db.execute("UPDATE tokens SET revoked_at = ? WHERE user = ? AND revoked_at IS NULL", (now(), name))
            db.execute("INSERT INTO tokens (id, user, hash, created_at) VALUES (?, ?, ?, ?)",
                       (tid, name, digest, now()))
            self._audit(db, by, "token_new", name, {})
            db.execute("COMMIT")
        return token

    def remove(self, name: str, by: str | None = None) -> None:
        with self._lock, self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            if db.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount == 0:
                db.execute("ROLLBACK")
                raise AccountError(f"no user {name!r}")
            self._audit(db, by, "user_remove", name, {})
            db.execute("COMMIT")

    def _new_token(self) -> tuple[str, str, str]:
        tid = secrets.token_hex(6)
        token = f"pk_{tid}_{secrets.token_urlsafe(32)}"
        return token, tid, self._hasher.hash(token)

    # ------------------------------------------------------------------ tokens
    def ticket(self, user: User, seconds: int = TICKET_SECONDS) -> str:
        """A short-lived read-only token for a signed-in UI user (the network page fetches /api with it)."""
        name = base64.urlsafe_b64encode(user.name.encode("utf-8")).decode("ascii").rstrip("=")
        msg = f"{name}.{int(time.time()) + seconds}"
        return f"tk_{msg}.{self._sign(msg)}"

    def _sign(self, msg: str) -> str:
        return hmac.new(self._ticket_key, msg.encode("ascii"), hashlib.sha256).hexdigest()[:32]

    def _from_ticket(self, token: str) -> User | None:
        try:
            name, exp, sig = token[3:].split(".")
            if not hmac.compare_digest(sig, self._sign(f"{name}.{exp}")) or int(exp) < time.time():
                return None
            user = self.get(base64.urlsafe_b64decode(name + "=" * (-len(name) % 4)).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None
        return User(user.name, "viewer", user.unit) if user else None  # read only, and only while the user exists

    def authenticate(self, token: str | None) -> User | None:
        """The user a token belongs to, or None (malformed, unknown, revoked, forged, user removed)."""
        if token and token.startswith("tk_") and len(token) < 400:
            return self._from_ticket(token)
        if not token or not token.startswith("pk_") or len(token) > 200:
            return None
        parts = token.split("_", 2)
        if len(parts) != 3:
            return None
        tid = parts[1]
        with self._db() as db:
            r = db.execute("SELECT t.hash, t.revoked_at, u.name, u.role, u.unit FROM tokens t "
                           "JOIN users u ON u.name = t.user WHERE t.id = ?", (tid,)).fetchone()
        if r is None or r["revoked_at"] is not None:
            return None
        key = hashlib.sha256(token.encode("utf-8")).hexdigest()
        hit = self._verified.get(key)
        if not (hit and hit[0] == tid and time.monotonic() - hit[1] < VERIFY_CACHE_SECONDS):
            from argon2.exceptions import InvalidHashError, VerificationError

            try:
                self._hasher.verify(r["hash"], token)
            except (VerificationError, InvalidHashError):
                return None
            self._verified[key] = (tid, time.monotonic())
        return User(r["name"], r["role"], r["unit"])

    # ------------------------------------------------------------------ audit
    def audit(self, user: str | None, action: str, target: str | None = None, detail: dict | None = None) -> None:
        with self._lock, self._db() as db:
            self._audit(db, user, action, target, detail or {})

    @staticmethod
    def _audit(db, user, action, target, detail) -> None:
        db.execute("INSERT INTO audit (at, user, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                   (now(), user, action, target, json.dumps(detail, ensure_ascii=False, default=str)))

    def audit_log(self, limit: int = 200, action: str | None = None, user: str | None = None) -> list[dict]:
        sql, args = "SELECT id, at, user, action, target, detail FROM audit WHERE 1=1", []
        if action:
            sql += " AND action = ?"
            args.append(action)
        if user:
            sql += " AND user = ?"
            args.append(user)
        sql += " ORDER BY id DESC LIMIT ?"
        args.append(int(limit))
        if not self.exists():
            return []
        with self._db() as db:
            rows = db.execute(sql, args).fetchall()
        return [dict(r, detail=json.loads(r["detail"] or "{}")) for r in rows]


class _Closing:
    """sqlite3 connection as a context manager that closes (sqlite3's own only commits)."""

    def __init__(self, db):
        self.db = db

    def __enter__(self):
        return self.db

    def __exit__(self, *exc):
        self.db.close()
        return False
