"""OpenID Connect log-in of the app against the sandbox provider (no real browser here):
PKCE through the loopback redirect, the ID token checked, the refresh token kept in the
keyring and used when the access token expires, API v1 answering the provider's tokens."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from desktop.errors import UserError
from desktop.portal import oidc
from desktop.portal.credentials import CredentialStore, keyring_client
from desktop.portal.errors import LoginRequiredError
from desktop.portal.oidc_client import OidcPortalClient
from desktop.portal.oidc_loopback import LoopbackReceiver, login_with_browser
from portal_sandbox import auth
from portal_sandbox.config import SandboxConfig
from portal_sandbox.server import ThreadedSandbox

from .oidc_helpers import FormBrowser, active_account


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadedSandbox]:
    config = SandboxConfig(tmp_path_factory.mktemp("oidc") / "sandbox", access_token_ttl=2)
    with ThreadedSandbox(config) as server:
        for name in ("xa-tan-an", "xa-binh-an"):
            active_account(server, name)
        yield server


@pytest.fixture(autouse=True)
def _fresh_throttle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "_THROTTLE", auth.LoginThrottle())


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def test_login_through_loopback_then_api_v1_accepts_the_token(
    live: ThreadedSandbox, http: httpx.Client
) -> None:
    browser = FormBrowser("xa-tan-an")
    result = login_with_browser(live.url, http, open_browser=browser, timeout=20)
    assert result.username == "xa-tan-an"
    assert result.claims["iss"] == live.url and result.claims["aud"] == oidc.CLIENT_ID
    assert "Đăng nhập" in browser.pages[0].text  # the Vietnamese log-in page
    assert "Đã đăng nhập" in browser.pages[-1].text  # the loopback's answer
    redirect = browser.pages[1].headers["location"]
    assert redirect.startswith("http://127.0.0.1:") and "/callback?" in redirect
    answer = http.get(
        f"{live.url}/v1/dossiers",
        params={"changed_since": "0"},
        headers={"Authorization": f"Bearer {result.tokens.access_token}"},
    )
    assert answer.status_code == 200


def test_wrong_password_stays_on_the_page_and_times_out(
    live: ThreadedSandbox, http: httpx.Client
) -> None:
    browser = FormBrowser("xa-tan-an", "sai-mat-khau")
    with pytest.raises(UserError) as caught:
        login_with_browser(live.url, http, open_browser=browser, timeout=1)
    assert caught.value.code == "oidc.login_timeout"
    assert "Sai tên đăng nhập hoặc mật khẩu" in browser.pages[1].text


def test_refresh_token_in_keyring_renews_the_expired_access_token(
    live: ThreadedSandbox, http: httpx.Client, memory_keyring: object
) -> None:
    result = login_with_browser(live.url, http, open_browser=FormBrowser("xa-binh-an"))
    store = CredentialStore()
    store.save_oidc(live.url, live.url, result.username, result.tokens)
    assert store.password(live.url, "xa-binh-an") is None  # no password is kept
    client = keyring_client(live.url)
    assert isinstance(client, OidcPortalClient)
    with client:
        assert client.changes().items == []
        first = client.tokens
        time.sleep(2.5)  # the sandbox's access tokens live 2 s here
        assert client.changes().items == []
        assert client.tokens is not None and first is not None
        assert client.tokens.access_token != first.access_token
    kept = store.tokens(live.url, "xa-binh-an")
    assert kept is not None and kept.refresh_token == client.tokens.refresh_token
    # Rotation: the first refresh token is spent; a client holding it must log in again.
    stale = OidcPortalClient(live.url, issuer=live.url, tokens=first, fresh_for=0)
    with stale, pytest.raises(LoginRequiredError) as caught:
        stale.changes()
    assert caught.value.code == "portal.login_required"


def test_provider_refuses_a_code_without_the_right_verifier(
    live: ThreadedSandbox, http: httpx.Client
) -> None:
    meta = oidc.discover(live.url, http)
    pkce = oidc.Pkce.new()
    with LoopbackReceiver("s1") as receiver:
        url = oidc.authorization_url(
            meta, redirect_uri=receiver.redirect_uri, state="s1", nonce="n1", pkce=pkce
        )
        FormBrowser("xa-tan-an")(url)
        params = receiver.wait(5)
        redirect_uri = receiver.redirect_uri
    keys = oidc.KeySet(meta, http)
    with pytest.raises(UserError) as caught:
        oidc.exchange_code(
            http, meta, keys, code=params["code"], redirect_uri=redirect_uri,
            pkce=oidc.Pkce.new(), nonce="n1",
        )  # fmt: skip
    assert caught.value.code == "oidc.token_refused"
    # The code was spent by that try: the right verifier no longer helps either.
    with pytest.raises(UserError):
        oidc.exchange_code(
            http, meta, keys, code=params["code"], redirect_uri=redirect_uri, pkce=pkce,
            nonce="n1",
        )  # fmt: skip


def test_loopback_ignores_requests_of_another_login() -> None:
    with LoopbackReceiver("right-state") as receiver:
        stray = httpx.get(receiver.redirect_uri, params={"code": "x", "state": "other"})
        assert stray.status_code == 400
        ok = httpx.get(receiver.redirect_uri, params={"code": "c", "state": "right-state"})
        assert ok.status_code == 200
        assert receiver.wait(1) == {"code": "c", "state": "right-state"}
        assert receiver.redirect_uri.startswith("http://127.0.0.1:")


# ------------------------------------------------------------ ID token checks


class _Keys:
    """A KeySet holding one given key (the provider's JWKS stands in elsewhere)."""

    def __init__(self, key: ec.EllipticCurvePrivateKey) -> None:
        self.jwk = jwt.PyJWK(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key(), as_dict=True))

    def key(self, kid: str) -> jwt.PyJWK:
        return self.jwk


META = oidc.ProviderMetadata("http://127.0.0.1:1", "a", "t", "j")
KEY = ec.generate_private_key(ec.SECP256R1())


def _token(key: object = KEY, algorithm: str = "ES256", **changes: object) -> str:
    now = int(time.time())
    claims = {"iss": META.issuer, "sub": "acct-1", "aud": oidc.CLIENT_ID, "iat": now,
              "exp": now + 300, "nonce": "n-1"}  # fmt: skip
    claims.update(changes)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key, algorithm=algorithm)  # type: ignore[arg-type]


# Tokens are made when the test runs (at collection they would expire in a long run).
@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda: _token(ec.generate_private_key(ec.SECP256R1())), "bad signature"),
        (lambda: _token(iss="http://127.0.0.1:2"), "wrong issuer"),
        (lambda: _token(aud="another-app"), "wrong audience"),
        (lambda: _token(exp=int(time.time()) - 3600), "expired"),
        (lambda: _token(nonce="n-2"), "nonce does not match"),
        (lambda: _token(exp=None), "no exp claim"),
        (lambda: _token(key="secret-key-of-32-bytes-at-least!", algorithm="HS256"), "algorithm"),
        (lambda: jwt.encode({"sub": "x"}, None, algorithm="none"), "algorithm"),  # type: ignore[arg-type]
        (lambda: "not-a-token", "not a JWT"),
    ],
)
def test_id_token_is_refused(make: Callable[[], str], reason: str) -> None:
    with pytest.raises(UserError) as caught:
        oidc.validate_id_token(make(), META, _Keys(KEY), nonce="n-1")  # type: ignore[arg-type]
    assert caught.value.code == "oidc.id_token_invalid"
    assert reason in str(caught.value.params["reason"])


def test_id_token_accepted_when_everything_matches() -> None:
    claims = oidc.validate_id_token(_token(), META, _Keys(KEY), nonce="n-1")  # type: ignore[arg-type]
    assert claims["sub"] == "acct-1"


def test_discovery_refuses_a_document_naming_another_issuer() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={
            "issuer": "http://127.0.0.1:9", "authorization_endpoint": "http://127.0.0.1:9/a",
            "token_endpoint": "http://127.0.0.1:9/t", "jwks_uri": "http://127.0.0.1:9/j",
        })  # fmt: skip

    with httpx.Client(transport=httpx.MockTransport(answer)) as http:
        with pytest.raises(UserError) as caught:
            oidc.discover("http://127.0.0.1:8", http)
        assert caught.value.code == "oidc.discovery_failed"
        assert oidc.discover("http://127.0.0.1:9", http).token_endpoint.endswith("/t")


def test_tokens_signed_with_a_key_kept_across_restarts(tmp_path: Path) -> None:
    from portal_sandbox.oidc_keys import SigningKey

    first = SigningKey.ensure(tmp_path)
    again = SigningKey.ensure(tmp_path)
    assert first.kid == again.kid
    assert (tmp_path / "oidc-signing-key.pem").stat().st_mode & 0o077 == 0


def test_cli_login_oidc_opens_the_browser_and_keeps_no_password(
    live: ThreadedSandbox, run_cli, memory_keyring: object, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import webbrowser

    monkeypatch.setattr(webbrowser, "open", FormBrowser("xa-tan-an"))
    done = run_cli("account", "login", "--oidc", "--portal", live.url, "--json")
    assert done.code == 0, done.err
    assert "/oidc/authorize?" in done.err  # the address is printed for another browser
    answer = json.loads(done.out)
    assert answer == {"portal": live.url, "username": "xa-tan-an", "issuer": live.url,
                      "oidc": True}  # fmt: skip
    store = CredentialStore()
    assert store.oidc_issuer(live.url) == live.url
    assert store.password(live.url, "xa-tan-an") is None
    assert store.tokens(live.url, "xa-tan-an") is not None
    # Without --oidc the user name is asked for, in words.
    missing = run_cli("account", "login", "--portal", live.url)
    assert missing.code == 1 and "--username" in missing.err and "Traceback" not in missing.err


def test_cli_login_oidc_on_a_profile_without_provider_says_what_to_configure(
    run_cli, data_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "portals.json").write_text(
        '{"profiles": [{"id": "province-51", "name": "Quảng Ngãi", "kind": "v1", '
        '"api_url": "http://127.0.0.1:9"}]}',
        encoding="utf-8",
    )
    assert run_cli("account", "use-portal", "province-51").code == 0
    refused = run_cli("account", "login", "--oidc")
    assert refused.code == 1 and "oidc_issuer" in refused.err
