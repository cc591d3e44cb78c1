"""Exactly once under SIGKILL: named crash points and random kills of the sync process."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desktop.sync.crash import EXIT_CODE, POINTS, SUPPLEMENT_POINTS
from desktop.sync.supplements import supplement_requests
from desktop.workspace import Workspace
from portal_sandbox.server import ThreadedSandbox
from tests.core.sync.factory import pdf, valid_dossier
from tests.core.sync.portal import portal_dossiers, register, start_sandbox, supplement_id_of

from .kill_helpers import run_sync

# A dossier passes every point but the supplement's own (tested below on a supplement).
DOSSIER_POINTS = [p for p in POINTS if p not in SUPPLEMENT_POINTS]


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[ThreadedSandbox]:
    server = start_sandbox(tmp_path / "portal")
    yield server
    server.stop()


def _queue(workspace: Workspace, folder: Path, count: int) -> list[int]:
    ids = [valid_dossier(workspace, folder, f"k{i}").id for i in range(count)]
    for dossier_id in ids:
        workspace.outbox.submit(dossier_id)
    return ids


@pytest.fixture(params=["v1", "lgsp"])
def adapter(request: pytest.FixtureRequest) -> str:
    """Each proof runs through both portal adapters: API v1 (idempotency keys) and the
    service-style platform (no key: reserved codes and look-up before create)."""
    return str(request.param)


def _assert_exactly_once(
    workspace: Workspace, sandbox: ThreadedSandbox, ids: list[int], adapter: str = "v1"
) -> None:
    portal = dict(portal_dossiers(sandbox))
    assert len(portal) == len(ids), "one portal dossier per queued dossier, none extra"
    receipts = [workspace.dossiers.get(i).receipt_no for i in ids]
    assert len(set(receipts)) == len(ids)
    if adapter == "lgsp":
        # The platform keys dossiers by their code (our receipt), not by our uuid.
        assert set(portal.values()) == set(receipts)
    for dossier_id in ids:
        dossier = workspace.dossiers.get(dossier_id)
        assert dossier.state == "SUBMITTED", dossier_id
        if adapter == "v1":
            assert portal[dossier.uuid or ""] == dossier.receipt_no


def _kill_campaign(
    workspace: Workspace,
    sandbox: ThreadedSandbox,
    ids: list[int],
    kills: int,
    seed: int,
    adapter: str = "v1",
) -> tuple[int, int]:
    rng = random.Random(seed)
    user = register(sandbox.url)
    data = workspace.paths.root
    crashed = 0
    for point in DOSSIER_POINTS:
        code = run_sync(
            data, sandbox.url, user, crash_at=f"{point}:{rng.randrange(4)}", adapter=adapter
        )
        crashed += code == EXIT_CODE
        assert code in (0, 3, EXIT_CODE)
    killed = 0
    for _ in range(kills):
        # Kill moments stay within the time the queue takes to drain (the engine spends
        # ~20 ms per small dossier): a later kill would hit a sync with nothing left to do.
        code = run_sync(data, sandbox.url, user, kill_after=rng.uniform(0.3, 2.0), adapter=adapter)
        killed += code == -9
    for _ in range(5):
        if run_sync(data, sandbox.url, user, adapter=adapter) == 0:
            break
    return crashed, killed


def test_each_crash_point_and_random_kills_lose_nothing_and_duplicate_nothing(
    workspace: Workspace, sandbox: ThreadedSandbox, tmp_path: Path, adapter: str
) -> None:
    ids = _queue(workspace, tmp_path / "files", 12)
    crashed, _killed = _kill_campaign(workspace, sandbox, ids, kills=8, seed=5, adapter=adapter)
    assert crashed >= len(DOSSIER_POINTS) - 1, "the crash points were reached"
    _assert_exactly_once(workspace, sandbox, ids, adapter)


@pytest.mark.slow
def test_200_dossiers_survive_50_random_kills(
    workspace: Workspace, sandbox: ThreadedSandbox, tmp_path: Path, adapter: str
) -> None:
    ids = _queue(workspace, tmp_path / "files", 200)
    _crashed, killed = _kill_campaign(workspace, sandbox, ids, kills=50, seed=11, adapter=adapter)
    assert killed >= 25, "most kills hit a running sync"
    _assert_exactly_once(workspace, sandbox, ids, adapter)


def test_a_supplement_killed_at_each_of_its_crash_points_answers_the_request_once(
    workspace: Workspace, sandbox: ThreadedSandbox, tmp_path: Path
) -> None:
    """The last piece of a supplement, under its FINISH intent: killed before it is sent
    (supplement.intent) and right after it reached the portal (patch.sent, intent still
    standing); each restart reconciles with a GET and the request is answered once."""
    [parent_id] = _queue(workspace, tmp_path / "files", 1)
    user = register(sandbox.url)
    data = workspace.paths.root
    assert run_sync(data, sandbox.url, user) == 0
    [(uuid, receipt)] = portal_dossiers(sandbox)
    officer = httpx.post(f"{sandbox.url}/sandbox/officer/{uuid}/supplement",
                         headers=sandbox.secret_headers,
                         data={"note": "Bổ sung giấy khám"}, timeout=10)  # fmt: skip
    assert officer.status_code in (200, 303)
    assert run_sync(data, sandbox.url, user) == 0  # the poll opens the supplement draft
    [request] = supplement_requests(workspace.db, parent_id)
    assert request.draft_id is not None
    draft_id = request.draft_id
    extra = tmp_path / "giay-kham.pdf"
    extra.write_bytes(pdf("giấy khám sức khỏe"))
    workspace.dossiers.attach(draft_id, "TP2", [extra])
    workspace.outbox.submit(draft_id)

    for point in (*SUPPLEMENT_POINTS, "patch.sent"):
        assert run_sync(data, sandbox.url, user, crash_at=point) == EXIT_CODE, point
        assert workspace.outbox.entry(draft_id).in_flight == "finish", point
    assert run_sync(data, sandbox.url, user) == 0

    assert portal_dossiers(sandbox) == [(uuid, receipt)]
    with sqlite3.connect(sandbox.config.database) as conn:
        supplements = conn.execute("SELECT id, state FROM supplements").fetchall()
        answers = conn.execute("SELECT answered_by FROM supplement_requests").fetchall()
    sid = supplement_id_of(workspace, draft_id)
    assert sid is not None and sid.startswith("s") and sid != f"s{draft_id}"  # random
    assert supplements == [(sid, "received")]
    assert answers == [(sid,)]
    assert workspace.outbox.entry(draft_id).state == "DONE"
    assert workspace.dossiers.get(draft_id).state == "SUBMITTED"
