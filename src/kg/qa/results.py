"""Typed results of question answering: `Evidence` (a quoted span of a document) and `Answer` (what
`kg.qa.ask` returns). `Answer.to_dict()` is the JSON contract of `policykg ask --json` and the API:
    {question, intent, entities, cypher, params, answers: [{…row…, evidence: [{doc_id, doc_no, title,
     quote, start, end, what}]}], text, context, queries, debug}
Answer rows stay open records (each intent returns its own columns); their `evidence` lists hold
`Evidence` objects until serialised.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Evidence:
    doc_id: str
    start: int
    end: int
    what: str | None = None  # task | role | citation | target | doc_no | issuer | date | aligned_task | passage
    doc_no: str | None = None
    title: str | None = None
    quote: str | None = None  # filled in by Ctx.fill_evidence (one query per answer)
    window: tuple[int, int] | None = field(default=None, repr=False, compare=False)  # text read to find a role's sentence

    def to_dict(self) -> dict:
        d = {"doc_id": self.doc_id, "doc_no": self.doc_no, "title": self.title, "quote": self.quote,
             "start": self.start, "end": self.end}
        if self.what:
            d["what"] = self.what
        return d

    # read access by key, for code written against the dict form
    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def get(self, key: str, default=None) -> Any:
        return getattr(self, key, default)


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain(v: Any) -> Any:
    if type(v) in _SCALARS:  # most values of a 200-row answer: no isinstance chain
        return v
    if isinstance(v, Evidence):
        return v.to_dict()
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v


@dataclass
class Answer:
    question: str
    intent: str  # the intent that produced the rows (not_answerable when the graph holds no answer)
    text: str
    answers: list[dict] = field(default_factory=list)
    entities: dict = field(default_factory=dict)
    cypher: str = ""
    params: dict = field(default_factory=dict)
    context: dict = field(default_factory=dict)
    queries: list[dict] = field(default_factory=list)
    debug: dict = field(default_factory=dict)
    scope: dict | None = None  # the document the question was scoped to: {doc_id, label, others:[…]}

    @property
    def evidence(self) -> list[Evidence]:
        return [e for a in self.answers for e in a.get("evidence") or [] if isinstance(e, Evidence)]

    def to_dict(self) -> dict:
        d = {"question": self.question, "intent": self.intent, "entities": _plain(self.entities),
             "cypher": self.cypher, "params": _plain(self.params), "answers": _plain(self.answers),
             "text": self.text, "context": _plain(self.context), "queries": _plain(self.queries),
             "debug": _plain(self.debug)}
        if self.scope is not None:
            d["scope"] = _plain(self.scope)
        return d
