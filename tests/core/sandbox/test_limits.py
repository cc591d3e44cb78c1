"""Every JSON body is bounded: 1 MiB (413) and 64 levels (422), read no further than
the limit; a 256-level `form` is a 422 problem, not a 500."""

from __future__ import annotations

import socket
import time
from pathlib import Path

from fastapi.testclient import TestClient

from portal_sandbox.config import SandboxConfig
from portal_sandbox.limits import MAX_BODY, json_depth
from portal_sandbox.server import ThreadedSandbox

from .helpers import account, manifest, new_uuid


def _nested(levels: int) -> object:
    value: object = "x"
    for _ in range(levels):
        value = {"a": value}
    return value


def test_deep_form_is_422_not_500(api: TestClient) -> None:
    auth = account(api, "xa-sau")
    body = manifest({"don": b"%PDF-1.4 x"})
    body["form"] = _nested(256)
    answer = api.put(f"/v1/dossiers/{new_uuid()}", json=body, headers=auth)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == "request.too_deep"
    body["form"] = _nested(20)  # ordinary nesting still works
    assert api.put(f"/v1/dossiers/{new_uuid()}", json=body, headers=auth).status_code == 201


def test_large_body_is_413(api: TestClient) -> None:
    big = {"username": "x" * (MAX_BODY + 10)}
    answer = api.post("/v1/accounts", json=big)
    assert answer.status_code == 413
    assert answer.json()["code"] == "request.too_large"


def test_strings_do_not_count_as_nesting() -> None:
    assert json_depth(b'{"a": "[[[[{{{{"}') == 1
    assert json_depth(b'[[["\\"]"]]]') == 3


def test_a_huge_body_is_refused_without_being_read(tmp_path: Path) -> None:
    with (
        ThreadedSandbox(SandboxConfig(tmp_path / "s")) as server,
        socket.create_connection(("127.0.0.1", server.port), timeout=10) as conn,
    ):
        conn.sendall(
            b"POST /v1/accounts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
            b"\r\nContent-Length: 104857600\r\n\r\n{"
        )
        started = time.monotonic()
        answer = conn.recv(4096)
        assert answer.startswith(b"HTTP/1.1 413"), answer[:100]
        assert time.monotonic() - started < 5  # answered at once, 100 MiB never read
