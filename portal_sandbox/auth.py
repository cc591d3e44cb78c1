"""Accounts, confirmation e-mails and OAuth2 tokens (password and refresh_token grants)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from datetime import timedelta
from html import escape
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import Connection, select, update
from sqlalchemy.exc import IntegrityError

from desktop.portal.contract import (
    AccountAccepted,
    AccountRegistration,
    TokenResponse,
    problem_type,
)
from portal_sandbox import store as t
from portal_sandbox.html import page
from portal_sandbox.problems import ProblemError
from portal_sandbox.state import Sandbox, base_url, get_sandbox

router = APIRouter()
bearer = OAuth2PasswordBearer(tokenUrl="/v1/auth/token", auto_error=False)

_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    _, salt, digest = stored.split("$")
    candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), **_SCRYPT)
    return hmac.compare_digest(candidate.hex(), digest)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def current_account(request: Request, token: Annotated[str | None, Depends(bearer)]) -> int:
    """The account id behind the bearer token; 401 with a precise code otherwise."""
    sandbox = get_sandbox(request)
    challenge = {"WWW-Authenticate": 'Bearer realm="dvc-desk"'}
    if not token:
        raise ProblemError(401, "auth.required", "Log in first", headers=challenge)
    # RFC 6750 §3: a token that was sent but is no good says so in the challenge.
    challenge = {"WWW-Authenticate": 'Bearer realm="dvc-desk", error="invalid_token"'}
    with sandbox.store.begin() as conn:
        row = conn.execute(
            select(t.tokens).where(
                t.tokens.c.token_hash == _token_hash(token), t.tokens.c.kind == "access"
            )
        ).first()
    if row is None or row.revoked:
        raise ProblemError(401, "auth.invalid_token", "Unknown access token", headers=challenge)
    if row.expires_at <= sandbox.config.now():
        raise ProblemError(401, "auth.token_expired", "The access token expired", headers=challenge)
    return int(row.account_id)


Account = Annotated[int, Depends(current_account)]
SandboxDep = Annotated[Sandbox, Depends(get_sandbox)]


@router.post(
    "/v1/accounts",
    name="register",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=AccountAccepted,
    responses={409: {"description": "username taken"}},
)
def register(body: AccountRegistration, request: Request, sandbox: SandboxDep) -> AccountAccepted:
    """Create an account waiting for its e-mail confirmation; the mail goes to /sandbox/mail."""
    activation = secrets.token_urlsafe(24)
    link = f"{base_url(request)}/v1/accounts/activation/{activation}"
    now = sandbox.config.now()
    try:
        with sandbox.store.begin() as conn:
            conn.execute(
                t.accounts.insert().values(
                    username=body.username,
                    email=body.email,
                    password_hash=hash_password(body.password),
                    full_name=body.full_name,
                    phone=body.phone,
                    active=False,
                    activation_token=activation,
                    created_at=now,
                )
            )
            conn.execute(
                t.mails.insert().values(
                    to_address=body.email,
                    username=body.username,
                    subject="Xác nhận đăng ký tài khoản Cổng dịch vụ công (thử nghiệm)",
                    body=(
                        f"Chào {body.full_name},\n\nBạn đã đăng ký tài khoản «{body.username}». "
                        f"Hãy mở liên kết sau để kích hoạt tài khoản:\n{link}\n"
                    ),
                    link=link,
                    sent_at=now,
                )
            )
    except IntegrityError as exc:
        raise ProblemError(
            409, "account.exists", "This username is taken", username=body.username
        ) from exc
    return AccountAccepted(
        username=body.username,
        state="pending_confirmation",
        detail="Open the link in the confirmation e-mail to activate the account.",
    )


@router.get("/v1/accounts/activation/{token}", response_class=HTMLResponse, name="activate")
def activate(token: str, sandbox: SandboxDep) -> HTMLResponse:
    """The link of the confirmation e-mail: activates the account (an HTML page)."""
    with sandbox.store.begin() as conn:
        row = conn.execute(select(t.accounts).where(t.accounts.c.activation_token == token)).first()
        if row is not None:
            conn.execute(update(t.accounts).where(t.accounts.c.id == row.id).values(active=True))
    if row is None:
        return page(
            "Liên kết không hợp lệ",
            "<p>Liên kết kích hoạt không đúng hoặc đã hết hạn. Hãy đăng ký lại.</p>",
            status_code=404,
        )
    return page(
        "Đã kích hoạt tài khoản",
        f"<p>Tài khoản <b>{escape(row.username)}</b> đã được kích hoạt. "
        "Bạn có thể đăng nhập từ dvc-desk.</p>",
    )


def _issue(conn: Connection, sandbox: Sandbox, account_id: int) -> TokenResponse:
    now = sandbox.config.now()
    access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    ttl = sandbox.config.access_token_ttl
    conn.execute(
        t.tokens.insert(),
        [
            {
                "token_hash": _token_hash(access),
                "kind": "access",
                "account_id": account_id,
                "expires_at": now + timedelta(seconds=ttl),
                "revoked": False,
            },
            {
                "token_hash": _token_hash(refresh),
                "kind": "refresh",
                "account_id": account_id,
                "expires_at": now + timedelta(seconds=sandbox.config.refresh_token_ttl),
                "revoked": False,
            },
        ],
    )
    return TokenResponse(access_token=access, refresh_token=refresh, expires_in=ttl)


# RFC 6749 §5.1/§5.2: token answers are never cached.
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
# Failed logins per username (and per client address) within the window, then 429.
LOGIN_ATTEMPTS, LOGIN_WINDOW = 10, 300.0
# Checked against for an unknown username, so that it costs the same time as a known one.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


class OAuthError(Exception):
    """A token-endpoint error as RFC 6749 §5.2 words it, plus our problem code."""

    def __init__(
        self, error: str, description: str, code: str, status: int = 400, **extra: str
    ) -> None:
        super().__init__(error)
        self.error, self.description, self.code, self.status = error, description, code, status
        self.extra = extra

    def response(self) -> JSONResponse:
        body = {
            "error": self.error,
            "error_description": self.description,
            # The same document is a Problem too, so API v1 clients read its code.
            "type": problem_type(self.code),
            "title": self.description,
            "status": self.status,
            "code": self.code,
            "params": {},
        }
        return JSONResponse(body, status_code=self.status, headers={**NO_STORE, **self.extra})


class LoginThrottle:
    """Failed password logins counted per key (username, client address) in a window."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: dict[str, list[float]] = {}

    def blocked(self, keys: list[str]) -> float:
        """Seconds to wait, or 0."""
        now = time.monotonic()
        with self._lock:
            waits = []
            for key in keys:
                recent = [t for t in self._failures.get(key, []) if now - t < LOGIN_WINDOW]
                self._failures[key] = recent
                if len(recent) >= LOGIN_ATTEMPTS:
                    waits.append(LOGIN_WINDOW - (now - recent[0]))
            return max(waits, default=0.0)

    def failed(self, keys: list[str]) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._failures.setdefault(key, []).append(now)

    def succeeded(self, keys: list[str]) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)


_THROTTLE = LoginThrottle()

_TOKEN_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {
        "description": "RFC 6749 §5.2 error: invalid_request, invalid_grant, "
        "unsupported_grant_type",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OAuthError"}}},
    },
    413: {"description": "body over 1 MiB"},
    429: {
        "description": "too many failed logins; Retry-After says when to try again",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OAuthError"}}},
    },
}


@router.post(
    "/v1/auth/token",
    name="token",
    response_model=TokenResponse,
    responses=_TOKEN_RESPONSES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {"$ref": "#/components/schemas/TokenRequest"}
                }
            },
        }
    },
)
async def token(request: Request, sandbox: SandboxDep) -> Response:
    """OAuth2 token endpoint (RFC 6749, form-encoded): `password` or `refresh_token` grant.

    Errors are RFC 6749 §5.2 documents (400 `invalid_request`, `invalid_grant`,
    `unsupported_grant_type`) that carry a problem code as well; every answer is
    `Cache-Control: no-store`."""
    try:
        form = await _token_form(request)
        grant_type = form.get("grant_type", "")
        if grant_type == "password":
            tokens = await run_in_threadpool(
                _password_grant, sandbox, form, request.client.host if request.client else "?"
            )
        elif grant_type == "refresh_token":
            tokens = await run_in_threadpool(_refresh_grant, sandbox, form.get("refresh_token", ""))
        elif not grant_type:
            raise OAuthError("invalid_request", "grant_type is missing", "auth.invalid_request")
        else:
            raise OAuthError(
                "unsupported_grant_type",
                "Use grant_type password or refresh_token",
                "auth.unsupported_grant",
            )
    except OAuthError as exc:
        return exc.response()
    return JSONResponse(tokens.model_dump(mode="json"), headers=NO_STORE)


async def _token_form(request: Request) -> dict[str, str]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        raise OAuthError(
            "invalid_request",
            "The body must be application/x-www-form-urlencoded",
            "auth.invalid_request",
        )
    try:
        pairs = parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        raise OAuthError(
            "invalid_request", "The body is not UTF-8", "auth.invalid_request"
        ) from None
    form: dict[str, str] = {}
    for key, value in pairs:
        if key in form:  # RFC 6749 §3.2: parameters must not be included more than once
            raise OAuthError(
                "invalid_request", f"Parameter {key} is repeated", "auth.invalid_request"
            )
        form[key] = value
    return form


def _password_grant(sandbox: Sandbox, form: dict[str, str], client: str) -> TokenResponse:
    username, password = form.get("username", ""), form.get("password", "")
    if not username or not password:
        raise OAuthError(
            "invalid_request", "username and password are required", "auth.invalid_request"
        )
    keys = [f"user:{username.lower()}"]  # every client of a local sandbox is 127.0.0.1
    wait = _THROTTLE.blocked(keys)
    if wait > 0:
        raise OAuthError(
            "invalid_request",
            "Too many failed logins; wait and try again",
            "auth.rate_limited",
            status=429,
            **{"Retry-After": str(int(wait) + 1)},
        )
    with sandbox.store.begin() as conn:
        row = conn.execute(select(t.accounts).where(t.accounts.c.username == username)).first()
        # The same scrypt work for an unknown user: the answer time tells nothing.
        matches = check_password(password, row.password_hash if row else _DUMMY_HASH)
        if row is None or not matches:
            _THROTTLE.failed(keys)
            raise OAuthError(
                "invalid_grant", "Wrong username or password", "auth.invalid_credentials"
            )
        if not row.active:
            raise OAuthError(
                "invalid_grant",
                "Confirm the account by its e-mail link first",
                "auth.not_activated",
            )
        _THROTTLE.succeeded(keys[:1])
        return _issue(conn, sandbox, int(row.id))


def _refresh_grant(sandbox: Sandbox, refresh_token: str) -> TokenResponse:
    if not refresh_token:
        raise OAuthError("invalid_request", "refresh_token is missing", "auth.invalid_request")
    with sandbox.store.begin() as conn:
        row = conn.execute(
            select(t.tokens).where(
                t.tokens.c.token_hash == _token_hash(refresh_token),
                t.tokens.c.kind == "refresh",
            )
        ).first()
        if row is None or row.revoked or row.expires_at <= sandbox.config.now():
            raise OAuthError(
                "invalid_grant", "Log in again with the password", "auth.invalid_refresh"
            )
        # Refresh tokens rotate: the used one is spent.
        conn.execute(
            update(t.tokens).where(t.tokens.c.token_hash == row.token_hash).values(revoked=True)
        )
        return _issue(conn, sandbox, int(row.account_id))


def mail_rows(sandbox: Sandbox) -> list[dict[str, Any]]:
    """Every confirmation mail, newest first."""
    with sandbox.store.begin() as conn:
        rows = conn.execute(select(t.mails).order_by(t.mails.c.id.desc())).all()
    return [
        {
            "id": r.id,
            "to": r.to_address,
            "username": r.username,
            "subject": r.subject,
            "body": r.body,
            "link": r.link,
            "sent_at": r.sent_at.isoformat(),
        }
        for r in rows
    ]
