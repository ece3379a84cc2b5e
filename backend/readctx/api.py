"""The HTTP service (Starlette): ``/v1/annotate``, ``/v1/annotate/batch``, ``/healthz``, ``/openapi.json``.

Safe by default: the guard (``readctx.security``) checks Host, Origin, token and body size before any route
runs; bodies must be JSON; errors share one shape; page text is never logged, echoed in errors or stored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import __version__
from .config import Settings, load_or_create_token
from .errors import InputError, ReadctxError, UnsupportedMediaType, ValidationError
from .io import parse_record
from .openapi import openapi_schema
from .pipeline import Pipeline
from .security import ContainErrors, Guard, HostCheck, OriginCheck
from .selectors import to_w3c
from .types import DocumentResult, InputDocument

W3C_MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


class ResultCache:
    """A small LRU of finished documents keyed by a hash of the request (the text itself is not kept twice)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, DocumentResult] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> DocumentResult | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key: str, value: DocumentResult) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def create_app(settings: Settings | None = None, pipeline: Pipeline | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    token = load_or_create_token(settings) if settings.token_required else None
    pipeline = pipeline or Pipeline.from_settings(settings)
    cache = ResultCache(settings.cache_size)

    async def annotate(request: Request) -> Response:
        record = await _json_body(request)
        document = parse_record(record)
        key = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()
        result = cache.get(key)
        if result is None:
            result = await run_in_threadpool(pipeline.annotate, document, _default_id(document))
            cache.put(key, result)
        return _render(result, request)

    async def annotate_batch(request: Request) -> Response:
        body = await _json_body(request)
        if not isinstance(body, dict) or not isinstance(body.get("documents"), list):
            raise ValidationError("the body must be an object with a 'documents' array")
        if set(body) != {"documents"}:
            raise ValidationError(f"{len(body) - 1} unknown field(s) next to 'documents'; it is the only one")
        records = body["documents"]
        if len(records) > settings.max_batch_documents:
            raise ValidationError(f"at most {settings.max_batch_documents} documents per batch")
        items: list[Any] = []
        for record in records:
            try:
                document = parse_record(record)
                items.append((document, _default_id(document)))
            except ReadctxError as error:
                items.append(error)
        valid = [item for item in items if not isinstance(item, ReadctxError)]
        done = iter(await run_in_threadpool(pipeline.annotate_batch, valid))
        w3c = request.query_params.get("format") == "w3c"
        out: list[dict[str, Any]] = []
        for number, item in enumerate(items):
            result = item if isinstance(item, ReadctxError) else next(done)
            if isinstance(result, ReadctxError):
                # The id the record gave, if any, and its position: ids of broken records are not trusted.
                out.append({"id": _record_id(records[number]), "index": number, **result.to_json()})
            else:
                out.append(to_w3c(result) if w3c else result.to_json())
        return JSONResponse({"documents": out}, media_type=W3C_MEDIA_TYPE if w3c else None)

    async def healthz(request: Request) -> Response:
        return JSONResponse(
            {
                "status": "ok",
                "version": __version__,
                "model": pipeline.model.to_json(),
                "token_required": token is not None,
            }
        )

    async def openapi(request: Request) -> Response:
        return JSONResponse(openapi_schema(__version__))

    async def readctx_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, ReadctxError)
        return JSONResponse(error.to_json(), status_code=error.status)

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        body = {"error": {"status": error.status_code, "code": code, "message": str(error.detail)}}
        return JSONResponse(body, status_code=error.status_code, headers=error.headers)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Load the model before the first request, not during it: a reader's first page should not wait ~3 s.
        if pipeline.tagger is not None:
            await run_in_threadpool(pipeline.tagger.load)
        yield

    return Starlette(
        lifespan=lifespan,
        routes=[
            Route("/v1/annotate", annotate, methods=["POST"]),
            Route("/v1/annotate/batch", annotate_batch, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/openapi.json", openapi, methods=["GET"]),
        ],
        middleware=[
            Middleware(ContainErrors),
            Middleware(HostCheck, settings=settings),
            Middleware(OriginCheck, settings=settings),
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type"],
                max_age=600,
            ),
            Middleware(Guard, settings=settings, token=token),
        ],
        exception_handlers={ReadctxError: readctx_error, HTTPException: http_error},
    )


async def _json_body(request: Request) -> Any:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise UnsupportedMediaType("send the body as JSON with 'Content-Type: application/json'")
    raw = await request.body()
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        reason = error.msg if isinstance(error, json.JSONDecodeError) else "not UTF-8"
        raise InputError(f"the body is not valid JSON ({reason})") from None
    except RecursionError:
        raise InputError("the body is JSON nested too deeply") from None


def _default_id(document: InputDocument) -> str:
    """The id of a document sent without one: its URL, else a hash of its content.

    Ids key the near-duplicate index, so two different pages must not share one.
    """
    if document.url:
        return document.url
    content = (document.text if document.text is not None else document.html) or ""
    return "sha256:" + hashlib.sha256(content.encode("utf-8")).hexdigest()[:24]


def _record_id(record: object) -> str | None:
    if isinstance(record, dict) and isinstance(record.get("id"), str):
        return str(record["id"])
    return None


def _render(result: DocumentResult, request: Request) -> Response:
    if request.query_params.get("format") == "w3c":
        return JSONResponse(to_w3c(result), media_type=W3C_MEDIA_TYPE)
    return JSONResponse(result.to_json())
