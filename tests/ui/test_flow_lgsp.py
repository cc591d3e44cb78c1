"""The window's flow through the service-style adapter, offscreen, against the sandbox's
/lgsp/ face on loopback: choose the «sandbox-lgsp» profile in Cài đặt, log in there
(a session portal: the password goes to the credential store and the adapter logs in
with it), create, fill, sign and submit a dossier; it is created exactly once; the
officer accepts it, asks for a supplement that is answered from the editor, and
finishes it; status, the request and the signed result come back through the same
face. The fees box offers no payment: the adapter has none. Every step is a UI action
but the officer's, who works through the sandbox's console as in test_flow.py."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
from PySide6.QtCore import Qt
from test_flow import _create_and_fill, _sign, app_window, sandbox
from ui_input import drop_files
from ui_pdfs import write_pdf

from desktop.portal.credentials import CredentialStore
from desktop.settings import PORTAL_PROFILE, PORTAL_URL
from desktop.workspace import Workspace
from portal_sandbox.lgsp_services import dossier_uuid
from portal_sandbox.server import ThreadedSandbox
from tests.core.sync.portal import PASSWORD, portal_dossiers, register, supplement_id_of
from ui.sync_runner import SyncRunner
from ui.views.editor.dossier_editor import TAB_PORTAL
from ui.views.main_window import MainWindow

__all__ = ["app_window", "sandbox"]

NOTE = "Bổ sung bản sao CCCD có chứng thực"
PROFILE = "sandbox-lgsp"


def _choose_lgsp_and_log_in(
    qtbot, window: MainWindow, sync: SyncRunner, workspace: Workspace, url: str
) -> str:  # type: ignore[no-untyped-def]
    """Cài đặt › Hồ sơ cổng: the sandbox's lgsp face, then «Đăng nhập»; its address."""
    # The platform registers no accounts (capabilities): the account is the sandbox's.
    user = register(url)
    view = window.settings_view
    box = view.profile_box
    qtbot.waitUntil(lambda: box.profile_combo.findData(PROFILE) >= 0, timeout=5000)
    box.profile_combo.setCurrentIndex(box.profile_combo.findData(PROFILE))
    with qtbot.waitSignal(view.sig_saved, timeout=5000):
        box.profile_combo.activated.emit(box.profile_combo.currentIndex())
    face = f"{url}/lgsp"
    assert view.portal_edit.text() == face  # the same sandbox, its other face
    assert workspace.settings.get(PORTAL_URL) == face
    assert workspace.settings.get(PORTAL_PROFILE) == PROFILE
    # No registration on that face (capabilities): no button that could only fail.
    qtbot.waitUntil(lambda: not view.registration_note.isHidden(), timeout=5000)
    assert view.register_button.isHidden() and view.mail_button.isHidden()
    assert box.oidc_button.isHidden()  # its adapter logs in with a password only
    qtbot.keyClicks(view.username_edit, user)
    qtbot.keyClicks(view.password_edit, PASSWORD)
    with qtbot.waitSignal(sync.sig_started, timeout=15000) as started:
        qtbot.mouseClick(view.login_button, Qt.MouseButton.LeftButton)
    assert started.args == [face]
    assert view.account_label.text() == f"Đã đăng nhập: {user}"
    assert view.password_edit.text() == ""
    # A session portal gives no tokens: the engine logs in again with the stored password.
    store = CredentialStore()
    assert store.password(face, user) == PASSWORD and store.tokens(face, user) is None
    assert workspace.capabilities().payments is False
    return face


def _officer(sandbox: ThreadedSandbox, uuid: str, action: str, **data: str) -> None:
    response = httpx.post(
        f"{sandbox.url}/sandbox/officer/{uuid}/{action}",
        headers=sandbox.secret_headers, data=data, timeout=10,
    )  # fmt: skip
    assert response.status_code in (200, 303), response.text


def test_the_window_flow_through_the_lgsp_profile(
    qtbot, app_window: tuple[MainWindow, SyncRunner], workspace: Workspace,
    sandbox: ThreadedSandbox, tmp_path: Path,
) -> None:  # fmt: skip
    window, sync = app_window
    editor, panel = window.editor, window.editor.portal_panel
    _choose_lgsp_and_log_in(qtbot, window, sync, workspace, sandbox.url)
    dossier_id = _create_and_fill(qtbot, window, tmp_path)
    _sign(qtbot, window, tmp_path)
    with qtbot.waitSignal(editor.sig_submitted, timeout=10000):
        qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: workspace.dossiers.get(dossier_id).receipt_no is not None, timeout=30000
    )
    receipt = str(workspace.dossiers.get(dossier_id).receipt_no)
    uuid = dossier_uuid(receipt)  # the store's uuid of the code the lgsp face reserved
    assert portal_dossiers(sandbox) == [(uuid, receipt)]
    qtbot.waitUntil(lambda: receipt in panel.summary_label.text(), timeout=10000)

    # Status: the officer accepts; the window shows it, and offers no payment (the
    # adapter has none; fees alone would hold the dossier, as paying is the next step).
    _officer(sandbox, uuid, "accept")
    qtbot.mouseClick(window.sync_status.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.state_label.text() == "Được tiếp nhận", timeout=30000)
    qtbot.waitUntil(lambda: panel.timeline.count() >= 2, timeout=10000)
    assert panel.pay_button.isHidden() and panel.pay_label.isHidden()

    # A supplement request, answered from the editor.
    _officer(sandbox, uuid, "supplement", note=NOTE)
    qtbot.mouseClick(window.sync_status.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.supplements.rowCount() == 1, timeout=30000)
    assert editor.tabs.currentIndex() == TAB_PORTAL
    assert panel.supplements.item(0, 1).text() == NOTE
    assert panel.supplements.item(0, 2).text() == "Chưa trả lời"
    qtbot.waitUntil(lambda: editor.state_label.text() == "Yêu cầu bổ sung giấy tờ", timeout=10000)
    with qtbot.waitSignal(editor.sig_loaded, timeout=10000) as opened:
        qtbot.mouseClick(panel.open_supplement_button, Qt.MouseButton.LeftButton)
    draft_id = int(opened.args[0])
    assert draft_id != dossier_id and editor.submit_button.text() == "Nộp bổ sung"
    drop_files(editor, "TP2", [write_pdf(tmp_path / "ban-sao-cccd.pdf", pages=1)])
    qtbot.waitUntil(
        lambda: editor.problems_title.text() == "<b>Đủ để nộp bổ sung</b>", timeout=10000
    )
    with qtbot.waitSignal(editor.sig_submitted, timeout=10000):
        qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.sync_status.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: workspace.dossiers.get(draft_id).state == "SUBMITTED", timeout=30000)
    sid = supplement_id_of(workspace, draft_id)
    conn = sqlite3.connect(sandbox.config.database)
    try:  # the officer's side of the store: the request answered by it, its one file in
        asked = "SELECT note, answered_by FROM supplement_requests WHERE dossier_uuid = ?"
        assert list(conn.execute(asked, (uuid,))) == [(NOTE, sid)]
        assert list(conn.execute("SELECT id, state FROM supplements")) == [(sid, "received")]
    finally:
        conn.close()

    # The result: the officer finishes, the signed result arrives in the dossier's tab.
    _officer(sandbox, uuid, "finish", result="Cấp chứng chỉ hành nghề dược")
    qtbot.mouseClick(window.sync_status.send_button, Qt.MouseButton.LeftButton)
    window.open_dossier(dossier_id)
    qtbot.waitUntil(
        lambda: panel.dossier_id == dossier_id and panel.results.count() == 1, timeout=30000
    )
    assert panel.results.item(0).text().startswith(f"ket-qua-{receipt}.pdf")
    assert "✔ chữ ký hợp lệ" in panel.results.item(0).text()
    answered = panel.supplements.item(0, 2)
    assert answered is not None and answered.text() == "Đã gửi"
    assert panel.timeline.count() >= 5  # received, accepted, supplement, resumed, finished
    assert portal_dossiers(sandbox) == [(uuid, receipt)], "nothing created twice"
