"""Accounts, confirmation e-mails and OAuth2 tokens (password and refresh_token grants)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from html import escape
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, status
from fastapi.responses import HTMLResponse
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import Connection, select, update
from sqlalchemy.exc import IntegrityError

from desktop.portal.contract import AccountAccepted, AccountRegistration, TokenResponse
from desktop.sandbox import store as t
from desktop.sandbox.html import page
from desktop.sandbox.problems import ProblemError
from desktop.sandbox.state import Sandbox, base_url, get_sandbox

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
    challenge = {"WWW-Authenticate": "Bearer"}
    if not token:
        raise ProblemError(401, "auth.required", "Log in first", headers=challenge)
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


@router.post(
    "/v1/auth/token",
    name="token",
    response_model=TokenResponse,
    responses={400: {"description": "bad grant"}, 401: {"description": "bad credentials"}},
)
def token(
    sandbox: SandboxDep,
    grant_type: Annotated[str, Form()],
    username: Annotated[str | None, Form()] = None,
    password: Annotated[str | None, Form()] = None,
    refresh_token: Annotated[str | None, Form()] = None,
) -> TokenResponse:
    """OAuth2 token endpoint (form-encoded): `password` or `refresh_token` grant."""
    if grant_type == "password":
        return _password_grant(sandbox, username or "", password or "")
    if grant_type == "refresh_token":
        return _refresh_grant(sandbox, refresh_token or "")
    raise ProblemError(
        400,
        "auth.unsupported_grant",
        "Use grant_type password or refresh_token",
        grant_type=grant_type,
    )


def _password_grant(sandbox: Sandbox, username: str, password: str) -> TokenResponse:
    with sandbox.store.begin() as conn:
        row = conn.execute(select(t.accounts).where(t.accounts.c.username == username)).first()
        if row is None or not check_password(password, row.password_hash):
            raise ProblemError(401, "auth.invalid_credentials", "Wrong username or password")
        if not row.active:
            raise ProblemError(
                403, "auth.not_activated", "Confirm the account by its e-mail link first"
            )
        return _issue(conn, sandbox, int(row.id))


def _refresh_grant(sandbox: Sandbox, refresh_token: str) -> TokenResponse:
    with sandbox.store.begin() as conn:
        row = conn.execute(
            select(t.tokens).where(
                t.tokens.c.token_hash == _token_hash(refresh_token),
                t.tokens.c.kind == "refresh",
            )
        ).first()
        if row is None or row.revoked or row.expires_at <= sandbox.config.now():
            raise ProblemError(401, "auth.invalid_refresh", "Log in again with the password")
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
