"""A sandbox portal on 127.0.0.1 for sync tests, an account on it, and engines wired to it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from desktop.portal.adapter import PortalAdapter, default_http_client, make_adapter
from desktop.portal.client import PortalClient
from desktop.portal.memory import DatabaseMemory
from desktop.sync.engine import Engine
from desktop.sync.retry import RetryPolicy
from desktop.workspace import Workspace
from portal_sandbox.config import SandboxConfig
from portal_sandbox.server import ThreadedSandbox

PASSWORD = "mat-khau-123"


def start_sandbox(folder: Path, **config: Any) -> ThreadedSandbox:
    return ThreadedSandbox(SandboxConfig(folder, **config)).start()


def register(url: str, username: str = "xa-an-phu") -> str:
    with httpx.Client(timeout=10) as client:
        response = client.post(
            f"{url}/v1/accounts",
            json={
                "username": username,
                "email": f"{username}@example.vn",
                "password": PASSWORD,
                "full_name": "UBND xã An Phú",
                "phone": "0912345678",
            },
        )
        assert response.status_code == 202, response.text
        mails = client.get(f"{url}/sandbox/mail.json", headers=ThreadedSandbox.key_for(url))
        mails = mails.json()
        link = next(m["link"] for m in mails if m["username"] == username)
        assert client.get(link).status_code == 200
    return username


def make_engine(
    ws: Workspace,
    url: str,
    username: str,
    *,
    policy: RetryPolicy | None = None,
    adapter: str = "v1",
    **kw: Any,
) -> Engine:
    """An engine on the sandbox at `url` through `adapter`: API v1 ("v1") or the
    service-style face /lgsp/ ("lgsp", remembering its codes in the workspace)."""
    portal = login_client(url, username) if adapter == "v1" else lgsp_client(url, username, ws)
    return Engine(ws.db, ws.store, ws.events, portal, outbox=ws.outbox, policy=policy, **kw)


def lgsp_client(url: str, username: str, ws: Workspace, timeout: float = 10.0) -> PortalAdapter:
    """The lgsp adapter on the sandbox's /lgsp/ face (short timeouts for tests)."""
    http = default_http_client(httpx.Timeout(timeout, connect=3.0))
    base = f"{url}/lgsp"
    return make_adapter(
        "lgsp", base, http=http, password=lambda: (username, PASSWORD),
        memory=DatabaseMemory(ws.db, base),
    )  # fmt: skip


def lgsp_uuids(ws: Workspace) -> dict[str, str]:
    """Reserved code → local dossier uuid, as the lgsp adapter wrote them in `ws`."""
    from sqlalchemy import select

    from desktop.storage.portal_ref_models import PortalRef

    with ws.db.session() as session:
        rows = session.execute(
            select(PortalRef.value, PortalRef.uuid).where(PortalRef.name == "code")
        ).all()
    return {row.value: row.uuid for row in rows}


def login_client(url: str, username: str, timeout: float = 10.0) -> PortalClient:
    """The app's portal client (short timeouts for tests), logging in with the password."""
    http = default_http_client(httpx.Timeout(timeout, connect=3.0))
    return PortalClient(url, http=http, password=lambda: (username, PASSWORD))


def portal_dossiers(sandbox: ThreadedSandbox) -> list[tuple[str, str | None]]:
    """(uuid, receipt_no) of every dossier the portal holds, read from its own database."""
    conn = sqlite3.connect(sandbox.config.database)
    try:
        return [(r[0], r[1]) for r in conn.execute("SELECT uuid, receipt_no FROM dossiers")]
    finally:
        conn.close()


class FakeClock:
    """A clock tests move by hand (aware UTC)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def run_until_idle(engine: Engine, clock: FakeClock, rounds: int = 50) -> int:
    """Run passes, jumping the fake clock to each next due time; the passes it took."""
    for count in range(1, rounds + 1):
        wait = engine.run_once()
        if wait is None:
            return count
        clock.advance(wait + 0.001)
    raise AssertionError(f"the queue did not drain in {rounds} passes")


def set_faults(url: str, **faults: Any) -> None:
    with httpx.Client(timeout=10) as client:
        response = client.put(
            f"{url}/sandbox/faults", json=faults, headers=ThreadedSandbox.key_for(url)
        )
        assert response.status_code == 200, response.text


def supplement_id_of(workspace: Any, dossier_id: int) -> str | None:
    """The portal supplement id the outbox gave the draft `dossier_id` (random)."""
    from sqlalchemy import select

    from desktop.storage.outbox_models import OutboxItem

    with workspace.db.session() as session:
        found: str | None = session.scalar(
            select(OutboxItem.supplement_id)
            .where(OutboxItem.dossier_id == dossier_id)
            .order_by(OutboxItem.id.desc())
            .limit(1)
        )
        return found
