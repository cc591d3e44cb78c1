"""Every error the sandbox answers is `application/problem+json` with a stable code."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from desktop.portal.contract import PROBLEM_MEDIA_TYPE, Problem, problem_type

log = logging.getLogger(__name__)


class ProblemError(Exception):
    """Raised by a handler to answer a problem document."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        *,
        detail: str | None = None,
        headers: dict[str, str] | None = None,
        **params: Any,
    ) -> None:
        super().__init__(code)
        self.problem = Problem(
            type=problem_type(code),
            title=title,
            status=status,
            code=code,
            detail=detail,
            params=params,
        )
        self.headers = headers or {}


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(mode="json"),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


_HTTP_CODES = {
    401: "auth.required",
    404: "not_found",
    405: "method_not_allowed",
    413: "request.too_large",
}


def _allowed(request: Request) -> str:
    """Every method some route offers for this path (Starlette names only the first
    route's), with HEAD wherever GET is (portal_sandbox/head.py)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _child = route.matches({**request.scope, "method": "GET"})
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


def install(app: FastAPI) -> None:
    """Register the handlers that turn every failure into a problem document."""

    @app.exception_handler(ProblemError)
    async def _api_problem(_request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(exc.problem, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        problem = Problem(
            type=problem_type("request.invalid"),
            title="The request does not follow API v1",
            status=422,
            code="request.invalid",
            errors=errors,
        )
        return problem_response(problem)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, f"http.{exc.status_code}")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = _allowed(request)
        problem = Problem(
            type=problem_type(code),
            title=str(exc.detail),
            status=exc.status_code,
            code=code,
        )
        return problem_response(problem, headers)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        log.exception("sandbox bug on %s %s", request.method, request.url.path)
        problem = Problem(
            type=problem_type("server.error"),
            title="The sandbox failed; see its log",
            status=500,
            code="server.error",
        )
        return problem_response(problem)
