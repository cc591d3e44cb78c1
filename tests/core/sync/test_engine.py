from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.events import DossierChanged, SyncProgress
from desktop.sandbox.server import ThreadedSandbox
from desktop.workspace import Workspace

from .factory import valid_dossier
from .portal import make_engine, portal_dossiers, register, start_sandbox


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[ThreadedSandbox]:
    server = start_sandbox(tmp_path / "portal")
    yield server
    server.stop()


def test_queued_dossiers_reach_the_portal_once_with_their_receipts(
    workspace: Workspace, sandbox: ThreadedSandbox, tmp_path: Path
) -> None:
    user = register(sandbox.url)
    ids = [valid_dossier(workspace, tmp_path / "f", f"d{i}").id for i in range(3)]
    for dossier_id in ids:
        workspace.outbox.submit(dossier_id)
    seen: list[object] = []
    workspace.events.subscribe(DossierChanged, seen.append)
    workspace.events.subscribe(SyncProgress, seen.append)
    engine = make_engine(workspace, sandbox.url, user)

    assert engine.run_once() is None

    portal = dict(portal_dossiers(sandbox))
    assert len(portal) == 3
    for dossier_id in ids:
        dossier = workspace.dossiers.get(dossier_id)
        assert dossier.state == "SUBMITTED"
        assert dossier.receipt_no is not None and portal[dossier.uuid or ""] == dossier.receipt_no
        assert workspace.outbox.entry(dossier_id).state == "DONE"
    assert DossierChanged(ids[0], "SUBMITTED") in seen
    assert any(isinstance(e, SyncProgress) and e.bytes_sent == e.bytes_total for e in seen)
    # A second pass sends nothing more.
    before = engine.wire.requests
    engine.run_once()
    assert engine.wire.requests == before
    assert len(portal_dossiers(sandbox)) == 3
