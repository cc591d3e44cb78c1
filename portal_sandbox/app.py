"""The sandbox app factory: API v1 plus the /sandbox/ pages, in one FastAPI app."""

from __future__ import annotations

import hashlib
import importlib.metadata
import tempfile
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy import update

from portal_sandbox import (
    apidoc,
    auth,
    ca_routes,
    catalog,
    dossiers,
    lgsp,
    mailbox,
    officer,
    oidc,
    payments,
    problems,
    submissions,
    trust_csc,
    trust_service,
    uploads,
)
from portal_sandbox import store as t
from portal_sandbox.config import SandboxConfig
from portal_sandbox.faults import FaultMiddleware, FaultSettings
from portal_sandbox.guard import GuardMiddleware
from portal_sandbox.head import HeadMiddleware
from portal_sandbox.html import page
from portal_sandbox.limits import BodyLimitMiddleware
from portal_sandbox.receiver import DurableWriter
from portal_sandbox.state import Sandbox, get_sandbox
from portal_sandbox.tus import TusMiddleware

SandboxDep = Annotated[Sandbox, Depends(get_sandbox)]

health_router = APIRouter()
sandbox_router = APIRouter(include_in_schema=False)


@health_router.get("/v1/health", name="health", status_code=204, response_class=Response)
def health() -> Response:
    """Reachability probe: 204, never cached, no token needed."""
    return Response(status_code=204, headers={"Cache-Control": "no-store"})


@sandbox_router.get("/", response_class=HTMLResponse)
def index() -> HTMLResponse:
    return page(
        "Cổng dịch vụ công thử nghiệm (dvc-desk)",
        "<ul><li><a href='/sandbox/officer'>Cán bộ xử lý hồ sơ</a></li>"
        "<li><a href='/sandbox/mail'>Hộp thư (thư xác nhận đăng ký)</a></li>"
        "<li><a href='/sandbox/faults'>Lỗi giả lập (JSON)</a></li>"
        "<li><a href='/sandbox/phone'>Điện thoại thử nghiệm (ký số từ xa)</a></li>"
        "<li><a href='/docs'>API v1 (OpenAPI)</a></li></ul>",
    )


@sandbox_router.get("/sandbox/faults")
def get_faults(sandbox: SandboxDep) -> FaultSettings:
    return sandbox.faults.get()


@sandbox_router.put("/sandbox/faults")
def put_faults(settings: FaultSettings, sandbox: SandboxDep) -> FaultSettings:
    sandbox.faults.set(settings)
    return sandbox.faults.get()


@sandbox_router.post("/sandbox/faults/expire-uploads")
def expire_uploads(sandbox: SandboxDep) -> dict[str, int]:
    """Every unfinished upload expires now (HEAD/PATCH answer 410)."""
    past = sandbox.config.now() - timedelta(seconds=1)
    with sandbox.store.begin() as conn:
        result = conn.execute(
            update(t.uploads).where(t.uploads.c.complete.is_(False)).values(expires_at=past)
        )
    return {"expired": int(result.rowcount)}


@sandbox_router.put("/sandbox/sink")
async def sink(
    request: Request, sandbox: SandboxDep, sha256: bool = False
) -> dict[str, int | str | None]:
    """Receive a raw body to disk with one fsync: the baseline of the upload benchmark.

    The bytes are stored the way a PATCH stores them (`DurableWriter`); `?sha256=true`
    also hashes them as a PATCH does, so the benchmark can show the protocol's cost
    apart from the hashing that any checked upload pays.
    """
    received = 0
    digest = hashlib.sha256() if sha256 else None
    with tempfile.NamedTemporaryFile(dir=sandbox.config.uploads, prefix=".sink-") as out:
        writer = DurableWriter(out, digest)
        try:
            async for chunk in request.stream():
                writer.put(chunk)
                received += len(chunk)
        finally:
            writer.finish()
    return {"received": received, "sha256": None if digest is None else digest.hexdigest()}


def _version() -> str:
    """dvc-desk's version (the sandbox ships in the same distribution)."""
    try:
        return importlib.metadata.version("dvc-desk")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree
        return "0"


def create_app(config: SandboxConfig) -> FastAPI:
    """A sandbox portal keeping its data in `config.data_dir`."""
    app = FastAPI(
        title="dvc-desk Portal API v1 (sandbox)",
        version=_version(),
        description=(
            "The contract between dvc-desk and a public-service portal. "
            "See docs/portal-api.md for the flow."
        ),
    )
    sandbox = Sandbox(config)
    # Made at the first start, so ca.pem is there to trust before any result is signed.
    sandbox.identity  # noqa: B018
    app.state.sandbox = sandbox
    app.state.oidc = oidc.Provider(sandbox)
    problems.install(app)
    apidoc.install(app, max_file_size=config.max_file_size)
    routers = (
        health_router,
        auth.router,
        oidc.router,
        catalog.router,
        dossiers.router,
        uploads.router,
        submissions.router,
        lgsp.router,
        payments.router,
        payments.pages,
        mailbox.router,
        officer.router,
        ca_routes.router,
        trust_service.router,
        trust_csc.router,
        sandbox_router,
    )
    for router in routers:
        app.include_router(router)
    # The routers' own routes: FastAPI wraps included routers, hiding the route names.
    named = [route for router in routers for route in router.routes]
    app.add_middleware(FaultMiddleware, faults=sandbox.faults, routes=named)
    app.add_middleware(HeadMiddleware)
    app.add_middleware(TusMiddleware, max_size=config.max_file_size)
    app.add_middleware(BodyLimitMiddleware)
    # Added last, so it runs first: nothing reaches a route from a foreign host or site.
    app.add_middleware(GuardMiddleware, secret=config.secret, allowed_hosts=config.allowed_hosts)
    return app
