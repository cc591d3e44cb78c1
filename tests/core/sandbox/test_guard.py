"""Web pages in the clerk's browser cannot reach the sandbox: Host allow-list (DNS
rebinding), Origin on state-changing requests, the per-run key for the officer console,
mailbox and fault switches; and the app uses only its own sandbox on its port."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from desktop.sandbox.app import create_app
from desktop.sandbox.config import SandboxConfig
from desktop.sandbox.server import ThreadedSandbox, free_port, own_sandbox, page_url

PROTECTED = [
    ("GET", "/sandbox/officer"),
    ("GET", "/sandbox/officer/00000000-0000-4000-8000-000000000000"),
    ("GET", "/sandbox/officer/00000000-0000-4000-8000-000000000000/files/x"),
    ("POST", "/sandbox/officer/00000000-0000-4000-8000-000000000000/accept"),
    ("GET", "/sandbox/mail"),
    ("GET", "/sandbox/mail.json"),
    ("GET", "/sandbox/faults"),
    ("PUT", "/sandbox/faults"),
    ("POST", "/sandbox/faults/expire-uploads"),
]


@pytest.fixture
def bare(config: SandboxConfig) -> Iterator[TestClient]:
    """A client without the key (the `api` fixture has it)."""
    app = create_app(config)
    with TestClient(app, base_url="http://127.0.0.1:8765") as client:
        yield client
    app.state.sandbox.close()


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_protected_pages_need_the_run_key(bare: TestClient, method: str, path: str) -> None:
    answer = bare.request(method, path)
    assert answer.status_code == 401
    assert answer.json()["code"] == "sandbox.key_required"


def test_the_key_opens_them_once_then_a_strict_cookie(
    bare: TestClient, config: SandboxConfig
) -> None:
    first = bare.get(f"/sandbox/officer?key={config.secret}", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/sandbox/officer"
    assert "SameSite=Strict" in first.headers["set-cookie"]
    assert "HttpOnly" in first.headers["set-cookie"]
    assert bare.get("/sandbox/officer").status_code == 200  # the cookie now
    assert bare.get("/sandbox/mail.json").status_code == 200
    wrong = TestClient(bare.app, base_url="http://127.0.0.1:8765")
    assert wrong.get("/sandbox/mail.json?key=guess", follow_redirects=False).status_code == 401


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "10.0.0.5:8765", ""])
def test_foreign_host_header_is_refused(api: TestClient, host: str) -> None:
    for path in ("/v1/health", "/sandbox/mail.json", "/v1/catalog"):
        answer = api.get(path, headers={"Host": host})
        assert answer.status_code == 421, (path, host)


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "[::1]:8765", "localhost"])
def test_loopback_hosts_are_answered(api: TestClient, host: str) -> None:
    assert api.get("/v1/health", headers={"Host": host}).status_code == 204


def test_cross_site_state_changes_are_refused(api: TestClient) -> None:
    evil = {"Origin": "http://evil.example"}
    assert api.post("/sandbox/faults/expire-uploads", headers=evil).status_code == 403
    assert api.post("/v1/accounts", json={}, headers=evil).status_code == 403
    null = api.post("/v1/auth/token", data={"grant_type": "password"}, headers={"Origin": "null"})
    assert null.status_code == 403
    same = api.post("/sandbox/faults/expire-uploads", headers={"Origin": "http://127.0.0.1:8765"})
    assert same.status_code == 200


class _Foreign(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *_args: object) -> None:
        pass


def test_the_app_uses_only_its_own_sandbox(tmp_path: Path) -> None:
    data = tmp_path / "sandbox"
    with ThreadedSandbox(SandboxConfig(data)) as mine:
        assert own_sandbox(mine.url, data)
        assert not own_sandbox(mine.url, tmp_path / "other-data-dir")
        officer = page_url(mine.url, data, "/sandbox/officer")
        assert httpx.get(officer, follow_redirects=True).status_code == 200
    port = free_port()
    server = http.server.HTTPServer(("127.0.0.1", port), _Foreign)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert not own_sandbox(f"http://127.0.0.1:{port}", data)  # answers 200 to anything
    finally:
        server.shutdown()
        server.server_close()
