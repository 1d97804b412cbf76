"""Request and response models of the HTTP API (they make the OpenAPI schema at /docs)."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from .service import MAX_QUESTION_CHARS


Status = Literal["未开始", "推进中", "已完成", "长期推进", "暂缓"]
Role = Literal["admin", "editor", "reporter", "viewer"]


class Open(BaseModel):
    """Known fields are typed; extra fields the graph adds later are passed through."""
    model_config = ConfigDict(extra="allow")


class ErrorBody(BaseModel):
    error: str = Field(description="machine-readable code, e.g. not_found, question_too_long")
    message: str = Field(description="中文说明")
    message_en: str = Field(description="English message")
    detail: Optional[Any] = None


class Evidence(Open):
    doc_id: str
    doc_no: Optional[str] = None
    title: Optional[str] = None
    quote: str = Field(description="the source text between start and end (cut at 300 characters)")
    start: int
    end: int
    what: Optional[str] = Field(None, description="task | role: which span the quote is")


# ---- ask
class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS, description="中文问题",
                          examples=["矿区环保中队负责哪些任务"])
    today: Optional[date] = Field(None, description="date the question is asked (for 逾期 / 下个月)")
    context: Optional[dict[str, Any]] = Field(None, description="`context` of the previous answer, for follow-ups "
                                                                "such as 这个任务的截止时间呢?")
    debug: StrictBool = Field(False, description="include intent scores and every query run (true / false only)")


class AskResponse(Open):
    question: str
    intent: str
    entities: dict[str, Any]
    cypher: str
    params: dict[str, Any]
    answers: list[dict[str, Any]] = Field(description="rows; each has `evidence`: [{doc_id, doc_no, title, quote, start, end}]")
    text: str
    context: dict[str, Any]


# ---- units
class UnitSummary(BaseModel):
    name: str
    kind: str = "unit"
    aliases: list[str] = []
    tasks: int = 0
    leads: int = 0


class UnitRef(BaseModel):
    name: str
    kind: str = "unit"
    aliases: list[str] = []


class UnitTask(Open):
    task_id: str
    number: Optional[str] = None
    path: Optional[str] = None
    heading: Optional[str] = None
    doc_id: Optional[str] = None
    doc_no: Optional[str] = None
    document: Optional[str] = None
    roles: list[str] = Field(description="lead | responsible | support")
    deadlines: list[str] = []
    evidence: list[Evidence] = []


class UnitTasks(BaseModel):
    unit: UnitRef
    tasks: list[UnitTask]


# ---- documents / trace
class DocumentBrief(Open):
    doc_id: str
    doc_no: Optional[str] = None
    title: Optional[str] = None
    issuer: Optional[str] = None
    date: Optional[str] = None
    level: Optional[str] = None
    region: Optional[str] = None
    stub: bool = False


class DocumentSummary(DocumentBrief):
    tasks: int = 0


class DocumentLink(DocumentBrief):
    depth: int = Field(description="levels between this document and the one asked about")


class AlignedTask(Open):
    task_id: str
    number: Optional[str] = None
    heading: Optional[str] = None
    doc_id: Optional[str] = None
    score: Optional[float] = None
    depth: Optional[int] = None
    evidence: Optional[Evidence] = None


class TraceNode(DocumentBrief):
    depth: int = 0
    aligned_tasks: list[AlignedTask] = []
    parents: list["TraceNode"] = []


class Trace(BaseModel):
    tree: TraceNode = Field(description="the document, and the documents it implements, up to the top")
    highest: DocumentBrief = Field(description="highest loaded (non-stub) directive in the chain")


class ChildNode(DocumentBrief):
    depth: int = 0
    children: list["ChildNode"] = []


class Target(Open):
    indicator: Optional[str] = None
    op: Optional[str] = None
    value: Optional[float] = None
    unit: Optional[str] = None
    year: Optional[int] = None
    text: Optional[str] = None


class DocTask(BaseModel):
    task_id: str
    number: Optional[str] = None
    path: Optional[str] = None
    heading: Optional[str] = None
    units: list[str] = []


class DocumentDetail(DocumentBrief):
    parents: list[DocumentLink]
    children: list[DocumentLink]
    targets: list[Target] = []
    tasks: list[DocTask]
    trace: Trace
    children_tree: ChildNode


class TaskUnit(BaseModel):
    name: str
    role: str
    raw: Optional[str] = None
    evidence: Optional[Evidence] = None


class DeadlineOut(Open):
    text: Optional[str] = None
    date: Optional[Any] = None
    kind: Optional[str] = None


class TaskRef(BaseModel):
    task_id: str
    number: Optional[str] = None
    heading: Optional[str] = None


class TaskDetail(Open):
    id: str
    doc_id: Optional[str] = None
    number: Optional[str] = None
    path: Optional[str] = None
    heading: Optional[str] = None
    text: Optional[str] = None
    start: Optional[int] = None
    end: Optional[int] = None
    document: Optional[DocumentBrief] = None
    evidence: Optional[Evidence] = None
    units: list[TaskUnit] = []
    deadlines: list[DeadlineOut] = []
    targets: list[Target] = []
    parent_task: Optional[TaskRef] = None
    subtasks: list[TaskRef] = []
    aligned: list[AlignedTask] = Field([], description="parent-level tasks this task carries out (ALIGNS_WITH), all levels")
    trace: Optional[Trace] = None
    status: Optional[Status] = Field(None, description="status from the latest progress report; null = none yet")
    progress: list["ProgressOut"] = Field([], description="progress reports, newest first")


# ---- graph
class GraphNode(BaseModel):
    id: str = Field(description="u:<unit name> or t:<task id>")
    kind: str = Field(description="unit | task")
    label: str
    key: str = Field(description="unit name or task id")
    facts: dict[str, Any] = {}
    center: bool = False


class GraphEdge(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    source: str = Field(alias="from")
    to: str
    role: str = Field(description="lead | responsible | support")
    label: str
    evidence: Optional[str] = None


class Graph(BaseModel):
    center: str = Field(description="u:<unit> or d:<doc_id> asked for")
    title: str = Field(description="unit name or document title")
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool = False


# ---- upload
class PlanPreview(Open):
    source: str
    doc_id: str
    title: Optional[str] = None
    doc_no: Optional[str] = None
    issuer: Optional[str] = None
    date: Optional[str] = None
    level: Optional[str] = None
    region: Optional[str] = None
    parents: list[dict[str, Any]] = []
    counts: dict[str, int]
    units: list[str] = []
    tasks: list[dict[str, Any]] = []
    warnings: list[str] = []


class UploadFileResult(Open):
    file: str
    ok: bool
    status: Optional[int] = None
    error: Optional[str] = None
    error_en: Optional[str] = None
    plan: Optional[PlanPreview] = None
    loaded: Optional[dict[str, Any]] = None
    index: Optional[dict[str, Any]] = None


class UploadResponse(BaseModel):
    dry_run: bool
    files: list[UploadFileResult]
    stats_before: dict[str, Any] = {}
    stats_after: dict[str, Any] = {}


# ---- health
class Health(BaseModel):
    status: str
    engine: str
    counts: dict[str, Any]
    version: Optional[str] = None


# ---- 督办: progress, ledger, revisions, audit, users
class ProgressIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Status
    note: str = Field("", max_length=2000, description="进展说明")
    date: Optional[str] = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$", examples=["2019-10-31"],
                                description="date of the progress, YYYY-MM-DD (default today; not in the future)")


class ProgressOut(BaseModel):
    id: str
    task_id: str
    date: str
    status: Status
    note: str = ""
    unit: Optional[str] = None
    user: Optional[str] = None
    recorded_at: str
    source: Optional[str] = None


class LedgerRow(BaseModel):
    id: str
    doc_id: str
    doc_no: Optional[str] = None
    title: Optional[str] = None
    number: Optional[str] = None
    path: Optional[str] = None
    heading: Optional[str] = None
    text: Optional[str] = None
    status: Optional[Status] = None
    overdue: bool
    lead: list[str] = []
    responsible: list[str] = []
    support: list[str] = []
    deadlines: list[DeadlineOut] = []
    latest: Optional[dict[str, Any]] = None
    quote: str = ""


class Completion(BaseModel):
    key: str
    title: Optional[str] = None
    tasks: int
    done: int
    reported: int
    rate: float


class ImportRow(BaseModel):
    row: int
    task_id: Optional[str] = None
    status: Optional[str] = None
    date: Optional[str] = None
    progress_id: Optional[str] = None
    reason: Optional[str] = None
    reason_en: Optional[str] = None


class ImportResult(BaseModel):
    applied: list[ImportRow]
    refused: list[ImportRow]
    unchanged: int


class Revision(Open):
    doc_id: str
    at: str
    old_tasks: int
    new_tasks: int
    added: list[dict[str, Any]]
    dropped: list[dict[str, Any]]
    reworded: list[dict[str, Any]]
    renumbered: list[dict[str, Any]]
    units: list[dict[str, Any]]
    progress_moved: int


class AuditEntry(BaseModel):
    id: int
    at: str
    user: Optional[str] = None
    action: str
    target: Optional[str] = None
    detail: dict[str, Any] = {}


TRIMMED = r"^\S(?:.*\S)?$"  # no leading or trailing spaces, not empty


class StaffIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100, pattern=TRIMMED)
    role: Literal["admin", "editor", "viewer"]
    unit: Optional[str] = Field(None, max_length=200, pattern=TRIMMED)


class ReporterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100, pattern=TRIMMED)
    role: Literal["reporter"]
    unit: str = Field(min_length=1, max_length=200, pattern=TRIMMED,
                      description="the unit (name or alias) whose tasks the reporter reports on")


UserIn = Annotated[Union[StaffIn, ReporterIn], Field(discriminator="role")]


class UserOut(BaseModel):
    name: str
    role: Role
    unit: Optional[str] = None
    created_at: Optional[str] = None
    tokens: int = 0
    token: Optional[str] = Field(None, description="only when just created: shown once")


TaskDetail.model_rebuild()
