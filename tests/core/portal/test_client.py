"""The client against misbehaving portals (httpx.MockTransport)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from desktop.errors import TransientError, UserError
from desktop.portal.client import PortalClient, retry_after_seconds
from desktop.portal.contract import TokenResponse
from desktop.portal.errors import (
    ChecksumMismatchError,
    OffsetMismatchError,
    PortalRefusedError,
    PortalUnreachableError,
    UploadGoneError,
)

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
    now = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    assert retry_after_seconds("Wed, 25 Nov 2026 08:01:00 GMT", now) == 60
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


def test_patch_upload_reports_each_answer_as_what_the_uploader_must_do() -> None:
    answers = iter(
        [
            httpx.Response(204, headers={"Upload-Offset": "300"}),
            httpx.Response(
                409,
                json={"code": "upload.offset_mismatch", "title": "offset", "status": 409},
                headers={"Upload-Offset": "120"},
            ),
            httpx.Response(410, json={"code": "upload.expired", "title": "gone", "status": 410}),
            httpx.Response(
                422, json={"code": "upload.checksum_mismatch", "title": "sha", "status": 422}
            ),
        ]
    )
    sent: list[tuple[str | None, bytes]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append((request.headers.get("upload-offset"), request.content))
        return next(answers)

    client = _client(handler)
    assert client.patch_upload("/v1/uploads/u1", 200, b"x" * 100) == 300
    with pytest.raises(OffsetMismatchError) as mismatch:
        client.patch_upload("/v1/uploads/u1", 300, b"y" * 100)
    assert mismatch.value.offset == 120
    with pytest.raises(UploadGoneError) as gone:
        client.patch_upload("/v1/uploads/u1", 120, b"z")
    assert gone.value.code == "upload.expired"
    with pytest.raises(ChecksumMismatchError):
        client.patch_upload("/v1/uploads/u1", 121, b"w")
    assert sent[0] == ("200", b"x" * 100)
    assert client.bytes_sent == 202 and client.requests == 4

    def cut(request: httpx.Request) -> httpx.Response:
        raise httpx.RemoteProtocolError("peer closed connection", request=request)

    with pytest.raises(PortalUnreachableError):
        _client(cut).patch_upload("/v1/uploads/u1", 0, b"abc")


def test_a_refused_refresh_token_falls_back_to_the_stored_password() -> None:
    grants: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/auth/token":
            form = dict(httpx.QueryParams(request.content.decode()))
            grants.append(form["grant_type"])
            if form["grant_type"] == "refresh_token":
                return httpx.Response(
                    401, json={"code": "auth.invalid_refresh", "title": "spent", "status": 401}
                )
            assert (form["username"], form["password"]) == ("xa-an-phu", "mat-khau")
            return httpx.Response(
                200, json={"access_token": "new", "refresh_token": "r2", "expires_in": 600}
            )
        assert request.headers["authorization"] == "Bearer new"
        return httpx.Response(200, json={"items": [], "cursor": "0", "has_more": False})

    kept: list[TokenResponse] = []
    http = httpx.Client(transport=httpx.MockTransport(handler))
    stored = TokenResponse(access_token="old", refresh_token="r1", expires_in=600)
    client = PortalClient(
        "http://portal.test",
        http=http,
        tokens=stored,
        fresh_for=0,  # kept from an earlier run: refreshed before the first request
        password=lambda: ("xa-an-phu", "mat-khau"),
        on_tokens=kept.append,
    )
    assert client.changes().items == []
    assert grants == ["refresh_token", "password"]
    assert [t.refresh_token for t in kept] == ["r2"] and client.grants == 1


def test_offline_while_refreshing_is_transient_not_a_lost_login() -> None:
    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route", request=request)

    http = httpx.Client(transport=httpx.MockTransport(offline))
    client = PortalClient("http://portal.test", http=http, password=lambda: ("a", "b"))
    with pytest.raises(PortalUnreachableError) as caught:
        client.changes()
    assert not isinstance(caught.value, PortalRefusedError)
    assert not client.reachable(timeout=0.5)
