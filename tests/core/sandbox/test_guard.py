"""Web pages in the clerk's browser cannot reach the sandbox: Host allow-list (DNS
rebinding), Origin on state-changing requests, the per-run key for the officer console,
mailbox, fault switches, CA page and test phone; and the app uses only its own sandbox
on its port."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from desktop.commands.portal_sandbox import own_sandbox, page_url
from portal_sandbox.app import create_app
from portal_sandbox.config import SandboxConfig
from portal_sandbox.server import ThreadedSandbox, free_port

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
    ("GET", "/sandbox/pki"),
    ("POST", "/sandbox/pki/certificates"),
    ("POST", "/sandbox/pki/certificates/1f/revoke"),
    ("GET", "/sandbox/phone"),
    ("POST", f"/sandbox/phone/{'0' * 32}/approve"),
    ("POST", f"/sandbox/phone/{'0' * 32}/refuse"),
    ("GET", "/sandbox/trust/faults"),
    ("PUT", "/sandbox/trust/faults"),
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


def test_the_ca_page_phone_and_trust_switches_work_with_the_key(api: TestClient) -> None:
    issued = api.post("/sandbox/pki/certificates", json={"common_name": "NGUYỄN VĂN A"})
    assert issued.status_code == 200
    serial = issued.headers["x-serial"]
    assert serial in api.get("/sandbox/pki").text
    assert api.post(f"/sandbox/pki/certificates/{serial}/revoke").status_code == 204
    assert api.get("/sandbox/phone").status_code == 200
    switched = api.put("/sandbox/trust/faults", json={"approval": "manual"})
    assert switched.status_code == 200 and switched.json()["approval"] == "manual"
    unknown = api.post(f"/sandbox/phone/{'0' * 32}/approve", data={"html": ""})
    assert unknown.status_code == 404  # the route itself answered


def test_a_page_on_another_site_cannot_approve_or_revoke(api: TestClient) -> None:
    """Even with the key's cookie in the browser, another site's form is refused."""
    evil = {"Origin": "http://evil.example"}
    serial = api.post("/sandbox/pki/certificates", json={"common_name": "A"}).headers["x-serial"]
    for path in (
        f"/sandbox/pki/certificates/{serial}/revoke",
        "/sandbox/pki/certificates",
        f"/sandbox/phone/{'0' * 32}/approve",
    ):
        assert api.post(path, headers=evil).status_code == 403, path
    assert api.put("/sandbox/trust/faults", json={}, headers=evil).status_code == 403
    assert "Thu hồi" in api.get("/sandbox/pki").text  # still not revoked


def test_machine_to_machine_endpoints_stay_open(bare: TestClient) -> None:
    assert bare.get("/pki/ca.pem").status_code == 200
    assert bare.get("/pki/crl").status_code == 200
    for path in ("/pki/ocsp", "/pki/tsa", "/smartca/v1/credentials/get_certificate",
                 "/csc/v2/info"):  # fmt: skip
        answer = bare.post(path, content=b"x")
        assert answer.status_code != 401 or answer.json().get("code") != "sandbox.key_required"


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
