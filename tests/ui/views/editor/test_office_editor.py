"""The editor in a shared office (issue #17): the dossier's audit trail in its "Nhật ký"
tab, actions beyond the account's role not offered, and an edit made meanwhile at
another desk refused with that person's name instead of overwritten."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ui_input import type_text

from desktop.office.users import ENV_PASSWORD, ENV_USER, os_user
from desktop.paths import Paths
from desktop.workspace import Workspace
from ui.tasks import TaskManager
from ui.views.editor.dossier_editor import DossierEditor

CCHN = "SYT-DUOC-CCHN-XET-HO-SO"


@pytest.fixture
def office_dir(data_dir: Path) -> Path:
    ws = Workspace(Paths(data_dir))
    ws.office.directory.add(os_user(), "Quản trị", "admin", None)
    ws.office.directory.add("lan", "Chị Lan", "clerk", "pw")
    ws.office.directory.add("nam", "Anh Nam", "clerk", "pw")
    ws.catalog.ensure_bundled()
    ws.close()
    return data_dir


@pytest.fixture
def nam(office_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    monkeypatch.setenv(ENV_USER, "nam")
    monkeypatch.setenv(ENV_PASSWORD, "pw")
    ws = Workspace(Paths(office_dir))
    yield ws
    ws.close()


def test_a_clerk_sees_the_trail_cannot_sign_or_submit_and_gets_a_named_conflict(
    qtbot, nam: Workspace, office_dir: Path, tasks: TaskManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    dossier = nam.dossiers.create(CCHN)
    editor = DossierEditor(nam.dossiers, nam.outbox, tasks, office=nam.office)
    qtbot.addWidget(editor)
    editor.show()
    with qtbot.waitSignal(editor.sig_loaded, timeout=5000):
        editor.open_dossier(dossier.id)

    assert editor.audit_panel is not None
    qtbot.waitUntil(lambda: editor.audit_panel.tree.topLevelItemCount() == 1, timeout=5000)
    assert "Anh Nam (nam, clerk)" in editor.audit_panel.tree.topLevelItem(0).text(1)
    assert not editor.sign_button.isEnabled()
    assert not editor.submit_button.isEnabled()

    monkeypatch.setenv(ENV_USER, "lan")  # Chị Lan edits the same dossier at her desk
    lan = Workspace(Paths(office_dir))
    lan.dossiers.set_fields(dossier.id, {"applicant.name": "Trần Thị Bình"})
    lan.close()

    failures: list[BaseException] = []
    editor.autosave.sig_failed.connect(failures.append)
    type_text(qtbot, editor.applicant_form.edits["name"], "Lê Văn C")
    editor.autosave.flush()
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert str(failures[0]).startswith("Chị Lan đang sửa hồ sơ này")
    assert nam.dossiers.get(dossier.id).applicant.name == "Trần Thị Bình"
