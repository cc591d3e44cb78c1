"""The keyring login the sync engine uses (a dict stands in for the OS keyring)."""

from __future__ import annotations

import httpx
import pytest

from desktop.portal.contract import TokenResponse
from desktop.portal.credentials import CredentialStore, keyring_client
from desktop.portal.errors import LoginRequiredError

PORTAL = "http://portal.test"


class MemoryStore(CredentialStore):
    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], str] = {}

    def _set(self, portal: str, key: str, value: str) -> None:
        self.entries[(self._service(portal), key)] = value

    def _get(self, portal: str, key: str) -> str | None:
        return self.entries.get((self._service(portal), key))


def test_without_a_stored_login_nothing_is_sent_and_the_clerk_is_told_to_log_in() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = keyring_client(PORTAL, http=http, store=MemoryStore())
    with pytest.raises(LoginRequiredError) as caught:
        client.changes()
    assert caught.value.code == "portal.login_required"
    assert "đăng nhập lại" in caught.value.message("vi")
    assert sent == []


def test_the_stored_refresh_token_is_used_first_and_the_new_pair_is_kept() -> None:
    store = MemoryStore()
    store.save(PORTAL, "xa-an-phu", "mat-khau")
    store.save_tokens(
        PORTAL, "xa-an-phu", TokenResponse(access_token="a1", refresh_token="r1", expires_in=60)
    )
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/auth/token":
            seen.append(request.content.decode())
            return httpx.Response(
                200, json={"access_token": "a2", "refresh_token": "r2", "expires_in": 600}
            )
        seen.append(request.headers["authorization"])
        return httpx.Response(200, json={"items": [], "cursor": "0", "has_more": False})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    keyring_client(PORTAL, http=http, store=store).changes()
    assert seen == ["grant_type=refresh_token&refresh_token=r1", "Bearer a2"]
    kept = store.tokens(PORTAL, "xa-an-phu")
    assert kept is not None and kept.refresh_token == "r2"
