"""Ký tệp PDF từ xa (issue #15): loose PDFs, not a dossier's, signed through the sandbox's
push-confirmation trust service on 127.0.0.1 from the window: the remote certificate
found, one request for every file, the countdown, approval on the test phone, and the
signed files checked by our verifier; a request left waiting is finished at start-up."""

from __future__ import annotations

from pathlib import Path

import httpx
from cryptography import x509
from PySide6.QtCore import QSettings, Qt
from test_remote_panel import USER, _waiting_tx, configured, sandbox
from ui_pdfs import write_pdf

from desktop.signing.verifier import verify_pdf
from desktop.workspace import Workspace
from portal_sandbox.server import ThreadedSandbox
from ui.tasks import TaskManager
from ui.views.signing.pdf_signing_dialog import PdfSigningDialog
from ui.views.signing.service import WorkspaceSigner

__all__ = ["configured", "sandbox"]  # the fixtures, shared with test_remote_panel


def _root(sandbox_url: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(httpx.get(f"{sandbox_url}/pki/ca.pem").content)


def _dialog(qtbot, workspace: Workspace, tasks: TaskManager) -> PdfSigningDialog:
    dialog = PdfSigningDialog(WorkspaceSigner(workspace), tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_loose_pdfs_signed_remotely_after_approval_on_the_phone(
    qtbot, workspace: Workspace, tasks: TaskManager, configured: str, tmp_path: Path
) -> None:
    sources = [write_pdf(tmp_path / f"giay-{i}.pdf") for i in range(2)]
    earlier = tmp_path / "giay-1-da-ky.pdf"  # signed before: kept, the new one beside it
    earlier.write_bytes(b"%PDF-1.7 earlier copy")
    dialog = _dialog(qtbot, workspace, tasks)
    panel = dialog.remote_panel
    assert panel.service_combo.count() == 1
    dialog.add_files(sources)
    assert dialog.file_list.count() == 2
    qtbot.keyClicks(panel.user_edit, USER)
    qtbot.mouseClick(panel.find_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: USER in panel.certificate_label.text(), timeout=20000)
    qtbot.mouseClick(panel.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "Đang chờ xác nhận trên điện thoại (còn" in panel.countdown_label.text(),
        timeout=30000,
    )
    assert panel.job is not None and len(panel.job.files) == 2 and panel.cancel_button.isVisible()
    assert not (tmp_path / "giay-0-da-ky.pdf").exists()  # nothing before approval
    tx = _waiting_tx(configured)
    assert tx == panel.job.transaction_id
    httpx.post(
        f"{configured}/sandbox/phone/{tx}/approve", headers=ThreadedSandbox.key_for(configured)
    )
    with qtbot.waitSignal(dialog.sig_signed, timeout=60000) as signed:
        pass
    assert signed.args[0].state == "DONE"
    assert "Đã ký số 2 tệp" in panel.status_label.text()
    root = _root(configured)
    outputs = [tmp_path / "giay-0-da-ky.pdf", tmp_path / "giay-1-da-ky-2.pdf"]
    assert signed.args[0].outputs == [str(o) for o in outputs]
    for source, output in zip(sources, outputs, strict=True):
        report = verify_pdf(output, trust=[root])
        assert report.ok and USER in report.signatures[0].signer, report
        assert verify_pdf(source, trust=[root]).signatures == []  # the source untouched
    assert earlier.read_bytes() == b"%PDF-1.7 earlier copy"


def test_no_file_chosen_says_so_and_sends_nothing(
    qtbot, workspace: Workspace, tasks: TaskManager, configured: str
) -> None:
    dialog = _dialog(qtbot, workspace, tasks)
    panel = dialog.remote_panel
    qtbot.keyClicks(panel.user_edit, USER)
    qtbot.mouseClick(panel.sign_button, Qt.MouseButton.LeftButton)
    assert "Hãy chọn các tệp PDF cần ký" in panel.status_label.text()
    assert panel.job is None and panel.sign_button.isEnabled()
    assert WorkspaceSigner(workspace).resume_remote() == []  # no request was made


def test_a_loose_request_left_waiting_is_finished_at_start_up(
    qtbot, workspace: Workspace, tasks: TaskManager, configured: str, tmp_path: Path
) -> None:
    source = write_pdf(tmp_path / "don.pdf")
    dialog = _dialog(qtbot, workspace, tasks)
    panel = dialog.remote_panel
    dialog.add_files([source])
    qtbot.keyClicks(panel.user_edit, USER)
    qtbot.mouseClick(panel.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.job is not None, timeout=30000)
    tx = panel.job.transaction_id
    dialog.close()  # the window is closed while the phone is asked
    httpx.post(
        f"{configured}/sandbox/phone/{tx}/approve", headers=ThreadedSandbox.key_for(configured)
    )
    resumed = WorkspaceSigner(workspace).resume_remote()  # the next start of the app
    assert [j.state for j in resumed] == ["DONE"]
    assert verify_pdf(tmp_path / "don-da-ky.pdf", trust=[_root(configured)]).ok


def test_certificates_view_opens_the_loose_pdf_dialog(
    qtbot, workspace: Workspace, tasks: TaskManager, ui_settings: QSettings, configured: str
) -> None:
    from ui.views.certificates_view import CertificatesView
    from ui.views.signing.signing_dialog import SecretCache

    view = CertificatesView(
        ui_settings, tasks, list, SecretCache(), remote=WorkspaceSigner(workspace)
    )
    qtbot.addWidget(view)
    assert view.sign_files_button.isEnabled()
    qtbot.mouseClick(view.sign_files_button, Qt.MouseButton.LeftButton)
    assert view.pdf_signing_dialog is not None and view.pdf_signing_dialog.isVisible()
    assert view.pdf_signing_dialog.remote_panel.service_combo.count() == 1
    view.pdf_signing_dialog.close()


def test_loose_pdfs_signed_at_a_csc_service_with_the_pin(
    qtbot, workspace: Workspace, tasks: TaskManager, configured: str, tmp_path: Path
) -> None:
    """The same dialog with a CSC service: the PIN asked, each file signed in turn; a
    wrong PIN is the service's refusal in the clerk's words and writes nothing."""
    from desktop.settings import REMOTE_SIGNING_SERVICES
    from desktop.signing.remote.services import parse_service, store_secret
    from portal_sandbox.trust_csc import SANDBOX_PIN
    from portal_sandbox.trust_service import SP_ID, SP_PASSWORD

    entry = {"name": "CSC thử", "kind": "csc", "url": f"{configured}/csc/v2", "client_id": SP_ID}
    workspace.settings.set(REMOTE_SIGNING_SERVICES, [entry])
    store_secret(parse_service(entry), SP_PASSWORD)
    sources = [write_pdf(tmp_path / f"csc-{i}.pdf") for i in range(2)]
    dialog = _dialog(qtbot, workspace, tasks)
    panel = dialog.remote_panel
    dialog.add_files(sources)
    assert panel.pin_edit.isVisibleTo(panel)
    qtbot.keyClicks(panel.user_edit, USER)
    qtbot.keyClicks(panel.pin_edit, "000000")
    qtbot.mouseClick(panel.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "PIN" in panel.status_label.text(), timeout=30000)
    assert not list(tmp_path.glob("*-da-ky*.pdf"))  # a wrong PIN writes nothing
    panel.pin_edit.setText(SANDBOX_PIN)
    with qtbot.waitSignal(dialog.sig_signed, timeout=60000):
        qtbot.mouseClick(panel.sign_button, Qt.MouseButton.LeftButton)
    assert "Đã ký số 2 tệp" in panel.status_label.text()
    root = _root(configured)
    for source in sources:
        assert verify_pdf(tmp_path / f"{source.stem}-da-ky.pdf", trust=[root]).ok
