from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from desktop.errors import render
from desktop.events import DossierChanged, SyncProgress
from desktop.paths import Paths
from desktop.storage.outbox_models import OutboxItem
from desktop.sync.retry import RetryPolicy
from desktop.workspace import Workspace
from portal_sandbox.config import SandboxConfig
from portal_sandbox.server import ThreadedSandbox, free_port

from .factory import valid_dossier
from .portal import (
    FakeClock,
    lgsp_uuids,
    make_engine,
    portal_dossiers,
    register,
    run_until_idle,
    set_faults,
    start_sandbox,
)


@pytest.fixture
def workspace(data_dir: Path, database_url: str | None) -> Iterator[Workspace]:
    """Every engine test on the data dir's SQLite file and on a shared PostgreSQL one."""
    ws = Workspace(Paths(data_dir), database=database_url)
    yield ws
    ws.close()


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[ThreadedSandbox]:
    server = start_sandbox(tmp_path / "portal")
    yield server
    server.stop()


@pytest.fixture(params=["v1", "lgsp"])
def adapter(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _by_local_uuid(workspace: Workspace, sandbox: ThreadedSandbox, adapter: str) -> dict[str, str]:
    """The portal's dossiers as {our uuid: receipt}; the lgsp face keys them by code."""
    portal = portal_dossiers(sandbox)
    if adapter == "v1":
        return {u: r or "" for u, r in portal}
    codes = lgsp_uuids(workspace)
    return {codes[r]: r for _u, r in portal if r in codes}


def test_queued_dossiers_reach_the_portal_once_with_their_receipts(
    workspace: Workspace, sandbox: ThreadedSandbox, tmp_path: Path, adapter: str
) -> None:
    user = register(sandbox.url)
    ids = [valid_dossier(workspace, tmp_path / "f", f"d{i}").id for i in range(3)]
    for dossier_id in ids:
        workspace.outbox.submit(dossier_id)
    seen: list[object] = []
    workspace.events.subscribe(DossierChanged, seen.append)
    workspace.events.subscribe(SyncProgress, seen.append)
    engine = make_engine(workspace, sandbox.url, user, adapter=adapter)

    assert engine.run_once() is None

    portal = _by_local_uuid(workspace, sandbox, adapter)
    assert len(portal) == 3 == len(portal_dossiers(sandbox))
    for dossier_id in ids:
        dossier = workspace.dossiers.get(dossier_id)
        assert dossier.state == "SUBMITTED"
        assert dossier.receipt_no is not None and portal[dossier.uuid or ""] == dossier.receipt_no
        assert workspace.outbox.entry(dossier_id).state == "DONE"
    assert DossierChanged(ids[0], "SUBMITTED") in seen
    assert any(isinstance(e, SyncProgress) and e.bytes_sent == e.bytes_total for e in seen)
    # The receipt number finds its dossier (the engine's Core SQL keeps the search text).
    receipt = workspace.dossiers.get(ids[1]).receipt_no or ""
    assert [row.id for row in workspace.dossiers.list(search=receipt)] == [ids[1]]
    # A second pass creates nothing more; through API v1 it sends nothing at all (the
    # lgsp face has no change feed: its poller looks each open dossier up).
    before = getattr(engine.portal, "requests", 0)
    engine.run_once()
    assert len(portal_dossiers(sandbox)) == 3
    if adapter == "v1":
        assert getattr(engine.portal, "requests", 0) == before


LOST = {
    "v1": ("put_dossier", "patch_upload", "submit"),
    # No idempotency key: a lost create is found by the look-up before the next create.
    "lgsp": ("lgsp:GetNextValue", "lgsp:UploadFile", "lgsp:DongBoHoSoMC", "lgsp:TraCuuHoSo"),
}


def test_lost_responses_after_commit_never_duplicate_and_give_the_same_receipt(
    workspace: Workspace, sandbox: ThreadedSandbox, tmp_path: Path, adapter: str
) -> None:
    user = register(sandbox.url)
    dossier = valid_dossier(workspace, tmp_path / "f", "lost")
    workspace.outbox.submit(dossier.id)
    set_faults(sandbox.url, lose_response=dict.fromkeys(LOST[adapter], 1))
    clock = FakeClock()
    engine = make_engine(workspace, sandbox.url, user, clock=clock, adapter=adapter)

    run_until_idle(engine, clock)

    after = workspace.dossiers.get(dossier.id)
    assert after.state == "SUBMITTED"
    left = httpx.get(f"{sandbox.url}/sandbox/faults", headers=sandbox.secret_headers).json()[
        "lose_response"
    ]
    assert left == dict.fromkeys(LOST[adapter], 0), "every fault fired"
    assert _by_local_uuid(workspace, sandbox, adapter) == {after.uuid: after.receipt_no}
    assert len(portal_dossiers(sandbox)) == 1


def test_token_expiring_mid_upload_is_refreshed_and_the_upload_goes_on_from_its_offset(
    workspace: Workspace, tmp_path: Path
) -> None:
    portal_clock = FakeClock()
    sandbox = start_sandbox(tmp_path / "portal", access_token_ttl=60, clock=portal_clock)
    try:
        user = register(sandbox.url)
        dossier = valid_dossier(workspace, tmp_path / "f", "token")
        total = sum(a.size for a in dossier.attachments)
        workspace.outbox.submit(dossier.id)
        engine = make_engine(workspace, sandbox.url, user, piece=256)
        progress: list[int] = []

        def expire_once(event: SyncProgress) -> None:
            progress.append(event.bytes_sent)
            if len(progress) == 2:
                portal_clock.advance(120)  # the access token is now expired

        workspace.events.subscribe(SyncProgress, expire_once)
        engine.run_once()

        assert workspace.dossiers.get(dossier.id).state == "SUBMITTED"
        assert engine.portal.grants == 2, "one refresh"
        assert engine.portal.bytes_sent == total, "nothing was sent twice"
        assert progress == sorted(progress)
    finally:
        sandbox.stop()


def test_an_hour_offline_costs_at_most_25_attempts_and_a_wake_resumes_at_once(
    workspace: Workspace, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"  # nothing listens here yet: the link is down
    ids = [valid_dossier(workspace, tmp_path / "f", f"o{i}").id for i in range(3)]
    for dossier_id in ids:
        workspace.outbox.submit(dossier_id)
    clock = FakeClock()
    engine = make_engine(
        workspace, url, "xa-an-phu", clock=clock, policy=RetryPolicy(rng=random.Random(4))
    )
    start = clock.now
    attempts = 0
    while clock.now < start + timedelta(hours=1):
        before = engine.portal.requests  # token grants and health probes included
        wait = engine.run_once()
        attempts += engine.portal.requests - before
        assert wait is not None and wait > 0
        clock.advance(wait)
    print(f"\nan hour offline: {attempts} connection attempts")
    assert 3 <= attempts <= 25
    assert all(workspace.outbox.entry(i).state == "QUEUED" for i in ids), "nothing lost"

    sandbox = ThreadedSandbox(SandboxConfig(tmp_path / "portal"), port=port).start()
    try:
        register(url)
        engine.reachability_hint()
        began = time.monotonic()
        assert engine.run_once() is None
        assert time.monotonic() - began < 5
        assert all(workspace.dossiers.get(i).state == "SUBMITTED" for i in ids)
        assert len(portal_dossiers(sandbox)) == 3
    finally:
        sandbox.stop()


def test_a_dossier_the_portal_refuses_stops_and_becomes_a_new_draft_version(
    workspace: Workspace, tmp_path: Path
) -> None:
    sandbox = start_sandbox(tmp_path / "portal", max_file_size=100)  # every PDF is too big
    try:
        user = register(sandbox.url)
        dossier = valid_dossier(workspace, tmp_path / "f", "refused")
        workspace.outbox.submit(dossier.id)
        engine = make_engine(workspace, sandbox.url, user)
        engine.run_once()
        entry = workspace.outbox.entry(dossier.id)
        assert entry.state == "STOPPED" and entry.stop_reason == "portal_refused"
        assert workspace.dossiers.get(dossier.id).state == "SUPERSEDED"
        new_id = (entry.last_error_params or {})["new_id"]
        new = workspace.dossiers.get(new_id)
        assert new.state == "DRAFT" and new.supersedes_id == dossier.id
        assert "phiên bản nháp mới" in render(
            entry.last_error_code or "", entry.last_error_params or {}
        )
    finally:
        sandbox.stop()


def test_same_uuid_with_other_content_on_the_portal_stops_as_a_conflict(
    workspace: Workspace, sandbox: ThreadedSandbox, tmp_path: Path
) -> None:
    user = register(sandbox.url)
    dossier = valid_dossier(workspace, tmp_path / "f", "conflict")
    entry = workspace.outbox.submit(dossier.id)
    engine = make_engine(workspace, sandbox.url, user)
    with workspace.db.session() as session:
        item = session.get(OutboxItem, entry.id)
        assert item is not None
        other = {**item.body, "form": {"applicant": {"name": "Người khác"}}}
    created = engine.portal.put_dossier(entry.uuid, other)
    assert created.state == 0 and created.files
    engine.run_once()
    after = workspace.outbox.entry(dossier.id)
    assert after.state == "STOPPED" and after.stop_reason == "conflict"
    assert workspace.dossiers.get(dossier.id).state == "QUEUED", "nothing was overwritten"


def test_the_worker_thread_wakes_when_a_dossier_is_queued(
    workspace: Workspace, sandbox: ThreadedSandbox, tmp_path: Path
) -> None:
    user = register(sandbox.url)
    dossier = valid_dossier(workspace, tmp_path / "f", "thread")
    engine = make_engine(workspace, sandbox.url, user)
    submitted = threading.Event()
    workspace.events.subscribe(
        DossierChanged, lambda e: submitted.set() if e.state == "SUBMITTED" else None
    )
    engine.start()
    try:
        workspace.outbox.submit(dossier.id)
        assert submitted.wait(timeout=20), "delivered without waiting for the timer"
    finally:
        engine.stop()
    assert workspace.dossiers.get(dossier.id).receipt_no is not None
