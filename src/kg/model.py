"""Typed records passed between stages: loaders -> extract -> store -> qa.

Every record that comes from text carries `start`/`end`: character offsets into
`Plan.text`, the cleaned source text, so any fact can be quoted back.
All records are plain dataclasses and serialise with `to_dict()` / `Plan.from_dict()`.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field

from kg.roles import ROLE_KEYS as ROLES  # noqa: E402  (the one role vocabulary)
DEADLINE_KINDS = ("by", "range", "recurring", "ongoing", "immediate")
OPS = ("<=", ">=", "<", ">", "=")


@dataclass
class Span:
    start: int
    end: int


@dataclass
class UnitMention:
    """A unit named in a task with its role there; `raw` is the surface form."""
    name: str
    role: str  # one of ROLES
    raw: str
    start: int
    end: int


@dataclass
class Deadline:
    text: str
    date: str | None  # ISO end date (month-end for 底, the 15th for 中旬)
    start_date: str | None  # ISO start date for ranges / 自…起
    kind: str  # one of DEADLINE_KINDS
    start: int
    end: int


@dataclass
class Target:
    indicator: str
    op: str  # one of OPS
    value: float
    unit: str | None  # None: a composite index (发展水平指数达到68)
    year: int | None
    text: str
    start: int
    end: int


@dataclass
class DocRef:
    """A cited document: `title` and/or `doc_no` (文号)."""
    title: str | None
    doc_no: str | None
    start: int
    end: int

    @property
    def doc_id(self) -> str:
        return document_id(self.doc_no, self.title)


PREAMBLE_PATH = "¶0"  # the task holding what the text before the first numbered item sets (its time limits)


@dataclass
class Task:
    id: str
    parent_id: str | None
    number: str  # the marker as written: 一、 （一） 1. （1） 一是
    path: str  # markers of the ancestors and self joined by "/", e.g. 三/（一）/1/（1）
    heading: str  # short title of the item (text up to the first 。 or the line end)
    text: str  # the item's own text: from its marker up to the next numbered item
    start: int
    end: int
    units: list[UnitMention] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    references: list[DocRef] = field(default_factory=list)


@dataclass
class Unit:
    name: str  # canonical name
    aliases: list[str] = field(default_factory=list)  # every surface form seen
    kind: str = "unit"  # department | government | village | enterprise | team | collective (各行政村) | unit


@dataclass
class Plan:
    source: str
    title: str | None = None
    doc_no: str | None = None
    issuer: str | None = None
    date: str | None = None  # ISO 成文/印发 date
    level: str | None = None  # national | province | city | county | township | zone
    region: str | None = None
    parents: list[DocRef] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    text: str = ""  # cleaned text all offsets point into
    error: str | None = None  # set when the file could not be read; nothing else is then

    @property
    def doc_id(self) -> str:
        return document_id(self.doc_no, self.title, fallback=self.source)

    def to_dict(self, with_text: bool = True) -> dict:
        data = asdict(self)
        data["doc_id"] = self.doc_id
        data["parents"] = [dict(asdict(p), doc_id=p.doc_id) for p in self.parents]
        if not with_text:
            data.pop("text")
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Plan":
        def refs(items):
            return [DocRef(**{k: r[k] for k in ("title", "doc_no", "start", "end")}) for r in items]

        tasks = []
        for t in data.get("tasks", []):
            tasks.append(Task(
                **{k: t[k] for k in ("id", "parent_id", "number", "path", "heading", "text", "start", "end")},
                units=[UnitMention(**u) for u in t.get("units", [])],
                deadlines=[Deadline(**d) for d in t.get("deadlines", [])],
                targets=[Target(**x) for x in t.get("targets", [])],
                references=refs(t.get("references", [])),
            ))
        return cls(
            source=data["source"], title=data.get("title"), doc_no=data.get("doc_no"),
            issuer=data.get("issuer"), date=data.get("date"), level=data.get("level"),
            region=data.get("region"), parents=refs(data.get("parents", [])),
            targets=[Target(**x) for x in data.get("targets", [])], tasks=tasks,
            units=[Unit(**u) for u in data.get("units", [])], warnings=list(data.get("warnings", [])),
            text=data.get("text", ""), error=data.get("error"),
        )


# ---- document identity: one place decides when two mentions are the same document ----

_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "(": "〔", ")": "〕", "（": "〔", "）": "〕",
                           "〈": "〔", "〉": "〕", "【": "〔", "】": "〕", "［": "〔", "］": "〕",
                           "號": "号", "﹝": "〔", "﹞": "〕", "｛": "〔", "｝": "〕"})


def normalize_doc_no(doc_no: str | None) -> str | None:
    """郑办[2019]9号, 郑办(2019)9號, 郑办〔2019〕09号 -> 郑办〔2019〕9号."""
    if not doc_no:
        return None
    s = unicodedata.normalize("NFKC", doc_no).translate(_BRACKETS)
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"〕0+(\d)", r"〕\1", s)
    return s or None


def normalize_title(title: str | None) -> str | None:
    """Drop the 关于印发《…》的通知 wrapper and punctuation so a title cited in short form matches."""
    if not title:
        return None
    s = unicodedata.normalize("NFKC", title)
    inner = re.search(r"印发[《<〈]?(.+?)[》>〉]?的?通知", s)
    if inner:
        s = inner.group(1)
    s = re.sub(r"[\s《》<>〈〉\"“”'‘’·,，、:：]", "", s)
    return s or None


def document_id(doc_no: str | None, title: str | None, fallback: str | None = None) -> str:
    """Stable key of a document: its normalised 文号, else its normalised title, else the source."""
    no = normalize_doc_no(doc_no)
    if no:
        return "no:" + no
    t = normalize_title(title)
    if t:
        return "title:" + t
    return "src:" + hashlib.sha1((fallback or "").encode("utf-8")).hexdigest()[:16]
