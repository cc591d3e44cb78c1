"""/lgsp/: the sandbox as a service-style integration platform (LGSP/NGSP shape).

The same store as API v1 seen through another face: a session log-in, then every call is
a POST of `{session, madonvi, service, ...}` to one endpoint, answered `{error_code: 0,
...}` (HTTP 200 even for a refusal, as such platforms do). Files go up whole to
/lgsp/files (UploadFile) and are named by `IdTepTin` when the dossier is created
(DongBoHoSoMC). A dossier created here is a dossier of the store: the officer console
and API v1 see it too (its uuid is derived from its code, `dossier_uuid`).
docs/portal-api.md, chapter "Service-style adapter", describes the services.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import unquote

from fastapi import APIRouter, Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select

from portal_sandbox import store as t
from portal_sandbox.auth import check_password
from portal_sandbox.faults import DROP_FLAG
from portal_sandbox.lgsp_services import (
    E_CREDENTIALS,
    E_INVALID,
    E_NOT_FOUND,
    E_SERVICE,
    SERVICES,
    ServiceError,
    session_account,
)
from portal_sandbox.receiver import DurableWriter
from portal_sandbox.state import Sandbox, get_sandbox
from portal_sandbox.uploads import part_path

router = APIRouter(include_in_schema=False)
SandboxDep = Annotated[Sandbox, Depends(get_sandbox)]


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def answer(error_code: int, message: str = "", **data: Any) -> JSONResponse:
    return JSONResponse({"error_code": error_code, "message": message, **data})


@router.get("/lgsp/")
def lgsp_root() -> JSONResponse:
    """What a probe sees: the platform answers (no session needed)."""
    return answer(0, "Nền tảng tích hợp thử nghiệm (dvc-desk sandbox)")


@router.post("/lgsp/login", name="lgsp_login")
async def lgsp_login(request: Request, sandbox: SandboxDep) -> JSONResponse:
    """`{username, password}` (header `madonvi`) → `{session, error_code: 0}`."""
    try:
        body = await request.json()
    except ValueError:
        return answer(E_INVALID, "Yêu cầu không phải JSON")
    if not isinstance(body, dict):
        return answer(E_INVALID, "Yêu cầu không phải đối tượng JSON")
    username, password = str(body.get("username", "")), str(body.get("password", ""))
    session = await run_in_threadpool(_login, sandbox, username, password)
    if session is None:
        return answer(
            E_CREDENTIALS, "Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản chưa kích hoạt"
        )
    return answer(0, "", session=session, expires_in=sandbox.config.access_token_ttl)


def _login(sandbox: Sandbox, username: str, password: str) -> str | None:
    with sandbox.store.begin() as conn:
        row = conn.execute(select(t.accounts).where(t.accounts.c.username == username)).first()
        if row is None or not row.active or not check_password(password, row.password_hash):
            return None
        session = secrets.token_urlsafe(32)
        now = sandbox.config.now()
        conn.execute(
            t.tokens.insert().values(
                token_hash=_token_hash(session),
                kind="lgsp",
                account_id=row.id,
                expires_at=now + timedelta(seconds=sandbox.config.access_token_ttl),
                revoked=False,
            )
        )
    return session


@router.post("/lgsp/service", name="lgsp_service")
async def lgsp_service(request: Request, sandbox: SandboxDep) -> JSONResponse:
    """One integration endpoint: `service` names what to do."""
    try:
        body = await request.json()
    except ValueError:
        return answer(E_INVALID, "Yêu cầu không phải JSON")
    if not isinstance(body, dict):
        return answer(E_INVALID, "Yêu cầu không phải đối tượng JSON")
    name = str(body.get("service", ""))
    handler = SERVICES.get(name)
    if handler is None:
        return answer(E_SERVICE, f"Không có dịch vụ «{name}»")
    try:
        data = await run_in_threadpool(handler, sandbox, body)
    except ServiceError as exc:
        return answer(exc.error_code, exc.message)
    if sandbox.faults.take_lost_response(f"lgsp:{name}"):
        request.scope[DROP_FLAG] = True
    return answer(0, "", **data)


@router.post("/lgsp/files", name="lgsp_upload")
async def lgsp_upload(
    request: Request,
    sandbox: SandboxDep,
    session: Annotated[str, Header()] = "",
    tentep: Annotated[str, Header()] = "",
) -> Response:
    """UploadFile: the whole file as the body → `{IdTepTin, HashTepTin}` (SHA-256)."""
    try:
        account = await run_in_threadpool(session_account, sandbox, session)
    except ServiceError as exc:
        return answer(exc.error_code, exc.message)
    name = unquote(tentep).strip() or "tep"
    file_id = secrets.token_hex(16)
    digest = hashlib.sha256()
    size = 0
    partial = sandbox.config.uploads / f".lgsp-{file_id}"
    with partial.open("wb") as out:
        writer = DurableWriter(out, digest)
        try:
            async for chunk in request.stream():
                size += len(chunk)
                if size > sandbox.config.max_file_size:
                    break
                writer.put(chunk)
        finally:
            writer.finish()
    if size > sandbox.config.max_file_size:
        partial.unlink(missing_ok=True)
        return answer(E_INVALID, "Tệp vượt giới hạn dung lượng của cổng")
    partial.replace(part_path(sandbox, file_id))
    with sandbox.store.begin() as conn:
        conn.execute(
            t.lgsp_files.insert().values(
                id=file_id,
                account_id=account,
                name=name[:255],
                size=size,
                sha256=digest.hexdigest(),
                created_at=sandbox.config.now(),
            )
        )
    if sandbox.faults.take_lost_response("lgsp:UploadFile"):
        request.scope[DROP_FLAG] = True
    return answer(0, "", IdTepTin=file_id, HashTepTin=digest.hexdigest(), KichThuoc=size)


@router.post("/lgsp/download", name="lgsp_download")
async def lgsp_download(request: Request, sandbox: SandboxDep) -> Response:
    """A result document (`IdTepTin` of DanhSachGiayToKetQua) as PDF bytes."""
    try:
        body = await request.json()
        account = await run_in_threadpool(session_account, sandbox, str(body.get("session", "")))
    except ValueError:
        return answer(E_INVALID, "Yêu cầu không phải JSON")
    except ServiceError as exc:
        return answer(exc.error_code, exc.message)
    with sandbox.store.begin() as conn:
        row = conn.execute(
            select(t.results.c.id, t.dossiers.c.account_id)
            .join(t.dossiers, t.dossiers.c.uuid == t.results.c.dossier_uuid)
            .where(t.results.c.id == str(body.get("IdTepTin", "")))
        ).first()
    if row is None or row.account_id != account:
        return answer(E_NOT_FOUND, "Không có tệp kết quả này")
    path = sandbox.config.documents / f"result-{row.id}.pdf"
    return Response(path.read_bytes(), media_type="application/pdf")
