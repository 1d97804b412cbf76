"""The one role vocabulary: how a unit stands to a task.

Every layer speaks of roles through this table — extract (`UnitMention.role` is a `key`), store
(relationship `rel`), qa (Cypher `rels` parameters, Chinese answer words), api and ui (labels). The
order is the rank: the lead first.

    key          rel               rank  cn    label
    lead         LEADS             0     牵头  牵头单位
    responsible  RESPONSIBLE_FOR   1     责任  责任单位
    support      SUPPORTS          2     配合  配合单位
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    key: str  # lead | responsible | support (extract, JSON, API)
    rel: str  # relationship type in the graph
    rank: int  # 0 = lead
    cn: str  # 牵头 / 责任 / 配合
    label: str  # 牵头单位 / 责任单位 / 配合单位


ROLES: tuple[Role, ...] = (
    Role("lead", "LEADS", 0, "牵头", "牵头单位"),
    Role("responsible", "RESPONSIBLE_FOR", 1, "责任", "责任单位"),
    Role("support", "SUPPORTS", 2, "配合", "配合单位"),
)
BY_KEY = {r.key: r for r in ROLES}
BY_REL = {r.rel: r for r in ROLES}
ROLE_KEYS = tuple(r.key for r in ROLES)
ROLE_RELS = {r.key: r.rel for r in ROLES}  # lead -> LEADS
REL_ROLE = {r.rel: r.key for r in ROLES}  # LEADS -> lead
ALL_RELS = [r.rel for r in ROLES]
REL_PATTERN = "|".join(ALL_RELS)  # for a fixed Cypher pattern: [:LEADS|RESPONSIBLE_FOR|SUPPORTS]
# Chinese word for either spelling (key or relationship type)
ROLE_CN = {**{r.key: r.cn for r in ROLES}, **{r.rel: r.cn for r in ROLES}}


def role(name: str) -> Role | None:
    """A role by key, relationship type or Chinese word."""
    return BY_KEY.get(name) or BY_REL.get(name) or next((r for r in ROLES if name in (r.cn, r.label)), None)


def rank(name: str) -> int:
    r = role(name)
    return r.rank if r else len(ROLES)


def cn(name: str) -> str:
    r = role(name)
    return r.cn if r else str(name)
