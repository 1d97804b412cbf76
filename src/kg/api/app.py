"""FastAPI app: JSON API under /api, OpenAPI docs at /docs, the Gradio UI at /ui, the network view at
/network. `create_app(store=None)` opens the store from KG_STORE on first use when none is given.

    uvicorn --factory kg.api.app:create_app      # or: policykg serve
"""
from __future__ import annotations

import asyncio
import json
import threading
from contextlib import asynccontextmanager
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import TypeAdapter

from kg import resources
from kg.supervision.accounts import Accounts, User, default_path

from . import models as m
from .ask_cache import AskCache
from .auth import need, who
from .duban import router as duban_router
from kg.errors import ApiError
from kg.qa import answer_cache
from kg.service import MAX_QUESTION_CHARS, Service, max_file_bytes

ASK_RESPONSE = TypeAdapter(m.AskResponse)
JSON_BODY_LIMIT = 64 * 1024  # any /api request but uploads
MAX_UPLOAD_FILES = 10
ERRORS = {400: {"model": m.ErrorBody}, 401: {"model": m.ErrorBody}, 403: {"model": m.ErrorBody}, 404: {"model": m.ErrorBody}, 413: {"model": m.ErrorBody},
          415: {"model": m.ErrorBody}, 422: {"model": m.ErrorBody}, 503: {"model": m.ErrorBody}}


def _json(status: int, body: dict) -> JSONResponse:
    return JSONResponse(body, status_code=status)


class BodyLimit:
    """Reject /api request bodies over a limit with 413 before any route reads them (also for chunked
    requests without Content-Length): a 10 MB question never reaches the JSON parser."""

    def __init__(self, app, limit: int, upload_limit: int):
        self.app, self.limit, self.upload_limit = app, limit, upload_limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith("/api/") or scope["method"] in ("GET", "HEAD"):
            return await self.app(scope, receive, send)
        limit = self.upload_limit if scope["path"] == "/api/upload" else self.limit
        headers = dict(scope.get("headers") or [])
        try:
            declared = int(headers.get(b"content-length", b"0"))
        except ValueError:
            declared = 0
        if declared > limit:
            return await self._reject(scope, receive, send, limit)
        chunks, size = [], 0
        while True:
            msg = await receive()
            if msg["type"] != "http.request":
                return  # client went away
            body = msg.get("body", b"")
            size += len(body)
            if size > limit:
                return await self._reject(scope, receive, send, limit)
            chunks.append(body)
            if not msg.get("more_body"):
                break
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)

    @staticmethod
    async def _reject(scope, receive, send, limit):
        body = ApiError(413, "request_too_large", f"请求过大（上限 {limit} 字节）",
                        f"request body is larger than {limit} bytes").body()
        resp = JSONResponse(body, status_code=413, headers={"Connection": "close"})
        await resp(scope, receive, send)


def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errs = exc.errors()
    for e in errs:
        loc = [str(x) for x in e.get("loc", [])]
        if "question" in loc:
            if e.get("type") in ("string_too_short", "missing"):
                return _json(422, ApiError(422, "empty_question", "问题不能为空", "question is empty").body())
            if e.get("type") == "string_too_long":
                return _json(422, ApiError(422, "question_too_long", f"问题过长（最多 {MAX_QUESTION_CHARS} 字）",
                                           f"question is longer than {MAX_QUESTION_CHARS} characters").body())
    fields = ", ".join(".".join(str(x) for x in e.get("loc", [])[1:]) or "body" for e in errs)
    detail = [{"loc": list(e.get("loc", [])), "msg": e.get("msg"), "type": e.get("type")} for e in errs]
    return _json(422, ApiError(422, "invalid_request", f"请求参数不正确：{fields}", f"invalid request: {fields}",
                               detail=json.loads(json.dumps(detail, default=str))).body())


def create_app(store=None, store_uri: str | None = None, ui: bool = True, accounts: Accounts | None = None) -> FastAPI:
    """`accounts`: users, roles and the audit (default: the SQLite file beside the store, see
    kg.supervision.accounts). With no user the API is open; `serve` then binds 127.0.0.1 only."""
    if accounts is None:
        accounts = Accounts(default_path(getattr(store, "uri", None) if store is not None else store_uri))
    state = {"service": Service(store) if store is not None else None, "owned": False, "asks": AskCache()}
    lock = threading.Lock()

    @asynccontextmanager
    async def lifespan(app):
        yield
        if state["owned"] and state["service"] is not None:  # only a store this app opened itself
            close = getattr(state["service"].store, "close", None)
            if close:
                close()

    app = FastAPI(title="policy-kg API", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="政策实施方案知识图谱：问答、单位任务、溯源、责任网络、上传、RDF 导出。\n\n"
                              "Errors are `{error, message, message_en}` with a 4xx status.")

    def service() -> Service:
        if state["service"] is None:
            with lock:
                if state["service"] is None:
                    from kg.store import open_store

                    state["service"] = Service(open_store(store_uri))
                    state["owned"] = True
        return state["service"]

    def set_store(new_store) -> None:
        """Serve another store from now on (tests switch engines without restarting the server)."""
        with lock:
            state["service"], state["owned"], state["asks"] = Service(new_store), False, AskCache()

    app.state.get_service = service
    app.state.set_store = set_store
    app.state.accounts = accounts
    READ = Depends(need("read"))

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        resp = _json(exc.status, exc.body())
        if exc.headers:
            resp.headers.update(exc.headers)
        return resp

    app.add_exception_handler(RequestValidationError, _validation_error)

    from starlette.exceptions import HTTPException as StarletteHTTPException

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):  # unknown paths, wrong methods: same shape
        zh = {404: "没有这个地址", 405: "不支持该请求方法"}.get(exc.status_code, "请求错误")
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _json(exc.status_code, ApiError(exc.status_code, code, f"{zh}：{request.url.path}",
                                               f"{exc.detail}: {request.url.path}").body())

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception):  # logged by uvicorn; the client gets JSON
        return _json(500, ApiError(500, "internal_error", f"服务器内部错误（{type(exc).__name__}）",
                                   f"internal server error ({type(exc).__name__})").body())

    try:
        from kg.store import StoreError
    except ImportError:  # store not installed yet: nothing to map
        StoreError = None
    if StoreError is not None:
        @app.exception_handler(StoreError)
        async def _store_error(request: Request, exc):
            return _json(503, ApiError(503, "store_unavailable", f"图数据库不可用：{exc}",
                                       f"graph store unavailable: {exc}").body())

    # ------------------------------------------------------------------ routes
    @app.get("/api/health", dependencies=[READ], response_model=m.Health, tags=["meta"], summary="store engine and node counts")
    def health():
        return service().health()

    @app.post("/api/ask", dependencies=[READ], response_model=m.AskResponse, responses=ERRORS, tags=["qa"],
              summary="answer a Chinese question (follow-ups: pass the previous answer's context)")
    async def ask(req: m.AskRequest):
        """A question asked before (same words, day and context; the graph unchanged) is answered from
        here with the bytes sent then (ask_cache.py); any other is answered in a worker thread."""
        svc, asks = state["service"], state["asks"]
        key = None if req.debug or svc is None else svc.ask_key(req.question, req.today, req.context)
        if key is not None:
            body = asks.get(svc.store, key)
            if body is None and key in asks.pending:  # being answered: wait here, not in a worker thread
                await asks.pending[key].wait()
                body = asks.get(svc.store, key)
            if body is not None:
                return Response(body, media_type="application/json")
            if key not in asks.pending:
                asks.pending[key] = asyncio.Event()
            else:
                key = None  # another request answers it too (the first failed): this one does not publish
        try:
            svc = svc or await run_in_threadpool(service)  # opening the store blocks: not on the event loop
            version = answer_cache.version_of(svc.store)  # read before answering (as kg.qa.answer_cache.put)
            result = await run_in_threadpool(svc.ask, req.question, req.today, req.context, req.debug)
            body = ASK_RESPONSE.dump_json(ASK_RESPONSE.validate_python(result))
            if key is not None:
                asks.put(svc.store, key, version, body)
        finally:
            if key is not None:
                asks.pending.pop(key).set()
        return Response(body, media_type="application/json")

    @app.get("/api/units", dependencies=[READ], response_model=list[m.UnitSummary], tags=["units"], summary="units with task counts")
    def units(q: Annotated[str | None, Query(max_length=100, description="filter: part of a name or alias")] = None,
              limit: Annotated[int, Query(ge=1, le=5000)] = 1000):
        return service().units(q=q, limit=limit)

    @app.get("/api/units/{name}/tasks", dependencies=[READ], response_model=m.UnitTasks, responses=ERRORS, tags=["units"],
             summary="tasks of a unit (name or alias) with roles, deadlines and evidence")
    def unit_tasks(name: str):
        return service().unit_tasks(name)

    @app.get("/api/tasks/{task_id:path}", dependencies=[READ], response_model=m.TaskDetail, responses=ERRORS, tags=["tasks"],
             summary="a task with units, deadlines, evidence, aligned parent tasks and the document trace "
                     "(URL-encode the id: # is %23)")
    def task(task_id: str):
        return service().task(task_id)

    @app.get("/api/documents", dependencies=[READ], response_model=list[m.DocumentSummary], tags=["documents"])
    def documents():
        return service().documents()

    @app.get("/api/documents/{doc_id:path}", dependencies=[READ], response_model=m.DocumentDetail, responses=ERRORS, tags=["documents"],
             summary="a document with the documents it implements (parents) and those implementing it (children)")
    def document(doc_id: str):
        return service().document(doc_id)

    @app.get("/api/graph", dependencies=[READ], response_model=m.Graph, responses=ERRORS, tags=["graph"],
             summary="responsibility subgraph (units and tasks; lead/responsible/support edges) of a unit, a document, "
                     "a unit within a document (both), or with neither of the three units with the most tasks")
    def graph(unit: Annotated[str | None, Query(max_length=200, description="unit name or alias")] = None,
              doc_id: Annotated[str | None, Query(max_length=500, description="document id")] = None):
        return service().graph(unit=unit, doc_id=doc_id)

    @app.get("/api/analytics", dependencies=[READ], tags=["graph"],
             summary="units ranked by load, co-responsibility network (shared tasks), centrality, tasks without a lead")
    def analytics(top: Annotated[int, Query(ge=1, le=500)] = 15) -> dict:
        return service().analytics(top=top)

    @app.post("/api/upload", response_model=m.UploadResponse, responses=ERRORS, tags=["upload"],
              summary="upload plan files (txt/html/docx/pdf); dry_run=true previews the extraction without loading")
    async def upload(files: Annotated[list[UploadFile], File(description="one to ten plan files", min_length=1,
                                                             max_length=MAX_UPLOAD_FILES)],
                     dry_run: Annotated[bool, Form()] = False, user: User | None = Depends(need("load"))):
        if len(files) > MAX_UPLOAD_FILES:
            raise ApiError(400, "too_many_files", f"一次最多上传 {MAX_UPLOAD_FILES} 个文件",
                           f"at most {MAX_UPLOAD_FILES} files per upload")
        limit = max_file_bytes()
        items = []
        for f in files:
            data = await f.read(limit + 1)
            items.append((f.filename or "upload", data))
        result = await run_in_threadpool(service().upload, items, dry_run)
        for r in result["files"]:
            loaded = r.get("loaded")
            if loaded:
                accounts.audit(who(user), "reload" if loaded.get("reloaded") else "load", loaded.get("doc_id"),
                               {"file": r["file"], "tasks": loaded.get("tasks"), "revision": loaded.get("revision")})
        return result

    @app.get("/api/export", dependencies=[READ], responses={**ERRORS, 200: {"content": {"text/turtle": {}, "application/ld+json": {}}}},
             tags=["export"], summary="the whole graph as RDF (Turtle or JSON-LD)")
    def export(format: Annotated[Literal["ttl", "jsonld"], Query(description="ttl | jsonld")] = "ttl"):
        data, media = service().export(format)
        ext = "ttl" if format.lower() == "ttl" else "jsonld"
        return Response(data, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="policykg.{ext}"'})

    app.include_router(duban_router)

    # ------------------------------------------------------------------ pages
    static = resources.path("static")  # kg/ui/static inside the package
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs():  # Swagger UI from the vendored files: no CDN at run time
        return get_swagger_ui_html(openapi_url=app.openapi_url, title="policy-kg API 文档",
                                   swagger_js_url="/static/swagger/swagger-ui-bundle.js",
                                   swagger_css_url="/static/swagger/swagger-ui.css",
                                   swagger_favicon_url="/static/favicon.svg")

    @app.get("/network", include_in_schema=False)
    def network_page():
        return FileResponse(static / "network.html", media_type="text/html; charset=utf-8")

    @app.get("/", include_in_schema=False)
    def root():
        return RedirectResponse("/ui/" if ui else "/docs")

    app.add_middleware(BodyLimit, limit=JSON_BODY_LIMIT, upload_limit=3 * max_file_bytes() + 65536)

    if ui:
        import gradio as gr

        from kg.ui.app import CSS, build_ui

        blocks = build_ui(service, accounts)
        # system fonts only: the default theme would fetch Google Fonts, and there is no internet at run time
        theme = gr.themes.Default(font=["Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "system-ui", "sans-serif"],
                                  font_mono=["Noto Sans Mono CJK SC", "Consolas", "monospace"])
        login = {}
        if accounts.any_user():  # a login page: user name + API token (decided at start: restart after the first user)
            login = {"auth": lambda name, token: (u := accounts.authenticate(token)) is not None and u.name == name,
                     "auth_message": "政策实施方案知识图谱：请输入用户名和令牌（policykg user add 打印的 token）"}
        app = gr.mount_gradio_app(app, blocks, path="/ui", css=CSS, theme=theme, max_file_size=max_file_bytes(),
                                  footer_links=["api"], show_error=True, **login)
    return app
