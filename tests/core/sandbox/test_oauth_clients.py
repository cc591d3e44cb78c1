"""The token endpoint as RFC 6749 says, judged by standard clients (Authlib,
requests-oauthlib): errors are error documents (never stored as a token), answers are
no-store, repeated parameters are refused, 401s carry `error="invalid_token"`, failed
logins are rate limited and cost the same time for unknown and known users."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.httpx_client import OAuth2Client
from oauthlib.oauth2 import InvalidGrantError, LegacyApplicationClient
from requests_oauthlib import OAuth2Session

from portal_sandbox import auth
from portal_sandbox.config import SandboxConfig
from portal_sandbox.server import ThreadedSandbox

PASSWORD = "mat-khau-123"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[ThreadedSandbox]:
    with ThreadedSandbox(SandboxConfig(tmp_path / "sandbox")) as server:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            for name in ("xa-tan-an", "xa-chua-kich-hoat"):
                http.post(
                    "/v1/accounts",
                    json={"username": name, "email": f"{name}@example.vn", "password": PASSWORD,
                          "full_name": "UBND xã Tân An", "phone": "0912345678"},
                ).raise_for_status()  # fmt: skip
            mails = http.get("/sandbox/mail.json", headers=server.secret_headers).json()
            link = next(m["link"] for m in mails if m["username"] == "xa-tan-an")
            http.get(link).raise_for_status()
        yield server


@pytest.fixture(autouse=True)
def _fresh_throttle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "_THROTTLE", auth.LoginThrottle())


def test_authlib_gets_tokens_and_raises_on_errors(live: ThreadedSandbox) -> None:
    url = f"{live.url}/v1/auth/token"
    with OAuth2Client(client_id="dvc-desk", token_endpoint_auth_method="none") as client:
        token = client.fetch_token(url, username="xa-tan-an", password=PASSWORD)
        assert token["access_token"] and token["refresh_token"]
        refreshed = client.refresh_token(url, refresh_token=token["refresh_token"])
        assert refreshed["access_token"] != token["access_token"]
    with OAuth2Client(client_id="dvc-desk", token_endpoint_auth_method="none") as client:
        with pytest.raises(OAuthError) as wrong:
            client.fetch_token(url, username="xa-tan-an", password="sai")
        assert wrong.value.error == "invalid_grant"
        assert client.token is None  # the error document was not stored as a token
        with pytest.raises(OAuthError) as pending:
            client.fetch_token(url, username="xa-chua-kich-hoat", password=PASSWORD)
        assert pending.value.error == "invalid_grant"


def test_requests_oauthlib_password_grant(
    live: ThreadedSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # loopback http in the test
    session = OAuth2Session(client=LegacyApplicationClient(client_id="dvc-desk"))
    url = f"{live.url}/v1/auth/token"
    token = session.fetch_token(url, username="xa-tan-an", password=PASSWORD)
    assert token["token_type"].lower() == "bearer"
    assert session.get(f"{live.url}/v1/dossiers?changed_since=0").status_code == 200
    other = OAuth2Session(client=LegacyApplicationClient(client_id="dvc-desk"))
    with pytest.raises(InvalidGrantError):
        other.fetch_token(url, username="xa-tan-an", password="sai")


def test_token_answers_are_no_store_and_parameters_not_repeated(live: ThreadedSandbox) -> None:
    url = f"{live.url}/v1/auth/token"
    ok = httpx.post(url, data={"grant_type": "password", "username": "xa-tan-an",
                               "password": PASSWORD})  # fmt: skip
    assert ok.status_code == 200 and ok.headers["cache-control"] == "no-store"
    twice = httpx.post(
        url,
        content=f"grant_type=password&username=xa-tan-an&username=x&password={PASSWORD}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert twice.status_code == 400 and twice.json()["error"] == "invalid_request"
    assert twice.headers["cache-control"] == "no-store"
    unknown = httpx.post(url, data={"grant_type": "client_credentials"})
    assert unknown.json()["error"] == "unsupported_grant_type"
    missing = httpx.post(url, data={})
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"


def test_401_says_invalid_token(live: ThreadedSandbox) -> None:
    answer = httpx.get(f"{live.url}/v1/dossiers", headers={"Authorization": "Bearer khong-hop-le"})
    assert answer.status_code == 401
    assert 'error="invalid_token"' in answer.headers["www-authenticate"]
    bare = httpx.get(f"{live.url}/v1/dossiers")
    assert bare.headers["www-authenticate"].startswith("Bearer")
    assert "error=" not in bare.headers["www-authenticate"]  # RFC 6750 §3.1: no token sent


def _time_login(url: str, username: str) -> float:
    started = time.perf_counter()
    httpx.post(url, data={"grant_type": "password", "username": username, "password": "sai"})
    return time.perf_counter() - started


def test_unknown_and_known_users_cost_the_same_and_logins_are_limited(
    live: ThreadedSandbox,
) -> None:
    url = f"{live.url}/v1/auth/token"
    known = min(_time_login(url, "xa-tan-an") for _ in range(3))
    unknown = min(_time_login(url, f"khong-co-{i}") for i in range(3))
    # Both run scrypt: an unknown name is not answered measurably faster (no oracle).
    assert unknown > known * 0.5
    for _ in range(auth.LOGIN_ATTEMPTS):
        httpx.post(url, data={"grant_type": "password", "username": "xa-tan-an", "password": "x"})
    limited = httpx.post(
        url, data={"grant_type": "password", "username": "xa-tan-an", "password": PASSWORD}
    )
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) > 0
