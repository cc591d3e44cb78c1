"""A supplement draft in the editor (banner, "Nộp bổ sung", only a document required) and
the parent's supplement requests in "Trên cổng", over the real core (no portal needed:
the request is recorded as the status poller records it)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from ui_input import drop_files
from ui_pdfs import write_pdf

from desktop.storage import models
from desktop.storage.outbox_models import SupplementRequestRow
from desktop.workspace import Workspace
from ui.tasks import TaskManager
from ui.views.editor.dossier_editor import TAB_FILES, TAB_PORTAL, DossierEditor

CCHN = "SYT-DUOC-CCHN-XET-HO-SO"
RECEIPT = "000.00.10.H48-261125-0007"
NOTE = "Bổ sung bản sao CCCD có chứng thực"


def _requested(workspace: Workspace) -> tuple[int, int]:
    """A submitted parent with a supplement request and its draft: (parent, draft)."""
    workspace.catalog.ensure_bundled()
    parent = workspace.dossiers.create(CCHN)
    draft = workspace.dossiers.create(CCHN)
    with workspace.db.session() as session:
        row = session.get(models.Dossier, parent.id)
        assert row is not None
        row.state, row.receipt_no, row.portal_state = "SUBMITTED", RECEIPT, 5
        row.uuid = "2b5c3f0e-6d0a-4a8e-9d55-0c7f3f1f7a10"
        copy = session.get(models.Dossier, draft.id)
        assert copy is not None
        copy.supersedes_id, copy.version = parent.id, 2
        session.add(
            SupplementRequestRow(
                dossier_id=parent.id,
                request_id="r1",
                note=NOTE,
                requested_at=datetime(2026, 11, 25, 3, 0, tzinfo=UTC),
                draft_dossier_id=draft.id,
                answered_by=None,
            )
        )
    return parent.id, draft.id


@pytest.fixture
def editor(qtbot, workspace: Workspace, tasks: TaskManager) -> Iterator[DossierEditor]:
    widget = DossierEditor(
        workspace.dossiers,
        workspace.outbox,
        tasks,
        portal=workspace.dossier_portal,
        blob_path=workspace.store.path,
    )
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    yield widget
    widget.autosave.flush()
    qtbot.waitUntil(lambda: not widget.autosave.busy, timeout=5000)


def _open(qtbot, editor: DossierEditor, dossier_id: int) -> None:
    with qtbot.waitSignal(editor.sig_loaded, timeout=5000):
        editor.open_dossier(dossier_id)


def test_a_supplement_draft_says_what_the_officer_asked_and_needs_only_a_document(
    qtbot, editor: DossierEditor, workspace: Workspace, tmp_path: Path
) -> None:
    _parent, draft = _requested(workspace)
    _open(qtbot, editor, draft)
    banner = editor.supplement_banner.text()
    assert editor.supplement_banner.isVisible()
    assert banner == (
        f"Cơ quan giải quyết yêu cầu bổ sung hồ sơ số {RECEIPT}: {NOTE}. "
        "Đính kèm giấy tờ được yêu cầu rồi bấm Nộp bổ sung."
    )
    assert editor.submit_button.text() == "Nộp bổ sung"
    assert editor.tabs.currentIndex() == TAB_FILES, "opened where the documents go"
    assert not editor.applicant_form.isEnabled(), "the parent's applicant is not re-sent"
    assert editor.notes_edit.isEnabled()
    # The parent's checks (applicant, every required component) do not apply here.
    assert editor.problems_title.text() == "<b>Cần sửa: 1 lỗi</b>"
    [missing] = editor.problems_list.messages()
    assert "Chưa đính kèm giấy tờ bổ sung" in missing
    assert not editor.sign_button.isEnabled()

    with qtbot.waitSignal(editor.sig_error, timeout=5000) as refused:
        qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)
    assert "Chưa đính kèm giấy tờ bổ sung" in refused.args[0].message()
    assert workspace.dossiers.get(draft).state == "DRAFT"

    drop_files(editor, "TP2", [write_pdf(tmp_path / "cccd.pdf", pages=1)])
    qtbot.waitUntil(
        lambda: editor.problems_title.text() == "<b>Đủ để nộp bổ sung</b>", timeout=5000
    )
    assert editor.sign_button.isEnabled()
    with qtbot.waitSignal(editor.sig_submitted, timeout=10000):
        qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)
    entry = workspace.outbox.entry(draft)
    assert (entry.kind, entry.state) == ("supplement", "QUEUED")
    qtbot.waitUntil(lambda: editor.state_label.text() == "Chờ gửi", timeout=5000)
    assert editor.submit_button.text() == "Nộp bổ sung" and not editor.submit_button.isEnabled()


def test_an_ordinary_dossier_after_a_supplement_has_no_banner(
    qtbot, editor: DossierEditor, workspace: Workspace
) -> None:
    _parent, draft = _requested(workspace)
    _open(qtbot, editor, draft)
    other = workspace.dossiers.create(CCHN)
    _open(qtbot, editor, other.id)
    assert not editor.supplement_banner.isVisible()
    assert editor.submit_button.text() == "Nộp"
    assert editor.problems_title.text() == "<b>Cần sửa: 9 lỗi</b>"
    assert editor.applicant_form.isEnabled()


def test_the_parent_lists_its_requests_and_opens_the_draft(
    qtbot, editor: DossierEditor, workspace: Workspace, tmp_path: Path
) -> None:
    parent, draft = _requested(workspace)
    panel = editor.portal_panel
    with qtbot.waitSignal(panel.sig_loaded, timeout=5000):
        _open(qtbot, editor, parent)
    assert editor.tabs.currentIndex() == TAB_PORTAL
    assert panel.supplements_box.isVisible()
    assert panel.supplements.rowCount() == 1
    assert panel.supplements.item(0, 1).text() == NOTE
    assert panel.supplements.item(0, 2).text() == "Chưa trả lời"
    assert panel.open_supplement_button.isEnabled()

    with qtbot.waitSignal(editor.sig_loaded, timeout=5000) as loaded:
        qtbot.mouseClick(panel.open_supplement_button, Qt.MouseButton.LeftButton)
    assert loaded.args[0] == draft
    assert editor.supplement_banner.isVisible()

    drop_files(editor, "TP2", [write_pdf(tmp_path / "cccd.pdf", pages=1)])
    qtbot.waitUntil(
        lambda: editor.problems_title.text() == "<b>Đủ để nộp bổ sung</b>", timeout=5000
    )
    with qtbot.waitSignal(editor.sig_submitted, timeout=10000):
        qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.sig_loaded, timeout=5000):
        _open(qtbot, editor, parent)
    assert panel.supplements.item(0, 2).text() == "Đang gửi"


def test_a_dossier_without_requests_hides_the_section(
    qtbot, editor: DossierEditor, workspace: Workspace
) -> None:
    workspace.catalog.ensure_bundled()
    dossier = workspace.dossiers.create(CCHN)
    with qtbot.waitSignal(editor.portal_panel.sig_loaded, timeout=5000):
        _open(qtbot, editor, dossier.id)
    assert not editor.portal_panel.supplements_box.isVisible()
    assert editor.portal_panel.supplements.rowCount() == 0


@pytest.mark.parametrize(("kind", "payable"), [("v1", True), ("lgsp", False)])
def test_the_pay_button_shows_only_when_the_portal_adapter_takes_payments(
    qtbot, editor: DossierEditor, workspace: Workspace, kind: str, payable: bool
) -> None:
    """The capability comes from the engine's adapter (no request is sent to learn it)."""
    from desktop.storage.outbox_models import PortalFee

    parent, _draft = _requested(workspace)
    with workspace.db.session() as session:
        session.add(PortalFee(dossier_id=parent, fee_id="f1", description="Lệ phí",
                              amount=50000, paid=False))  # fmt: skip
    # Nothing listens on port 9: the engine only retries; its adapter says what it can do.
    workspace.start_sync("http://127.0.0.1:9", kind=kind)
    try:
        panel = editor.portal_panel
        with qtbot.waitSignal(panel.sig_loaded, timeout=5000):
            _open(qtbot, editor, parent)
        assert panel.fees.rowCount() == 1
        assert panel.pay_button.isVisible() is payable
        assert panel.pay_button.isEnabled() is payable
    finally:
        workspace.stop_sync()
