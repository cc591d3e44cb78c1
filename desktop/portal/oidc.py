"""OpenID Connect for a native app: discovery, PKCE, the code exchange, refresh, ID tokens.

The authorization code flow with PKCE (RFC 7636, S256) as RFC 8252 asks of desktop apps;
the browser and the loopback redirect live in `desktop.portal.oidc_loopback`. Every ID
token is checked before it is believed: its signature against the provider's JWKS (keys
looked up by `kid`, the set fetched again once for an unknown `kid`), `iss`, `aud`,
`exp`/`iat` and, after a log-in, the `nonce` the app sent.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt

from desktop.errors import TransientError, UserError, define
from desktop.portal.contract import TokenResponse
from desktop.portal.errors import E_UNREACHABLE

#: The client id dvc-desk registers with a provider (a public client: no secret).
CLIENT_ID = "dvc-desk"
SCOPE = "openid profile offline_access"
#: Signature algorithms accepted in ID tokens; never "none", never HMAC (a public client
#: has no secret to check an HMAC with).
ALGORITHMS = ("ES256", "RS256", "PS256", "ES384", "RS384")
LEEWAY = 60  # seconds of clock difference tolerated on exp/iat

E_DISCOVERY = define(
    "oidc.discovery_failed",
    vi=(
        "Không đọc được cấu hình đăng nhập OpenID của {issuer} ({detail}). Hãy kiểm tra "
        "địa chỉ nhà cung cấp đăng nhập (issuer) trong hồ sơ cổng ở Cài đặt."
    ),
    en=(
        "Could not read the OpenID configuration of {issuer} ({detail}). Check the log-in "
        "provider (issuer) of the portal profile in Settings."
    ),
)
E_ID_TOKEN = define(
    "oidc.id_token_invalid",
    vi=(
        "Thẻ định danh (ID token) nhận từ {issuer} không hợp lệ ({reason}); chưa đăng nhập. "
        "Hãy thử đăng nhập lại; nếu vẫn lỗi, báo cho quản trị cổng."
    ),
    en=(
        "The ID token from {issuer} is not valid ({reason}); not logged in. Try logging in "
        "again; if it keeps failing, tell the portal's administrators."
    ),
)
E_TOKEN_REFUSED = define(
    "oidc.token_refused",
    vi=(
        "Nhà cung cấp đăng nhập {issuer} từ chối cấp thẻ truy cập ({error}). Hãy đăng nhập "
        "lại: dvc-desk account login --oidc"
    ),
    en=(
        "The log-in provider {issuer} refused to issue tokens ({error}). Log in again: "
        "dvc-desk account login --oidc"
    ),
)


@dataclass(frozen=True)
class ProviderMetadata:
    """The parts of an OpenID provider's discovery document dvc-desk uses."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    algorithms: tuple[str, ...] = field(default=ALGORITHMS)


@dataclass(frozen=True)
class Pkce:
    """A fresh PKCE pair: the verifier stays in the app, the challenge goes out."""

    verifier: str
    challenge: str

    @classmethod
    def new(cls) -> Pkce:
        verifier = secrets.token_urlsafe(64)  # 86 characters, within 43..128
        return cls(verifier, s256(verifier))


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class OidcTokens:
    """A token answer and the checked claims of its ID token (empty if none came)."""

    tokens: TokenResponse
    claims: dict[str, Any]

    @property
    def username(self) -> str:
        return str(self.claims.get("preferred_username") or self.claims.get("sub") or "")


def _get_json(http: httpx.Client, url: str, issuer: str) -> dict[str, Any]:
    try:
        response = http.get(url, headers={"Accept": "application/json"})
    except httpx.HTTPError as exc:
        raise TransientError(E_UNREACHABLE, url=issuer, detail=type(exc).__name__) from exc
    if response.status_code != 200:
        raise UserError(E_DISCOVERY, issuer=issuer, detail=f"HTTP {response.status_code} {url}")
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise UserError(E_DISCOVERY, issuer=issuer, detail=f"not JSON: {url}")
    return data


def discover(issuer: str, http: httpx.Client) -> ProviderMetadata:
    """The provider's metadata from `{issuer}/.well-known/openid-configuration`; its
    `issuer` must be exactly ours (OpenID Connect Discovery §4.3)."""
    issuer = issuer.rstrip("/")
    doc = _get_json(http, f"{issuer}/.well-known/openid-configuration", issuer)
    if str(doc.get("issuer", "")).rstrip("/") != issuer:
        raise UserError(E_DISCOVERY, issuer=issuer, detail=f"issuer is {doc.get('issuer')!r}")
    missing = [
        k for k in ("authorization_endpoint", "token_endpoint", "jwks_uri") if not doc.get(k)
    ]
    if missing:
        raise UserError(E_DISCOVERY, issuer=issuer, detail="missing " + ", ".join(missing))
    if "S256" not in doc.get("code_challenge_methods_supported", ["S256"]):
        raise UserError(E_DISCOVERY, issuer=issuer, detail="no PKCE S256")
    offered = doc.get("id_token_signing_alg_values_supported") or list(ALGORITHMS)
    return ProviderMetadata(
        issuer=str(doc["issuer"]),
        authorization_endpoint=str(doc["authorization_endpoint"]),
        token_endpoint=str(doc["token_endpoint"]),
        jwks_uri=str(doc["jwks_uri"]),
        algorithms=tuple(a for a in ALGORITHMS if a in offered),
    )


def authorization_url(
    meta: ProviderMetadata,
    *,
    redirect_uri: str,
    state: str,
    nonce: str,
    pkce: Pkce,
    client_id: str = CLIENT_ID,
    scope: str = SCOPE,
) -> str:
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": scope,
            "state": state,
            "nonce": nonce,
            "code_challenge": pkce.challenge,
            "code_challenge_method": "S256",
        }
    )
    separator = "&" if "?" in meta.authorization_endpoint else "?"
    return f"{meta.authorization_endpoint}{separator}{query}"


class KeySet:
    """The provider's JWKS, fetched when first needed and again for an unknown `kid`."""

    def __init__(self, meta: ProviderMetadata, http: httpx.Client) -> None:
        self._meta, self._http = meta, http
        self._keys: dict[str, jwt.PyJWK] | None = None

    def _fetch(self) -> dict[str, jwt.PyJWK]:
        doc = _get_json(self._http, self._meta.jwks_uri, self._meta.issuer)
        keys: dict[str, jwt.PyJWK] = {}
        for entry in doc.get("keys", []):
            if not isinstance(entry, dict) or entry.get("use", "sig") != "sig":
                continue
            try:
                keys[str(entry.get("kid", ""))] = jwt.PyJWK(entry)
            except jwt.PyJWTError:
                continue  # a key type we cannot use; others may still do
        return keys

    def key(self, kid: str) -> jwt.PyJWK:
        if self._keys is None or kid not in self._keys:
            self._keys = self._fetch()  # first use, or the provider rotated its key
        found = self._keys.get(kid)
        if found is None and kid == "" and len(self._keys) == 1:
            found = next(iter(self._keys.values()))
        if found is None:
            raise UserError(E_ID_TOKEN, issuer=self._meta.issuer, reason=f"unknown kid {kid!r}")
        return found


def validate_id_token(
    id_token: str,
    meta: ProviderMetadata,
    keys: KeySet,
    *,
    client_id: str = CLIENT_ID,
    nonce: str | None,
    leeway: int = LEEWAY,
) -> dict[str, Any]:
    """The claims of `id_token` once signature, iss, aud, exp, iat and nonce check out."""

    def bad(reason: str) -> UserError:
        return UserError(E_ID_TOKEN, issuer=meta.issuer, reason=reason)

    try:
        header = jwt.get_unverified_header(id_token)
    except jwt.PyJWTError as exc:
        raise bad("not a JWT") from exc
    algorithm = str(header.get("alg", ""))
    if algorithm not in meta.algorithms:
        raise bad(f"algorithm {algorithm!r} not accepted")
    key = keys.key(str(header.get("kid", "")))
    try:
        claims: dict[str, Any] = jwt.decode(
            id_token,
            key=key.key,
            algorithms=[algorithm],
            audience=client_id,
            issuer=meta.issuer,
            leeway=leeway,
            options={"require": ["iss", "sub", "aud", "exp", "iat"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise bad("expired") from exc
    except jwt.InvalidAudienceError as exc:
        raise bad("wrong audience") from exc
    except jwt.InvalidIssuerError as exc:
        raise bad("wrong issuer") from exc
    except jwt.InvalidSignatureError as exc:
        raise bad("bad signature") from exc
    except jwt.MissingRequiredClaimError as exc:
        raise bad(f"no {exc.claim} claim") from exc
    except jwt.PyJWTError as exc:
        raise bad(type(exc).__name__) from exc
    azp = claims.get("azp")
    if isinstance(claims.get("aud"), list) and len(claims["aud"]) > 1 and azp != client_id:
        raise bad("wrong authorized party")
    if nonce is not None and not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
        raise bad("nonce does not match")
    return claims


def token_request(
    http: httpx.Client, meta: ProviderMetadata, form: dict[str, str]
) -> httpx.Response:
    """POST to the token endpoint (a public client: its id in the form, no secret)."""
    try:
        return http.post(
            meta.token_endpoint,
            data=form,
            headers={"Accept": "application/json"},
        )
    except httpx.HTTPError as exc:
        raise TransientError(E_UNREACHABLE, url=meta.issuer, detail=type(exc).__name__) from exc


def _tokens(
    response: httpx.Response, meta: ProviderMetadata, keys: KeySet, nonce: str | None
) -> OidcTokens:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code != 200 or not isinstance(body, dict):
        error = body.get("error", f"HTTP {response.status_code}") if isinstance(body, dict) else ""
        raise UserError(E_TOKEN_REFUSED, issuer=meta.issuer, error=str(error))
    try:
        tokens = TokenResponse.model_validate(body)
    except ValueError as exc:
        raise UserError(E_TOKEN_REFUSED, issuer=meta.issuer, error="malformed answer") from exc
    id_token = body.get("id_token")
    if not isinstance(id_token, str):
        if nonce is not None:  # a log-in must prove who logged in
            raise UserError(E_ID_TOKEN, issuer=meta.issuer, reason="no id_token")
        return OidcTokens(tokens, {})
    return OidcTokens(tokens, validate_id_token(id_token, meta, keys, nonce=nonce))


def exchange_code(
    http: httpx.Client,
    meta: ProviderMetadata,
    keys: KeySet,
    *,
    code: str,
    redirect_uri: str,
    pkce: Pkce,
    nonce: str,
    client_id: str = CLIENT_ID,
) -> OidcTokens:
    """The authorization code for tokens; the ID token checked against `nonce`."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": client_id,
        "code_verifier": pkce.verifier,
    }
    return _tokens(token_request(http, meta, form), meta, keys, nonce)


def refresh_tokens(
    http: httpx.Client,
    meta: ProviderMetadata,
    keys: KeySet,
    refresh_token: str,
    *,
    client_id: str = CLIENT_ID,
) -> OidcTokens:
    """The refresh grant; an ID token that comes with the answer is checked too."""
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": client_id}
    return _tokens(token_request(http, meta, form), meta, keys, None)
