"""The client against misbehaving portals (httpx.MockTransport)."""

from __future__ import annotations

import httpx
import pytest

from desktop.errors import TransientError, UserError
from desktop.portal.client import PortalClient, retry_after_seconds
from desktop.portal.contract import TokenResponse
from desktop.portal.errors import PortalRefusedError

UUID = "5a55c29a-aaf4-4a37-8ebc-9e9c12db7c89"


def _client(handler: object, tokens: TokenResponse | None = None) -> PortalClient:
    http = httpx.Client(transport=httpx.MockTransport(handler))  # type: ignore[arg-type]
    return PortalClient("http://portal.test", http=http, tokens=tokens)


@pytest.mark.parametrize(
    ("response", "detail"),
    [
        (httpx.Response(200, html="<html>Wi-Fi login</html>"), "not JSON"),
        (httpx.Response(200, content=b'{"uuid": "x", "sta'), "not JSON"),
        (httpx.Response(200, json={"uuid": UUID, "state": "?"}), "wrong shape"),
        (httpx.Response(200, json=[1, 2, 3]), "wrong shape"),
    ],
)
def test_garbage_answers_give_a_clear_transient_error(
    response: httpx.Response, detail: str
) -> None:
    client = _client(lambda request: response)
    with pytest.raises(TransientError) as caught:
        client.dossier(UUID)
    assert caught.value.code == "portal.bad_response"
    assert detail in caught.value.params["detail"]
    assert "API v1" in caught.value.message("en")


def test_problem_4xx_keeps_the_portal_code_and_html_4xx_is_still_clear() -> None:
    problem = {
        "type": "urn:dvc-desk:problem:dossier.conflict",
        "title": "conflict",
        "status": 409,
        "code": "dossier.conflict",
    }
    client = _client(
        lambda request: httpx.Response(
            409, json=problem, headers={"content-type": "application/problem+json"}
        )
    )
    with pytest.raises(PortalRefusedError) as caught:
        client.dossier(UUID)
    assert isinstance(caught.value, UserError)
    assert (caught.value.code, caught.value.status) == ("dossier.conflict", 409)
    assert "phiên bản mới" in caught.value.message("vi")
    html = _client(lambda request: httpx.Response(404, html="<h1>Not Found</h1>"))
    with pytest.raises(PortalRefusedError) as caught:
        html.dossier(UUID)
    assert caught.value.code == "http.404"
    assert "404" in caught.value.message("en")


def test_5xx_429_and_network_errors_are_transient_with_retry_after() -> None:
    busy = _client(lambda request: httpx.Response(503, headers={"Retry-After": "7"}))
    with pytest.raises(TransientError) as caught:
        busy.health()
    assert (caught.value.code, caught.value.params["retry_after"]) == ("portal.busy", 7)
    limited = _client(
        lambda request: httpx.Response(
            429, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}
        )
    )
    with pytest.raises(TransientError) as caught:
        limited.health()
    assert caught.value.params["retry_after"] == 0

    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(TransientError) as caught:
        _client(offline).health()
    assert caught.value.code == "portal.unreachable"
    assert caught.value.exit_code == 3


def test_retry_after_parses_seconds_and_dates() -> None:
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("soon") is None


def test_expired_token_is_refreshed_once_then_login_is_required() -> None:
    seen: list[str] = []
    expired = {
        "type": "urn:dvc-desk:problem:auth.token_expired",
        "title": "expired",
        "status": 401,
        "code": "auth.token_expired",
    }

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path} {request.headers.get('authorization')}")
        if request.url.path == "/v1/auth/token":
            return httpx.Response(
                200, json={"access_token": "new", "refresh_token": "r2", "expires_in": 600}
            )
        if request.headers.get("authorization") == "Bearer new":
            return httpx.Response(200, json={"items": [], "cursor": "0", "has_more": False})
        return httpx.Response(401, json=expired)

    old = TokenResponse(access_token="old", refresh_token="r1", expires_in=600)
    client = _client(handler, tokens=old)
    assert client.changes().items == []
    assert seen == [
        "GET /v1/dossiers Bearer old",
        "POST /v1/auth/token None",
        "GET /v1/dossiers Bearer new",
    ]

    def always_expired(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/auth/token":
            return httpx.Response(401, json={**expired, "code": "auth.invalid_refresh"})
        return httpx.Response(401, json=expired)

    with pytest.raises(PortalRefusedError) as caught:
        _client(always_expired, tokens=old).changes()
    assert caught.value.code == "portal.login_required"
