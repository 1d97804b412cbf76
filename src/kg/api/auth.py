"""Who is calling: `Authorization: Bearer <token>` checked against kg.supervision.accounts.

With no user at all the API is open (one person on their own machine; `serve` then listens on
127.0.0.1 only). Once a user exists every /api call needs a token: 401 without one or with a token that
is unknown, revoked or forged; 403 when the caller's role may not do what the route does."""
from __future__ import annotations

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kg.supervision.accounts import User

from kg.errors import ApiError

bearer = HTTPBearer(auto_error=False, description="API token from `policykg user add` (pk_…)")
WHAT = {"read": ("查看", "read"), "report": ("填报进展", "report progress"), "load": ("载入方案", "load plans"),
        "admin": ("管理用户和审计", "administer users and the audit")}


async def current_user(request: Request,
                       creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> User | None:
    """On the event loop (a sync dependency costs every request a trip through the thread pool, which
    slow questions may hold); only a token not verified lately is checked in a worker thread (Argon2)."""
    accounts = request.app.state.accounts
    if not accounts.any_user():
        return None
    if creds is None:
        raise ApiError(401, "unauthorized", "需要登录：请求头须带 Authorization: Bearer <令牌>",
                       "authentication required: send Authorization: Bearer <token>",
                       headers={"WWW-Authenticate": "Bearer"})
    user = await run_in_threadpool(accounts.authenticate, creds.credentials)
    if user is None:
        raise ApiError(401, "bad_token", "令牌无效、已撤销或已过期", "the token is invalid or revoked",
                       headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    request.state.user = user
    return user


def need(permission: str):
    """A dependency: the caller (None in open mode) if its role has `permission`, else 403."""
    zh, en = WHAT[permission]

    async def check(user: User | None = Depends(current_user)) -> User | None:
        if user is not None and not user.may(permission):
            raise ApiError(403, "forbidden", f"角色 {user.role} 无权{zh}", f"role {user.role} may not {en}")
        return user

    check.__name__ = f"need_{permission}"
    return check


def who(user: User | None) -> str | None:
    return user.name if user else None
