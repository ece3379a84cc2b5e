"""What stands in front of every request, outermost first (pure ASGI, like Starlette's own middleware):

- ``ContainErrors``: an unexpected exception becomes the 500 JSON error, logged by type only (its message
  could quote the page), and is not re-raised to the server's own traceback logging;
- ``HostCheck``: the Host header must name this service, preflights included (DNS rebinding);
- ``OriginCheck``: a browser Origin must be a configured extension (or this service itself), preflights
  included, so a refused preflight gets the same 403 JSON error as a refused request;
- CORS (Starlette's) for the configured extension origins;
- ``Guard``: bearer token and body size. The body limit applies while the body streams in, so a
  client that sends no Content-Length still gets 413 as soon as it passes the limit.
"""

from __future__ import annotations

import hmac
import json
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .config import LOOPBACK_NAMES, Settings
from .errors import (
    Forbidden,
    HostNotAllowed,
    InputError,
    PayloadTooLarge,
    ReadctxError,
    Unauthorized,
)

OPEN_PATHS = frozenset({"/healthz", "/openapi.json"})
log = logging.getLogger("readctx.api")


def host_name(value: str) -> str:
    """ "[::1]:8765" → "::1", "LocalHost:80" → "localhost", "example.org" → "example.org"."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    if value.count(":") == 1:
        return value.split(":", 1)[0]
    return value  # a bare IPv6 address or a plain name


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


class ContainErrors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:
            log.error("unhandled %s on %s", type(error).__name__, scope.get("path", "?"))
            if scope["type"] == "http" and not started:
                await send_error(send, ReadctxError("internal error"))


class HostCheck:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.hosts = {host_name(h) for h in (*LOOPBACK_NAMES, settings.host, *settings.allowed_hosts)}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and host_name(_headers(scope).get("host", "")) not in self.hosts:
            # A page on another site that rebinds its DNS name to 127.0.0.1 arrives with its own Host.
            await send_error(send, HostNotAllowed("this service answers only to its own host name"))
            return
        await self.app(scope, receive, send)


class OriginCheck:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.origins = frozenset(settings.cors_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = _headers(scope)
            origin = headers.get("origin")
            if origin and origin not in self.origins and not _same_origin(origin, headers.get("host", "")):
                await send_error(
                    send, Forbidden("requests from this origin are not allowed; add it with --cors-origin")
                )
                return
        await self.app(scope, receive, send)


class Guard:
    def __init__(self, app: ASGIApp, settings: Settings, token: str | None) -> None:
        self.app = app
        self.settings = settings
        self.token = token.encode() if token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            self.check(scope)
        except ReadctxError as error:
            await send_error(send, error)
            return
        await self.app(scope, self.limited(receive), send)

    def check(self, scope: Scope) -> None:
        headers = _headers(scope)
        if self.token and scope["path"] not in OPEN_PATHS and scope["method"] != "OPTIONS":
            scheme, _, value = headers.get("authorization", "").partition(" ")
            # Compared as bytes: compare_digest refuses non-ASCII str, and a header is any latin-1 text.
            if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode("latin-1"), self.token):
                raise Unauthorized("missing or wrong token: send 'Authorization: Bearer <token>' (readctx token)")
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                raise InputError("invalid Content-Length header")
            if int(declared) > self.settings.max_body_bytes:
                raise PayloadTooLarge(f"the body is over the limit of {self.settings.max_body_bytes} bytes")

    def limited(self, receive: Receive) -> Receive:
        limit = self.settings.max_body_bytes
        seen = 0

        async def receive_within_limit() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise PayloadTooLarge(f"the body is over the limit of {limit} bytes")
            return message

        return receive_within_limit


def _same_origin(origin: str, host: str) -> bool:
    return origin in (f"http://{host}", f"https://{host}")


async def send_error(send: Send, error: ReadctxError) -> None:
    body = json.dumps(error.to_json()).encode()
    await send(
        {
            "type": "http.response.start",
            "status": error.status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
