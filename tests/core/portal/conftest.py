"""Portal client fixtures: a sandbox app (fake clock) reached through TestClient."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from desktop.portal.client import PortalClient
from desktop.portal.contract import AccountRegistration
from portal_sandbox.app import create_app
from portal_sandbox.config import SandboxConfig


@dataclass
class FakeClock:
    now: datetime = field(default_factory=lambda: datetime(2026, 11, 25, 3, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sandbox_http(tmp_path: Path, clock: FakeClock) -> Iterator[TestClient]:
    config = SandboxConfig(tmp_path / "sandbox", clock=clock, access_token_ttl=600)
    app = create_app(config)
    with TestClient(app, base_url="http://127.0.0.1:8765") as http:
        http.headers.update(config.secret_headers)  # the tests read the mailbox too
        yield http
    app.state.sandbox.close()


def registration(username: str) -> AccountRegistration:
    return AccountRegistration(
        username=username,
        email=f"{username}@example.vn",
        password="mat-khau-123",
        full_name="Lê Văn C",
        phone="0987654321",
    )


def activate_by_mail(http: object, username: str) -> None:
    """Follow the confirmation link of `username` in the sandbox mailbox."""
    mails = http.get("/sandbox/mail.json").json()  # type: ignore[attr-defined]
    link = next(m["link"] for m in mails if m["username"] == username)
    assert http.get(link).status_code == 200  # type: ignore[attr-defined]


@pytest.fixture
def portal(sandbox_http: TestClient) -> PortalClient:
    """A logged-in client of a fresh sandbox account."""
    client = PortalClient("http://127.0.0.1:8765", http=sandbox_http)
    client.register(registration("xa-hoa-binh"))
    activate_by_mail(sandbox_http, "xa-hoa-binh")
    client.login("xa-hoa-binh", "mat-khau-123")
    return client
