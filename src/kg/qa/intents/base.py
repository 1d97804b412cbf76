"""The intent registry. An intent is registered once, in the module of its family, with everything
about it in one place:

    @intent("unit_tasks", family="unit", needs=["unit"], templates=["unit_tasks"],
            description="某单位负责哪些任务", examples=[...], rule=lambda s: ...)
    def handle(c: Ctx): ...  -> (rows, text) | None (None: the needs were not met, fall back)

`rule(s: Signals) -> float` scores the question from keywords and linked entities; the examples feed the
similarity term; templates name files in qa/templates/ (parameters only). Adding an intent = one new
module under kg/qa/intents/ (imported in __init__) + its .cypher file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from kg import resources


@dataclass
class Intent:
    name: str
    family: str  # unit | task | time | document | statistics | open
    description: str
    needs: list[str]  # unit | task | document | period | indicator
    templates: list[str]
    rule: Callable  # Signals -> float
    handler: Callable = None  # Ctx -> (rows, text) | None
    examples: list[str] = field(default_factory=list)
    # an empty result means the graph does not hold the answer (reported as not_answerable)
    empty_is_unanswerable: bool = False

    def spec(self) -> dict:
        return {"description": self.description, "templates": list(self.templates), "needs": list(self.needs),
                "examples": list(self.examples), "family": self.family}


REGISTRY: dict[str, Intent] = {}


def intent(name: str, *, family: str, description: str, needs=(), templates=(), examples=(),
           rule: Callable | None = None, empty_is_unanswerable: bool = False):
    """Decorator registering a handler as intent `name`."""

    def deco(fn):
        REGISTRY[name] = Intent(name, family, description, list(needs), list(templates),
                                rule or (lambda s: 0.0), fn, list(examples), empty_is_unanswerable)
        return fn

    return deco


def rows_of(result: list[dict]) -> list[dict]:
    """A template's rows. A template that answers with many rows may return them as one row whose one
    column `rows` is their list (`RETURN collect({...}) AS rows`): the embedded engine sends each row as a
    message of its own, which the driver reads one by one, ~15 ms for 200 rows at rest and 30-45 ms on a
    busy machine, against ~10 ms as one list. (Not the sorted 200-row templates, tasks_due, overdue_tasks,
    targets: a WITH ... ORDER BY before collect() put rows with equal sort keys in another order than their
    RETURN ... ORDER BY, and wrapping that in CALL {} made the embedded engine scan instead of walking the
    index range: ~250 ms.)"""
    if len(result) == 1 and list(result[0]) == ["rows"] and isinstance(result[0]["rows"], list):
        return result[0]["rows"]
    return result


# Sorted templates with a one-list twin (`<name>_list.cypher`) and their sort key, as answer columns.
LISTED = {"tasks_due": ("date", "doc_id", "start"), "overdue_tasks": ("date", "doc_id", "start"),
          "targets": ("doc_id", "start")}


def listed_rows(run, name: str, params: dict) -> tuple[list[dict], str]:
    """The rows of sorted template `name` (a key of LISTED) and the Cypher that gave them, the same rows in the
    same order as `name` itself: its one-list twin is asked for one row more than $limit, and when no two of
    those share the sort key the order is the key's alone (so is which rows make the cut); otherwise `name`
    is asked, whose order among equal keys is the engine's (rows sorted before collect() came back in
    another). `run(cypher, params) -> rows`."""
    fast = template(f"{name}_list")
    rows = rows_of(run(fast, {**params, "limit": params["limit"] + 1}))
    keys = {tuple(r.get(k) for k in LISTED[name]) for r in rows}
    if len(keys) == len(rows):
        return rows[:params["limit"]], fast
    return rows_of(run(template(name), params)), template(name)


@lru_cache(maxsize=64)
def template(name: str) -> str:
    text = resources.read_text("qa", "templates", f"{name}.cypher")  # shipped in the package (kg.resources)
    # drop // comment lines: some engines reject a leading comment
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//")).strip()
