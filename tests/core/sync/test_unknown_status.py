"""A portal status code the active profile does not map reaches the dossier as it is
(never dropped), is logged once and is listed by `dvc-desk doctor`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desktop.portal import unknown_status
from desktop.storage.outbox_models import PortalStatus
from desktop.sync.status import StatusPoller
from desktop.workspace import Workspace
from portal_sandbox.server import ThreadedSandbox

from .factory import valid_dossier
from .portal import make_engine, register, start_sandbox


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[ThreadedSandbox]:
    server = start_sandbox(tmp_path / "portal")
    yield server
    server.stop()


def test_unknown_code_is_kept_shown_and_listed_by_doctor(
    workspace: Workspace, sandbox: ThreadedSandbox, tmp_path: Path, run_cli, data_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    unknown_status._forget_seen()
    user = register(sandbox.url)
    dossier = valid_dossier(workspace, tmp_path / "f", "after")
    workspace.outbox.submit(dossier.id)
    engine = make_engine(workspace, sandbox.url, user)
    engine.run_once()
    uuid = workspace.dossiers.get(dossier.id).uuid
    assert uuid is not None
    answer = httpx.post(
        f"{sandbox.url}/sandbox/officer/{uuid}/accept", headers=sandbox.secret_headers
    )
    assert answer.status_code in (200, 303)
    poller = StatusPoller(
        workspace.db, workspace.store, workspace.paths, workspace.events, engine.portal
    )
    status = engine.portal.dossier(uuid)
    odd = status.model_copy(update={"state": 11, "state_name": "Chờ lãnh đạo ký duyệt"})
    assert poller.apply(odd) == 1
    assert workspace.dossiers.get(dossier.id).portal_state == 11  # kept, not dropped
    with workspace.db.session() as session:
        row = session.get(PortalStatus, dossier.id)
        assert row is not None and row.state_name == "Chờ lãnh đạo ký duyệt"
    assert poller.apply(status) == 1  # the known code after it is taken as usual
    assert workspace.dossiers.get(dossier.id).portal_state == 2

    doctor = run_cli("doctor", "--json")
    listed = json.loads(doctor.out)["portal_unknown_status"]
    assert [(e["profile"], e["code"]) for e in listed] == [("sandbox", "11")]
    text = run_cli("doctor")
    assert "11 «Chờ lãnh đạo ký duyệt»" in text.out
    engine.portal.close()
