"""The guard in front of every request: Host check, Origin check, bearer token and body-size limit.

Pure ASGI (like Starlette's own middleware) so the body limit applies while the body streams in: a client
that sends no Content-Length (chunked) still gets 413 as soon as it passes the limit, before the rest is read.
"""

from __future__ import annotations

import hmac
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .config import LOOPBACK_NAMES, Settings
from .errors import Forbidden, HostNotAllowed, PayloadTooLarge, ReadctxError, Unauthorized

OPEN_PATHS = frozenset({"/healthz", "/openapi.json"})


class GuardMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings, token: str | None) -> None:
        self.app = app
        self.settings = settings
        self.token = token
        self.hosts = {*LOOPBACK_NAMES, "[::1]", settings.host, *settings.allowed_hosts}

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
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        host_name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if host_name.lower() not in self.hosts:
            # A page on another site that rebinds its DNS name to 127.0.0.1 arrives with its own Host.
            raise HostNotAllowed("this service answers only to its own host name")
        origin = headers.get("origin")
        if origin and origin not in self.settings.cors_origins and not _same_origin(origin, host):
            raise Forbidden("requests from this origin are not allowed; add it with --cors-origin")
        if self.token and scope["path"] not in OPEN_PATHS and scope["method"] != "OPTIONS":
            given = headers.get("authorization", "")
            scheme, _, value = given.partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip(), self.token):
                raise Unauthorized("missing or wrong token: send 'Authorization: Bearer <token>' (readctx token)")
        declared = headers.get("content-length")
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                raise PayloadTooLarge("invalid Content-Length") from None
            if size > self.settings.max_body_bytes:
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
