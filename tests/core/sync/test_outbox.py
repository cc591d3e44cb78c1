from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.errors import UserError
from desktop.events import DossierChanged
from desktop.storage.outbox_models import OutboxFile, OutboxItem
from desktop.sync.events import OutboxChanged
from desktop.sync.outbox import Outbox
from desktop.workspace import Workspace

from .factory import valid_dossier


@pytest.fixture
def outbox(workspace: Workspace) -> Outbox:
    return Outbox(workspace.db, workspace.dossiers, workspace.store, workspace.events)


def test_submit_freezes_queues_and_records_every_file(
    workspace: Workspace, outbox: Outbox, tmp_path: Path
) -> None:
    dossier = valid_dossier(workspace, tmp_path, "a")
    seen: list[object] = []
    workspace.events.subscribe(DossierChanged, seen.append)
    workspace.events.subscribe(OutboxChanged, seen.append)
    woken: list[bool] = []
    outbox.set_wake(lambda: woken.append(True))

    entry = outbox.submit(dossier.id)

    after = workspace.dossiers.get(dossier.id)
    assert after.state == "QUEUED" and after.uuid == entry.uuid
    assert entry.state == "QUEUED" and entry.bytes_total == sum(a.size for a in after.attachments)
    with workspace.db.session() as session:
        item = session.get(OutboxItem, entry.id)
        assert item is not None and len(item.submission_key) == 48
        files = session.scalars(select(OutboxFile).where(OutboxFile.item_id == entry.id)).all()
        assert sorted(f.sha256 for f in files) == sorted(a.sha256 for a in after.attachments)
        assert [f["sha256"] for f in item.body["files"]] == [f.sha256 for f in files]
    assert DossierChanged(dossier.id, "QUEUED") in seen
    assert any(isinstance(e, OutboxChanged) and e.state == "QUEUED" for e in seen)
    assert woken == [True]
    with pytest.raises(UserError) as info:
        workspace.dossiers.set_fields(dossier.id, {"applicant.name": "Khác"})
    assert info.value.code == "dossier.frozen"
    with pytest.raises(UserError) as again:
        outbox.submit(dossier.id)
    assert again.value.code == "sync.not_submittable"


def test_invalid_dossier_is_refused_with_its_problems_and_stays_editable(
    workspace: Workspace, outbox: Outbox, tmp_path: Path
) -> None:
    dossier = valid_dossier(workspace, tmp_path, "b")
    workspace.dossiers.set_fields(dossier.id, {"applicant.phone": ""})
    with pytest.raises(UserError) as info:
        outbox.submit(dossier.id)
    assert info.value.code == "sync.invalid_dossier"
    assert "điện thoại" in info.value.message().lower()
    assert workspace.dossiers.get(dossier.id).state == "DRAFT"
    assert outbox.entries() == []


def test_withdraw_makes_a_new_draft_version_that_supersedes_the_queued_one(
    workspace: Workspace, outbox: Outbox, tmp_path: Path
) -> None:
    dossier = valid_dossier(workspace, tmp_path, "c")
    first = outbox.submit(dossier.id)
    new = outbox.withdraw(dossier.id)
    assert new.state == "DRAFT" and new.version == 2 and new.supersedes_id == dossier.id
    assert [a.sha256 for a in new.attachments] == [
        a.sha256 for a in workspace.dossiers.get(dossier.id).attachments
    ]
    assert workspace.dossiers.get(dossier.id).state == "SUPERSEDED"
    assert outbox.entry(dossier.id).state == "WITHDRAWN"
    workspace.dossiers.set_fields(new.id, {"applicant.name": "Trần Thị Bình"})
    second = outbox.submit(new.id)
    assert second.uuid != first.uuid


def test_withdraw_is_refused_once_the_submission_may_have_reached_the_portal(
    workspace: Workspace, outbox: Outbox, tmp_path: Path
) -> None:
    dossier = valid_dossier(workspace, tmp_path, "d")
    entry = outbox.submit(dossier.id)
    with workspace.db.session() as session:
        item = session.get(OutboxItem, entry.id)
        assert item is not None
        item.state, item.in_flight = "SUBMITTING", "submit"
    with pytest.raises(UserError) as info:
        outbox.withdraw(dossier.id)
    assert info.value.code == "sync.too_late_to_withdraw"
    assert workspace.dossiers.get(dossier.id).state == "QUEUED"
