"""The sandbox OpenID provider judged by standard libraries it did not write: Authlib's
OAuth2 client runs the code flow with PKCE and the refresh grant, Authlib validates the
discovery document, joserfc checks the ID token against the JWKS."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import httpx
import pytest
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.httpx_client import OAuth2Client
from authlib.oidc.discovery import OpenIDProviderMetadata
from joserfc import jwt
from joserfc.errors import InvalidClaimError
from joserfc.jwk import KeySet

from portal_sandbox import auth
from portal_sandbox.config import SandboxConfig
from portal_sandbox.server import ThreadedSandbox

from .oidc_helpers import PASSWORD, active_account

REDIRECT = "http://127.0.0.1:53682/callback"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadedSandbox]:
    config = SandboxConfig(tmp_path_factory.mktemp("judges") / "sandbox")
    with ThreadedSandbox(config) as server:
        active_account(server, "xa-tan-an")
        yield server


@pytest.fixture(autouse=True)
def _fresh_throttle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "_THROTTLE", auth.LoginThrottle())


def _log_in(url: str) -> str:
    """Fill the log-in page; the Location it redirects to (the app would receive it)."""
    with httpx.Client(timeout=10) as http:
        page = http.get(url)
        assert page.status_code == 200, page.text
        hidden = re.finditer(r"<input type='hidden' name='([^']*)' value='([^']*)'>", page.text)
        form = {unescape(m.group(1)): unescape(m.group(2)) for m in hidden}
        form.update(username="xa-tan-an", password=PASSWORD)
        answer = http.post(str(page.url.copy_with(query=None)), data=form)
        assert answer.status_code == 303, answer.text
        return answer.headers["location"]


def test_discovery_document_satisfies_authlib(live: ThreadedSandbox) -> None:
    doc = httpx.get(f"{live.url}/.well-known/openid-configuration").json()
    metadata = OpenIDProviderMetadata(doc)
    for check in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri",
                  "response_types_supported", "subject_types_supported",
                  "id_token_signing_alg_values_supported",
                  "code_challenge_methods_supported"):  # fmt: skip
        if check == "issuer":
            continue  # Authlib insists on https; the sandbox lives on loopback http
        getattr(metadata, f"validate_{check}")()
    assert doc["issuer"] == live.url


def test_authlib_runs_code_flow_with_pkce_and_refresh(live: ThreadedSandbox) -> None:
    doc = httpx.get(f"{live.url}/.well-known/openid-configuration").json()
    client = OAuth2Client(
        client_id="dvc-desk",
        token_endpoint_auth_method="none",
        redirect_uri=REDIRECT,
        scope="openid profile offline_access",
        code_challenge_method="S256",
    )
    with client:
        verifier = "v" * 20 + "erifier-of-pkce-at-least-43-characters-long"
        url, state = client.create_authorization_url(
            doc["authorization_endpoint"], code_verifier=verifier, nonce="nonce-123"
        )
        location = _log_in(url)
        assert location.startswith(REDIRECT) and f"state={state}" in location
        token = client.fetch_token(
            doc["token_endpoint"], authorization_response=location, code_verifier=verifier
        )
        keys = KeySet.import_key_set(httpx.get(doc["jwks_uri"]).json())
        id_token = jwt.decode(token["id_token"], keys, algorithms=["RS256"])
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": live.url},
            aud={"essential": True, "value": "dvc-desk"},
            nonce={"essential": True, "value": "nonce-123"},
            exp={"essential": True},
        ).validate(id_token.claims)
        with pytest.raises(InvalidClaimError):
            jwt.JWTClaimsRegistry(nonce={"essential": True, "value": "other"}).validate(
                id_token.claims
            )
        # API v1 takes the access token as it takes its own.
        answer = httpx.get(
            f"{live.url}/v1/dossiers?changed_since=0",
            headers={"Authorization": f"Bearer {token['access_token']}"},
        )
        assert answer.status_code == 200
        refreshed = client.refresh_token(
            doc["token_endpoint"], refresh_token=token["refresh_token"]
        )
        assert refreshed["access_token"] != token["access_token"]
        assert jwt.decode(refreshed["id_token"], keys).claims["sub"] == id_token.claims["sub"]
        with pytest.raises(OAuthError) as spent:  # rotated: the first refresh token is gone
            client.refresh_token(doc["token_endpoint"], refresh_token=token["refresh_token"])
        assert spent.value.error == "invalid_grant"


def test_provider_refuses_what_rfc_8252_and_7636_forbid(live: ThreadedSandbox) -> None:
    base = {"client_id": "dvc-desk", "response_type": "code", "scope": "openid",
            "state": "s", "code_challenge": "x" * 43, "code_challenge_method": "S256"}  # fmt: skip
    authorize = f"{live.url}/oidc/authorize"
    # Not a loopback IP redirect: refused on the page itself, never redirected.
    for redirect in ("http://evil.example/callback", "http://localhost:9/callback",
                     "https://127.0.0.1:9/callback", "http://127.0.0.1/callback"):  # fmt: skip
        page = httpx.get(authorize, params={**base, "redirect_uri": redirect})
        assert page.status_code == 400 and "không hợp lệ" in page.text
    # No PKCE, or plain PKCE: back to the app with an error.
    for changes in ({"code_challenge_method": "plain"}, {"code_challenge": ""}):
        answer = httpx.get(authorize, params={**base, "redirect_uri": REDIRECT, **changes})
        assert answer.status_code == 303
        assert "error=invalid_request" in answer.headers["location"]
    # A code without its verifier (a stolen code) is worth nothing.
    challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"  # RFC 7636 appendix B
    params = {**base, "redirect_uri": REDIRECT, "code_challenge": challenge}
    location = _log_in(str(httpx.URL(authorize, params=params)))
    code = httpx.URL(location).params["code"]
    refused = httpx.post(f"{live.url}/oidc/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
        "client_id": "dvc-desk"})  # fmt: skip
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    assert refused.headers["cache-control"] == "no-store"
