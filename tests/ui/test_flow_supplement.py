"""A supplement request answered through the window, offscreen, against the sandbox on
loopback: submit, sync, the officer asks for a supplement, sync, the draft appears in
the dossier's "Trên cổng" tab; open it, read the banner, attach a PDF, "Nộp bổ sung",
sync, and the sandbox has the supplement answered. Every wait has a deadline."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
from PySide6.QtCore import Qt
from test_flow import (  # the same window, sandbox and keyring as the main flow
    _create_and_fill,
    _register_and_log_in,
    app_window,
    sandbox,
)
from ui_input import drop_files
from ui_pdfs import write_pdf

from desktop.workspace import Workspace
from portal_sandbox.server import ThreadedSandbox
from tests.core.sync.portal import supplement_id_of
from ui.sync_runner import SyncRunner
from ui.views.editor.dossier_editor import TAB_PORTAL
from ui.views.main_window import MainWindow

__all__ = ["app_window", "sandbox"]

NOTE = "Bổ sung bản sao CCCD có chứng thực"


def _answered_on_portal(sandbox: ThreadedSandbox, uuid: str) -> list[tuple[str, str | None]]:
    """(note, answered_by) of the portal's supplement requests, from its own database."""
    conn = sqlite3.connect(sandbox.config.database)
    try:
        rows = conn.execute(
            "SELECT note, answered_by FROM supplement_requests WHERE dossier_uuid = ?", (uuid,)
        )
        return [(str(r[0]), r[1]) for r in rows]
    finally:
        conn.close()


def test_a_supplement_request_is_answered_from_the_editor(
    qtbot, app_window: tuple[MainWindow, SyncRunner], workspace: Workspace,
    sandbox: ThreadedSandbox, tmp_path: Path,
) -> None:  # fmt: skip
    window, sync = app_window
    editor, panel = window.editor, window.editor.portal_panel
    _register_and_log_in(qtbot, window, sync, sandbox)
    parent_id = _create_and_fill(qtbot, window, tmp_path)
    with qtbot.waitSignal(editor.sig_submitted, timeout=10000):
        qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: workspace.dossiers.get(parent_id).receipt_no is not None, timeout=30000)
    receipt = str(workspace.dossiers.get(parent_id).receipt_no)
    uuid = workspace.outbox.entry(parent_id).uuid

    response = httpx.post(
        f"{sandbox.url}/sandbox/officer/{uuid}/supplement",
        headers=sandbox.secret_headers,
        data={"note": NOTE},
        timeout=10,
    )
    assert response.status_code in (200, 303), response.text
    qtbot.mouseClick(window.sync_status.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.supplements.rowCount() == 1, timeout=30000)
    assert editor.tabs.currentIndex() == TAB_PORTAL
    assert panel.supplements_box.isVisible()
    assert panel.supplements.item(0, 1).text() == NOTE
    assert panel.supplements.item(0, 2).text() == "Chưa trả lời"
    # The portal tab and the state line are loaded by two tasks: wait for both.
    qtbot.waitUntil(lambda: editor.state_label.text() == "Yêu cầu bổ sung giấy tờ", timeout=10000)

    with qtbot.waitSignal(editor.sig_loaded, timeout=10000) as opened:
        qtbot.mouseClick(panel.open_supplement_button, Qt.MouseButton.LeftButton)
    draft_id = int(opened.args[0])
    assert draft_id != parent_id
    assert editor.supplement_banner.isVisible()
    assert editor.supplement_banner.text() == (
        f"Cơ quan giải quyết yêu cầu bổ sung hồ sơ số {receipt}: {NOTE}. "
        "Đính kèm giấy tờ được yêu cầu rồi bấm Nộp bổ sung."
    )
    assert editor.submit_button.text() == "Nộp bổ sung"

    drop_files(editor, "TP2", [write_pdf(tmp_path / "ban-sao-cccd.pdf", pages=1)])
    qtbot.waitUntil(
        lambda: editor.problems_title.text() == "<b>Đủ để nộp bổ sung</b>", timeout=10000
    )
    with qtbot.waitSignal(editor.sig_submitted, timeout=10000):
        qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)
    assert workspace.outbox.entry(draft_id).kind == "supplement"
    qtbot.mouseClick(window.sync_status.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: workspace.dossiers.get(draft_id).state == "SUBMITTED", timeout=30000)
    qtbot.waitUntil(lambda: editor.state_label.text() == "Đã nộp", timeout=10000)

    # The portal has the documents as the answer to its request.
    sid = supplement_id_of(workspace, draft_id)
    assert _answered_on_portal(sandbox, uuid) == [(NOTE, sid)]
    officer_page = httpx.get(
        f"{sandbox.url}/sandbox/officer/{uuid}", headers=sandbox.secret_headers, timeout=10
    ).text
    assert "ban-sao-cccd.pdf" in officer_page and f"bổ sung {sid}" in officer_page

    # Back on the dossier, the request reads as answered once the portal's status is in.
    qtbot.mouseClick(window.sync_status.send_button, Qt.MouseButton.LeftButton)
    window.open_dossier(parent_id)  # what a double-click in the list does

    def answered_in_panel() -> bool:
        item = panel.supplements.item(0, 2)
        return panel.dossier_id == parent_id and item is not None and item.text() == "Đã gửi"

    qtbot.waitUntil(answered_in_panel, timeout=10000)
    assert not editor.supplement_banner.isVisible() and editor.submit_button.text() == "Nộp"
