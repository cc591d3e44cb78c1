"""Bounds on every request body but uploads: at most 1 MiB, JSON nested at most 64 levels.

Read before any route parses it, and never past the limit: a Content-Length over it is
answered 413 without reading a byte; a body without one is read only up to the limit
plus one byte. A JSON body nested deeper than 64 levels is answered 422 (Pydantic
would otherwise fail with "Maximum serialization depth exceeded", a 500). Upload
bodies (`PATCH /v1/uploads/…`, the benchmark sink) are streamed to disk with their own
size limit and are not buffered here.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from desktop.portal.contract import PROBLEM_MEDIA_TYPE, problem_type

MAX_BODY = 1024 * 1024
MAX_DEPTH = 64
STREAMED = ("/v1/uploads/", "/sandbox/sink", "/lgsp/files")
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(rb"[\[\]{}]")


def json_depth(body: bytes) -> int:
    """How deeply the JSON text `body` nests (strings skipped; no parsing, no recursion)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub(b'""', body)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


async def _problem(send: Send, status: int, code: str, title: str, **params: Any) -> None:
    body = json.dumps(
        {"type": problem_type(code), "title": title, "status": status,
         "code": code, "params": params}
    ).encode()  # fmt: skip
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """413 past MAX_BODY bytes, 422 past MAX_DEPTH levels of JSON (module docstring)."""

    def __init__(self, app: ASGIApp, *, max_body: int = MAX_BODY, max_depth: int = MAX_DEPTH):
        self.app = app
        self.max_body = max_body
        self.max_depth = max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(STREAMED):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v for k, v in scope["headers"]}
        declared = headers.get("content-length")
        if declared is not None:
            try:
                too_large = int(declared) > self.max_body
            except ValueError:
                too_large = False
            if too_large:
                await _problem(
                    send, 413, "request.too_large", "Request body too large", limit=self.max_body
                )
                return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = bool(message.get("more_body"))
            if len(body) > self.max_body:
                await _problem(
                    send, 413, "request.too_large", "Request body too large", limit=self.max_body
                )
                return
        content_type = headers.get("content-type", b"").decode("latin-1").lower()
        if "json" in content_type and json_depth(bytes(body)) > self.max_depth:
            await _problem(
                send, 422, "request.too_deep", "JSON nested too deeply", limit=self.max_depth
            )
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        await self.app(scope, replay, send)
