"""The whole flow through the window, offscreen, against the sandbox on loopback:
register and log in, create a dossier from the catalog, fill it in, attach PDFs, sign
with a test .p12, submit, let the officer accept and ask for a fee, pay in the
(simulated) browser, receive the result. Every step is a UI action."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from ui_app import open_app
from ui_input import drop_files, type_text
from ui_pdfs import write_pdf

from desktop.workspace import Workspace
from portal_sandbox.config import SandboxConfig
from portal_sandbox.server import ThreadedSandbox
from tests.pki import PASSWORD as P12_PASSWORD
from tests.pki import make_p12
from ui.sync_runner import SyncRunner
from ui.tasks import TaskManager
from ui.views.main_window import SECTION_DOSSIERS, MainWindow

PORTAL_PASSWORD = "mat-khau-cong-thu"


class Browser(QObject):
    """Receives the URLs the app opens (QDesktopServices) and pays like a person would."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())
        if "/sandbox/pay/" in url.toString():
            httpx.post(url.toString(), data={"action": "pay"}, timeout=10)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[ThreadedSandbox]:
    with ThreadedSandbox(SandboxConfig(tmp_path / "portal")) as server:
        yield server


@pytest.fixture
def app_window(
    qtbot, workspace: Workspace, tasks: TaskManager, sandbox: ThreadedSandbox,
    memory_keyring: KeyringBackend, tmp_path: Path,
) -> Iterator[tuple[MainWindow, SyncRunner]]:  # fmt: skip
    with open_app(qtbot, workspace, tasks, sandbox.url, tmp_path) as opened:
        yield opened


def test_from_procedure_to_paid_dossier_with_result(
    qtbot, app_window: tuple[MainWindow, SyncRunner], workspace: Workspace,
    sandbox: ThreadedSandbox, tmp_path: Path,
) -> None:  # fmt: skip
    window, sync = app_window
    browser = Browser()
    QDesktopServices.setUrlHandler("http", browser, "open")
    try:
        _register_and_log_in(qtbot, window, sync, sandbox)
        dossier_id = _create_and_fill(qtbot, window, tmp_path)
        _sign(qtbot, window, tmp_path)
        with qtbot.waitSignal(window.editor.sig_submitted, timeout=10000):
            qtbot.mouseClick(window.editor.submit_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: workspace.dossiers.get(dossier_id).receipt_no is not None, timeout=30000
        )
        receipt = workspace.dossiers.get(dossier_id).receipt_no
        qtbot.waitUntil(lambda: str(receipt) in window.editor.portal_panel.summary_label.text(),
                        timeout=10000)  # fmt: skip
        uuid = workspace.outbox.entry(dossier_id).uuid
        httpx.post(
            f"{sandbox.url}/sandbox/officer/{uuid}/accept",
            headers=sandbox.secret_headers,
            timeout=10,
        )
        httpx.post(
            f"{sandbox.url}/sandbox/officer/{uuid}/fees",
            headers=sandbox.secret_headers,
            data={"description": "Lệ phí cấp chứng chỉ", "amount": 500000},
            timeout=10,
        )
        panel = window.editor.portal_panel
        qtbot.mouseClick(window.sync_status.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.fees.rowCount() == 1, timeout=30000)
        assert panel.fees.item(0, 1).text() == "500.000 đ"
        assert panel.pay_button.isEnabled()
        qtbot.mouseClick(panel.pay_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.pay_label.text() == "Đã thanh toán 500.000 đ.",
                        timeout=60000)  # fmt: skip
        assert any("/sandbox/pay/" in url for url in browser.opened)
        httpx.post(
            f"{sandbox.url}/sandbox/officer/{uuid}/finish",
            headers=sandbox.secret_headers,
            data={"result": "Cấp chứng chỉ hành nghề dược"},
            timeout=10,
        )
        qtbot.mouseClick(window.sync_status.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.results.count() == 1, timeout=30000)
        assert panel.results.item(0).text().startswith(f"ket-qua-{receipt}.pdf")
        history = [panel.timeline.item(i).text() for i in range(panel.timeline.count())]
        assert len(history) >= 3
    finally:
        QDesktopServices.unsetUrlHandler("http")


def _register_and_log_in(qtbot, window: MainWindow, sync: SyncRunner, sandbox) -> None:  # type: ignore[no-untyped-def]
    view = window.settings_view
    assert view is not None and view.portal_edit.text() == sandbox.url
    for edit, text in ((view.username_edit, "xa-an-phu"), (view.password_edit, PORTAL_PASSWORD),
                       (view.email_edit, "xa-an-phu@example.vn"), (view.phone_edit, "0912345678"),
                       (view.full_name_edit, "UBND xa An Phu")):  # fmt: skip
        qtbot.keyClicks(edit, text)
    qtbot.mouseClick(view.register_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Đã gửi đăng ký" in view.account_label.text(), timeout=10000)
    mails = httpx.get(
        f"{sandbox.url}/sandbox/mail.json", headers=sandbox.secret_headers, timeout=10
    ).json()
    httpx.get(next(m["link"] for m in mails if m["username"] == "xa-an-phu"), timeout=10)
    with qtbot.waitSignal(sync.sig_started, timeout=15000):
        qtbot.mouseClick(view.login_button, Qt.MouseButton.LeftButton)
    assert view.account_label.text() == "Đã đăng nhập: xa-an-phu"
    assert view.password_edit.text() == ""


def _create_and_fill(qtbot, window: MainWindow, tmp_path: Path) -> int:  # type: ignore[no-untyped-def]
    catalog = window.catalog_view
    qtbot.keyClicks(catalog.search_edit, "cchn duoc")
    qtbot.waitUntil(lambda: catalog.current_procedure() is not None and
                    "xét hồ sơ" in catalog.current_procedure().name, timeout=5000)  # fmt: skip
    with qtbot.waitSignal(window.editor.sig_loaded, timeout=5000) as loaded:
        qtbot.mouseClick(catalog.create_button, Qt.MouseButton.LeftButton)
    assert window.current_section() == SECTION_DOSSIERS
    editor = window.editor
    form = editor.applicant_form
    for name, text in (("name", "Trần Văn Nam"), ("id_number", "001090012345"),
                       ("phone", "0912345678")):  # fmt: skip
        type_text(qtbot, form.edits[name], text)
    form.address.province_box.setFocus()
    qtbot.keyClicks(form.address.province_box, "ha noi")
    qtbot.keyClick(form.address.province_box, Qt.Key.Key_Return)
    qtbot.keyClicks(form.address.commune_box, "ba dinh")
    qtbot.keyClick(form.address.commune_box, Qt.Key.Key_Return)
    editor.tabs.setCurrentIndex(1)
    for code in ("TP1", "TP2", "TP3", "TP4"):
        drop_files(editor, code, [write_pdf(tmp_path / f"{code}.pdf", pages=2)])
        qtbot.waitUntil(lambda code=code: editor.files_page.checklist.item_of_component(code)
                        .childCount() == 1, timeout=10000)  # fmt: skip
    qtbot.waitUntil(lambda: editor.problems_title.text() == "<b>Hồ sơ hợp lệ</b>", timeout=10000)
    return int(loaded.args[0])


def _sign(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    editor = window.editor
    with qtbot.waitSignal(editor.sig_sign_requested, timeout=10000):
        qtbot.mouseClick(editor.sign_button, Qt.MouseButton.LeftButton)
    dialog = window.signing_dialog
    dialog.add_p12(str(make_p12(tmp_path / "can-bo.p12", "TRẦN THỊ LAN")))
    qtbot.keyClicks(dialog.secret_edit, P12_PASSWORD)
    with qtbot.waitSignal(dialog.sig_signed, timeout=60000):
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    dialog.close()
    qtbot.waitUntil(lambda: editor.state_label.text() == "Đã ký số", timeout=10000)
