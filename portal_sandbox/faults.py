"""Fault switches: make the sandbox misbehave on purpose, the way real networks do.

`FaultMiddleware` wraps the whole ASGI app. A dropped response is sent as a response
head promising a body that never comes, then the connection is closed: the client sees
a broken connection after the server already committed, exactly the case that
idempotency keys exist for.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from desktop.portal.contract import PROBLEM_MEDIA_TYPE, Problem, problem_type

DROP_FLAG = "sandbox.drop_response"

#: Route names a fault can target (the names of API v1 operations).
ENDPOINTS = (
    "health",
    "register",
    "token",
    "catalog",
    "catalog_procedures",
    "put_dossier",
    "get_dossier",
    "list_dossiers",
    "head_upload",
    "patch_upload",
    "submit",
    "put_supplement",
    "create_payment",
    "get_payment",
    "payment_receipt",
    "get_result",
)


class FaultSettings(BaseModel):
    """PUT /sandbox/faults body; GET answers the switches as they stand now."""

    model_config = ConfigDict(extra="forbid")

    lose_response: dict[str, int] = Field(
        default_factory=dict,
        description="endpoint name -> how many times to commit but drop the response",
    )
    unavailable: int = Field(default=0, ge=0, description="next N API requests answer 503")
    retry_after: int = Field(default=2, ge=0, description="Retry-After of those 503 answers")
    delay_ms: int = Field(default=0, ge=0, le=60_000, description="slow every API request")
    delay_endpoints: list[str] = Field(
        default_factory=list, description="only these endpoints are slowed (empty: all)"
    )
    cut_patch_after_bytes: int | None = Field(
        default=None, ge=0, description="the next PATCH keeps this many bytes, then drops"
    )
    cut_patch_times: int = Field(default=1, ge=0, description="how many PATCHes are cut")


class Faults:
    """The current fault switches, shared by every request (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._settings = FaultSettings()

    def get(self) -> FaultSettings:
        with self._lock:
            return self._settings.model_copy(deep=True)

    def set(self, settings: FaultSettings) -> None:
        with self._lock:
            self._settings = settings.model_copy(deep=True)

    def take_unavailable(self) -> int | None:
        """Retry-After seconds if this request must answer 503."""
        with self._lock:
            if self._settings.unavailable <= 0:
                return None
            self._settings.unavailable -= 1
            return self._settings.retry_after

    def take_lost_response(self, endpoint: str) -> bool:
        with self._lock:
            left = self._settings.lose_response.get(endpoint, 0)
            if left <= 0:
                return False
            self._settings.lose_response[endpoint] = left - 1
            return True

    def take_patch_cut(self) -> int | None:
        """Bytes the next PATCH may keep before its connection is cut, or None."""
        with self._lock:
            limit = self._settings.cut_patch_after_bytes
            if limit is None or self._settings.cut_patch_times <= 0:
                return None
            self._settings.cut_patch_times -= 1
            return limit

    def delay_seconds(self, endpoint: str) -> float:
        with self._lock:
            chosen = self._settings.delay_endpoints
            if self._settings.delay_ms and (not chosen or endpoint in chosen):
                return self._settings.delay_ms / 1000
            return 0.0

    def sleep(self, endpoint: str) -> None:
        """Blocking delay, for handlers that must be slow at a precise point."""
        seconds = self.delay_seconds(endpoint)
        if seconds:
            time.sleep(seconds)


# Handlers that apply their own delay at the point where it matters.
SELF_DELAYED = frozenset({"submit"})


class FaultMiddleware:
    """Applies 503s, delays and dropped responses to /v1/ and /lgsp/ requests."""

    def __init__(self, app: ASGIApp, faults: Faults, routes: Any) -> None:
        self.app = app
        self.faults = faults
        self.routes = routes

    def _endpoint(self, scope: Scope) -> str:
        for route in self.routes:
            match, _ = route.matches(scope)
            if match == Match.FULL:
                return str(getattr(route, "name", ""))
        return ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(("/v1/", "/lgsp/")):
            await self.app(scope, receive, send)
            return
        retry_after = self.faults.take_unavailable()
        if retry_after is not None:
            await _send_unavailable(send, retry_after)
            return
        endpoint = self._endpoint(scope)
        if endpoint not in SELF_DELAYED:
            delay = self.faults.delay_seconds(endpoint)
            if delay:
                await asyncio.sleep(delay)
        lose = self.faults.take_lost_response(endpoint)
        held: list[Message] = []

        async def guarded_send(message: Message) -> None:
            if lose or scope.get(DROP_FLAG):
                held.append(message)
            else:
                await send(message)

        await self.app(scope, receive, guarded_send)
        if held:
            # A head that promises a body, then nothing: uvicorn closes the connection.
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-length", b"1024"), (b"content-type", b"text/plain")],
                }
            )


async def _send_unavailable(send: Send, retry_after: int) -> None:
    problem = Problem(
        type=problem_type("server.unavailable"),
        title="The portal is busy; try again later",
        status=503,
        code="server.unavailable",
        params={"retry_after": retry_after},
    )
    body = json.dumps(problem.model_dump(mode="json")).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(retry_after).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
