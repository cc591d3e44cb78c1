"""Leases and fencing tokens (issue #17 item 2), on SQLite and on PostgreSQL.

Several engines share one queue: a claimed item is nobody else's until its lease
expires; an engine that lost its lease (paused past it) writes nothing more, whatever
step it wakes up in, and the item is still delivered exactly once.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.paths import Paths
from desktop.storage.outbox_models import OutboxItem
from desktop.sync import lease
from desktop.sync.engine import Engine
from desktop.workspace import Workspace
from portal_sandbox.server import ThreadedSandbox
from tests.core.sync.factory import valid_dossier
from tests.core.sync.portal import (
    FakeClock,
    make_engine,
    portal_dossiers,
    register,
    start_sandbox,
)


@pytest.fixture
def ws(tmp_path: Path, database_url: str | None) -> Iterator[Workspace]:
    workspace = Workspace(Paths(tmp_path / "data"), database=database_url)
    yield workspace
    workspace.close()


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[ThreadedSandbox]:
    server = start_sandbox(tmp_path / "portal")
    yield server
    server.stop()


def _queue(ws: Workspace, folder: Path, count: int) -> list[int]:
    ids = [valid_dossier(ws, folder, f"l{i}").id for i in range(count)]
    for dossier_id in ids:
        ws.outbox.submit(dossier_id)
    return ids


def _engine(ws: Workspace, sandbox: ThreadedSandbox, user: str, clock: FakeClock) -> Engine:
    return make_engine(ws, sandbox.url, user, clock=clock, lease_seconds=30)


def test_a_claimed_item_is_nobody_elses_until_its_lease_expires(
    ws: Workspace, sandbox: ThreadedSandbox, tmp_path: Path
) -> None:
    user = register(sandbox.url)
    first, second = _queue(ws, tmp_path / "f", 2)
    clock = FakeClock()
    a, b = _engine(ws, sandbox, user, clock), _engine(ws, sandbox, user, clock)

    work_a = a.delivery.claim(clock(), set())
    work_b = b.delivery.claim(clock(), set())
    assert work_a is not None and work_b is not None
    assert {work_a.dossier_id, work_b.dossier_id} == {first, second}  # one each
    assert b.delivery.claim(clock(), {work_b.id}) is None  # nothing free is left

    clock.advance(31)  # A sleeps past its lease: B takes A's item over, with a new token
    taken = b.delivery.claim(clock(), set())
    assert taken is not None and taken.id == work_a.id and taken.token == work_a.token + 1

    # A wakes up: every write of the item is refused and changes nothing.
    with pytest.raises(lease.LeaseLostError):
        a.delivery._set_intent(work_a.id, "put", ("QUEUED",))
    with ws.db.session() as session:
        item = session.get(OutboxItem, work_a.id)
        assert item is not None
        assert (item.in_flight, item.attempts, item.lease_token) == (None, 0, taken.token)
        assert item.lease_owner == b.delivery.owner


def test_an_engine_that_wakes_after_a_takeover_writes_nothing_and_the_dossier_goes_once(
    ws: Workspace, sandbox: ThreadedSandbox, tmp_path: Path
) -> None:
    user = register(sandbox.url)
    (dossier_id,) = _queue(ws, tmp_path / "f", 1)
    clock = FakeClock()
    a, b = _engine(ws, sandbox, user, clock), _engine(ws, sandbox, user, clock)
    work = a.delivery.claim(clock(), set())
    assert work is not None
    a.delivery._uncounted = True
    assert a.delivery._put(work) is not None  # A sent the PUT, then froze

    clock.advance(31)
    assert b.run_once() is None  # B takes the item over and delivers it
    receipt = ws.dossiers.get(dossier_id).receipt_no
    assert receipt is not None

    # A wakes and goes on where it stopped: its receipt write is fenced off; its
    # engine-level failure handling writes nothing either.
    a._attempt(work)
    with ws.db.session() as session:
        item = session.scalars(select(OutboxItem)).one()
        assert (item.state, item.receipt_no, item.last_error_code) == ("DONE", receipt, None)
    assert len(portal_dossiers(sandbox)) == 1
    assert dict(portal_dossiers(sandbox))[ws.dossiers.get(dossier_id).uuid or ""] == receipt


def test_an_engine_renews_its_lease_with_every_write(
    ws: Workspace, sandbox: ThreadedSandbox, tmp_path: Path
) -> None:
    user = register(sandbox.url)
    _queue(ws, tmp_path / "f", 1)
    clock = FakeClock()
    a = _engine(ws, sandbox, user, clock)
    work = a.delivery.claim(clock(), set())
    assert work is not None
    clock.advance(20)
    assert a.delivery._set_intent(work.id, "put", ("QUEUED",))
    with ws.db.session() as session:
        item = session.get(OutboxItem, work.id)
        assert item is not None and item.lease_until is not None
        until = (
            item.lease_until
            if item.lease_until.tzinfo
            else item.lease_until.replace(tzinfo=clock().tzinfo)
        )
        assert until == clock() + timedelta(seconds=30)
    a.delivery.release()
    with ws.db.session() as session:
        item = session.get(OutboxItem, work.id)
        assert item is not None and (item.lease_owner, item.lease_until) == (None, None)


def test_concurrent_claims_never_hand_one_item_to_two_engines(
    ws: Workspace, sandbox: ThreadedSandbox, tmp_path: Path
) -> None:
    user = register(sandbox.url)
    ids = _queue(ws, tmp_path / "f", 12)
    clock = FakeClock()
    engines = [_engine(ws, sandbox, user, clock) for _ in range(4)]
    taken: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(len(engines))

    def grab(engine: Engine) -> None:
        start.wait()
        while (work := engine.delivery.claim(clock(), set())) is not None:
            with lock:
                taken.append(work.dossier_id)

    threads = [threading.Thread(target=grab, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(taken) == sorted(ids)  # each exactly once


def test_a_restarted_engine_frees_the_leases_of_this_pcs_dead_engines_only(
    ws: Workspace, sandbox: ThreadedSandbox, tmp_path: Path
) -> None:
    """A crashed `dvc-desk sync` must not keep its items from the next one for a whole
    lease; a live (paused) engine here and an engine of another PC keep theirs."""
    user = register(sandbox.url)
    _queue(ws, tmp_path / "f", 3)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = socket.gethostname()[:40]
    owners = [f"{host}:{dead.pid}:dead", f"{host}:{os.getpid()}:alive", f"other-pc:{dead.pid}:x"]
    clock = FakeClock()
    with ws.db.engine.begin() as conn:
        for owner in owners:
            assert lease.claim(conn, owner, clock()) is not None
    engine = _engine(ws, sandbox, user, clock)
    engine.reconcile()
    with ws.db.session() as session:
        held = set(session.scalars(select(OutboxItem.lease_owner)))
    assert held == {None, owners[1], owners[2]}
