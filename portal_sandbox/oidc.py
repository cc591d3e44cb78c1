"""The sandbox as an OpenID Connect provider, the way Keycloak-fronted portals log in.

Authorization code flow with PKCE (S256 only) for the public client `dvc-desk`, whose
redirect is a loopback address on any port (RFC 8252 §7.3): discovery document, JWKS,
a Vietnamese log-in page, a token endpoint issuing RS256-signed JWTs (ID token and
access token) and rotating refresh tokens. The access token's hash goes into the same
token table as API v1's own tokens, so API v1 accepts it (and its expiry) unchanged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from html import escape
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from sqlalchemy import select, update

from portal_sandbox import store as t
from portal_sandbox.auth import (
    _DUMMY_HASH,
    _THROTTLE,
    NO_STORE,
    OAuthError,
    _token_form,
    _token_hash,
    check_password,
)
from portal_sandbox.html import page
from portal_sandbox.oidc_keys import ALGORITHM, SigningKey
from portal_sandbox.state import Sandbox, base_url, get_sandbox

# Described by its discovery document, not by API v1's OpenAPI (docs/openapi.json).
router = APIRouter(include_in_schema=False)

#: The public clients this provider knows; each may redirect to a loopback port it picks.
CLIENTS = {"dvc-desk": "/callback"}
CODE_TTL = 60.0  # seconds an authorization code may wait for its exchange
SCOPES = ("openid", "profile", "offline_access")
CLAIMS = ("sub", "iss", "aud", "exp", "iat", "nonce", "name", "preferred_username", "auth_time")


@dataclass(frozen=True)
class _Code:
    client_id: str
    redirect_uri: str
    challenge: str
    nonce: str | None
    scope: str
    account_id: int
    username: str
    full_name: str
    auth_time: int
    expires: float


class Provider:
    """The provider's signing key and its pending authorization codes (one use each)."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.key = SigningKey.ensure(sandbox.config.pki)
        self._codes: dict[str, _Code] = {}
        self._lock = threading.Lock()

    def new_code(self, code: _Code) -> str:
        value = secrets.token_urlsafe(32)
        now = time.monotonic()
        with self._lock:
            self._codes = {k: c for k, c in self._codes.items() if c.expires > now}
            self._codes[value] = code
        return value

    def take_code(self, value: str) -> _Code | None:
        with self._lock:
            code = self._codes.pop(value, None)
        return code if code is not None and code.expires > time.monotonic() else None


def provider(request: Request) -> Provider:
    found: Provider | None = getattr(request.app.state, "oidc", None)
    if found is None:
        found = request.app.state.oidc = Provider(get_sandbox(request))
    return found


ProviderDep = Annotated[Provider, Depends(provider)]
SandboxDep = Annotated[Sandbox, Depends(get_sandbox)]


def loopback_redirect(client_id: str, redirect_uri: str) -> bool:
    """RFC 8252 §7.3: http on a loopback IP literal, any port, the client's path."""
    path = CLIENTS.get(client_id)
    if path is None:
        return False
    parts = urlsplit(redirect_uri)
    try:
        port = parts.port
    except ValueError:
        return False
    return (
        parts.scheme == "http"
        and parts.hostname in ("127.0.0.1", "::1")
        and port is not None
        and parts.path == path
        and not parts.fragment
    )


@router.get("/.well-known/openid-configuration", name="oidc_discovery")
def discovery(request: Request) -> JSONResponse:
    """OpenID Connect Discovery 1.0: where everything is, what is supported."""
    issuer = base_url(request)
    return JSONResponse(
        {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/oidc/authorize",
            "token_endpoint": f"{issuer}/oidc/token",
            "jwks_uri": f"{issuer}/oidc/jwks",
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [ALGORITHM],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["none"],
            "scopes_supported": list(SCOPES),
            "claims_supported": list(CLAIMS),
            "authorization_response_iss_parameter_supported": True,
        }
    )


@router.get("/oidc/jwks", name="oidc_jwks")
def jwks(oidc: ProviderDep) -> JSONResponse:
    return JSONResponse(oidc.key.jwks())


_AUTH_PARAMS = (
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
)


def _error_page(text: str) -> HTMLResponse:
    return page("Không đăng nhập được", f"<p>{escape(text)}</p>", status_code=400)


def _back(redirect_uri: str, issuer: str, **params: str | None) -> RedirectResponse:
    query = urlencode({k: v for k, v in {**params, "iss": issuer}.items() if v is not None})
    return RedirectResponse(f"{redirect_uri}?{query}", status_code=303)


def _check_request(params: dict[str, str], issuer: str) -> Response | None:
    """None when the request is good; else the page (bad client/redirect, shown here,
    RFC 6749 §4.1.2.1) or the redirect carrying the error back to the app."""
    client_id, redirect_uri = params.get("client_id", ""), params.get("redirect_uri", "")
    if client_id not in CLIENTS:
        return _error_page(f"Ứng dụng «{client_id}» không được đăng ký với cổng này.")
    if not loopback_redirect(client_id, redirect_uri):
        return _error_page(
            "Địa chỉ quay về của ứng dụng không hợp lệ (phải là http://127.0.0.1:<cổng>"
            f"{CLIENTS[client_id]})."
        )
    state = params.get("state")
    problem = None
    if params.get("response_type") != "code":
        problem = ("unsupported_response_type", "response_type must be code")
    elif "openid" not in params.get("scope", "").split():
        problem = ("invalid_scope", "scope must include openid")
    elif params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
        problem = ("invalid_request", "PKCE with code_challenge_method S256 is required")
    if problem is not None:
        return _back(
            redirect_uri, issuer, error=problem[0], error_description=problem[1], state=state
        )
    return None


def _login_page(params: dict[str, str], message: str = "", status_code: int = 200) -> HTMLResponse:
    hidden = "".join(
        f"<input type='hidden' name='{name}' value='{escape(params.get(name, ''))}'>"
        for name in _AUTH_PARAMS
        if params.get(name) is not None
    )
    alert = (
        f"<p class='note' id='error' role='alert'><b>{escape(message)}</b></p>" if message else ""
    )
    body = (
        "<p>Ứng dụng <b>dvc-desk</b> đề nghị đăng nhập bằng tài khoản Cổng dịch vụ công "
        "(thử nghiệm).</p>"
        f"{alert}<form method='post' action='/oidc/authorize'>{hidden}"
        "<p><label>Tên đăng nhập<br><input id='username' name='username' "
        "autocomplete='username' required></label></p>"
        "<p><label>Mật khẩu<br><input id='password' name='password' type='password' "
        "autocomplete='current-password' required></label></p>"
        "<p><button id='login' type='submit'>Đăng nhập</button></p></form>"
    )
    return page("Đăng nhập", body, status_code=status_code)


@router.get("/oidc/authorize", name="oidc_authorize", response_class=HTMLResponse)
def authorize(request: Request) -> Response:
    """The log-in page the app opens in the browser."""
    params = dict(request.query_params)
    return _check_request(params, base_url(request)) or _login_page(params)


@router.post("/oidc/authorize", include_in_schema=False)
async def authorize_submit(request: Request, sandbox: SandboxDep, oidc: ProviderDep) -> Response:
    """The log-in form: the password checked, then back to the app with a code."""
    form = await request.form()
    params = {k: str(v) for k, v in form.items()}
    issuer = base_url(request)
    refused = _check_request(params, issuer)
    if refused is not None:
        return refused
    outcome = await run_in_threadpool(
        _check_login, sandbox, params.get("username", ""), params.get("password", "")
    )
    if isinstance(outcome, str):
        return _login_page(params, outcome, status_code=400)
    account_id, username, full_name = outcome
    code = oidc.new_code(
        _Code(
            client_id=params["client_id"],
            redirect_uri=params["redirect_uri"],
            challenge=params["code_challenge"],
            nonce=params.get("nonce"),
            scope=params.get("scope", "openid"),
            account_id=account_id,
            username=username,
            full_name=full_name,
            auth_time=int(sandbox.config.now().timestamp()),
            expires=time.monotonic() + CODE_TTL,
        )
    )
    return _back(params["redirect_uri"], issuer, code=code, state=params.get("state"))


def _check_login(sandbox: Sandbox, username: str, password: str) -> tuple[int, str, str] | str:
    """(account id, username, full name), or the Vietnamese reason to show on the page."""
    keys = [f"user:{username.lower()}"]
    if _THROTTLE.blocked(keys) > 0:
        return "Đăng nhập sai quá nhiều lần. Hãy đợi vài phút rồi thử lại."
    with sandbox.store.begin() as conn:
        row = conn.execute(select(t.accounts).where(t.accounts.c.username == username)).first()
    matches = check_password(password, row.password_hash if row else _DUMMY_HASH)
    if row is None or not matches or not username:
        _THROTTLE.failed(keys)
        return "Sai tên đăng nhập hoặc mật khẩu."
    if not row.active:
        return "Tài khoản chưa được kích hoạt: hãy mở liên kết trong thư xác nhận trước."
    _THROTTLE.succeeded(keys)
    return int(row.id), str(row.username), str(row.full_name)


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@router.post("/oidc/token", name="oidc_token")
async def token(request: Request, sandbox: SandboxDep, oidc: ProviderDep) -> Response:
    """`authorization_code` (with the PKCE verifier) or `refresh_token` grant; JSON answer
    with `access_token`, `id_token`, `refresh_token`, `expires_in`, never cached."""
    issuer = base_url(request)
    try:
        form = await _token_form(request)
        grant = form.get("grant_type", "")
        if form.get("client_id", "") not in CLIENTS:
            raise OAuthError("invalid_client", "Unknown client_id", "auth.invalid_client", 401)
        if grant == "authorization_code":
            body = await run_in_threadpool(_code_grant, sandbox, oidc, issuer, form)
        elif grant == "refresh_token":
            body = await run_in_threadpool(_refresh_grant, sandbox, oidc, issuer, form)
        else:
            raise OAuthError(
                "unsupported_grant_type",
                "Use grant_type authorization_code or refresh_token",
                "auth.unsupported_grant",
            )
    except OAuthError as exc:
        return exc.response()
    return JSONResponse(body, headers=NO_STORE)


def _code_grant(
    sandbox: Sandbox, oidc: Provider, issuer: str, form: dict[str, str]
) -> dict[str, Any]:
    code = oidc.take_code(form.get("code", ""))
    bad = "The authorization code is unknown, used or expired"
    if code is None or code.client_id != form["client_id"]:
        raise OAuthError("invalid_grant", bad, "auth.invalid_code")
    if code.redirect_uri != form.get("redirect_uri"):
        raise OAuthError("invalid_grant", "redirect_uri does not match", "auth.invalid_code")
    verifier = form.get("code_verifier", "")
    if not 43 <= len(verifier) <= 128 or not hmac.compare_digest(_s256(verifier), code.challenge):
        raise OAuthError("invalid_grant", "code_verifier does not match", "auth.invalid_code")
    return _issue(
        sandbox,
        oidc,
        issuer,
        client_id=code.client_id,
        account_id=code.account_id,
        username=code.username,
        full_name=code.full_name,
        nonce=code.nonce,
        auth_time=code.auth_time,
        scope=code.scope,
    )


def _refresh_grant(
    sandbox: Sandbox, oidc: Provider, issuer: str, form: dict[str, str]
) -> dict[str, Any]:
    refresh = form.get("refresh_token", "")
    with sandbox.store.begin() as conn:
        row = conn.execute(
            select(t.tokens).where(
                t.tokens.c.token_hash == _token_hash(refresh), t.tokens.c.kind == "refresh"
            )
        ).first()
        if row is None or row.revoked or row.expires_at <= sandbox.config.now():
            raise OAuthError("invalid_grant", "Log in again", "auth.invalid_refresh")
        # Rotation: the used refresh token is spent.
        conn.execute(
            update(t.tokens).where(t.tokens.c.token_hash == row.token_hash).values(revoked=True)
        )
        account = conn.execute(select(t.accounts).where(t.accounts.c.id == row.account_id)).one()
    return _issue(
        sandbox,
        oidc,
        issuer,
        client_id=form["client_id"],
        account_id=int(account.id),
        username=str(account.username),
        full_name=str(account.full_name),
        nonce=None,
        auth_time=None,
        scope=form.get("scope") or "openid profile offline_access",
    )


def _issue(
    sandbox: Sandbox,
    oidc: Provider,
    issuer: str,
    *,
    client_id: str,
    account_id: int,
    username: str,
    full_name: str,
    nonce: str | None,
    auth_time: int | None,
    scope: str,
) -> dict[str, Any]:
    now = sandbox.config.now()
    ttl = sandbox.config.access_token_ttl
    iat, exp = int(now.timestamp()), int(now.timestamp()) + ttl
    subject = f"acct-{account_id}"
    access = oidc.key.sign(
        {
            "iss": issuer,
            "sub": subject,
            "aud": issuer,
            "azp": client_id,
            "iat": iat,
            "exp": exp,
            "jti": secrets.token_urlsafe(16),
            "scope": scope,
        }
    )
    id_claims: dict[str, Any] = {
        "iss": issuer,
        "sub": subject,
        "aud": client_id,
        "azp": client_id,
        "iat": iat,
        "exp": exp,
        "name": full_name,
        "preferred_username": username,
    }
    if nonce is not None:
        id_claims["nonce"] = nonce
    if auth_time is not None:
        id_claims["auth_time"] = auth_time
    refresh = secrets.token_urlsafe(32)
    with sandbox.store.begin() as conn:
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
    return {
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": ttl,
        "refresh_token": refresh,
        "id_token": oidc.key.sign(id_claims),
        "scope": scope,
    }
