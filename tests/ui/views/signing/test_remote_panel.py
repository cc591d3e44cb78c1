"""Ký số từ xa in the signing dialog (issue #15): the sandbox's push-confirmation service
on 127.0.0.1, the countdown, approval on the test phone, refusal, and a request picked
up again by a new dialog (as after a restart)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import test_signing_dialog
from PySide6.QtCore import QSettings, Qt
from test_signing_dialog import make_dialog

from desktop.settings import REMOTE_SIGNING_SERVICES
from desktop.signing.remote.services import parse_service, store_secret
from desktop.workspace import Workspace
from portal_sandbox.config import SandboxConfig
from portal_sandbox.server import ThreadedSandbox
from portal_sandbox.trust_service import SP_ID, SP_PASSWORD
from ui.tasks import TaskManager

USER = "001090099999"
ready_dossier = test_signing_dialog.ready_dossier  # the same READY dossier of 4 PDFs


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with ThreadedSandbox(SandboxConfig(tmp_path_factory.mktemp("trust") / "data")) as running:
        yield running.url


@pytest.fixture
def configured(workspace: Workspace, sandbox: str, memory_keyring: Any) -> str:
    entry = {"name": "SmartCA thử", "kind": "push", "url": f"{sandbox}/smartca", "client_id": SP_ID}
    workspace.settings.set(REMOTE_SIGNING_SERVICES, [entry])
    store_secret(parse_service(entry), SP_PASSWORD)
    httpx.put(
        f"{sandbox}/sandbox/trust/faults",
        json={"approval": "manual"},
        headers=ThreadedSandbox.key_for(sandbox),
    )
    return sandbox


def _waiting_tx(sandbox: str) -> str:
    import re

    page = httpx.get(f"{sandbox}/sandbox/phone", headers=ThreadedSandbox.key_for(sandbox)).text
    found = re.findall(r"/sandbox/phone/([0-9a-f]{32})/approve", page)
    return found[0] if found else ""


def test_remote_tab_counts_down_and_signs_after_approval(
    qtbot, workspace: Workspace, tasks: TaskManager, ui_settings: QSettings,
    ready_dossier: int, configured: str,
) -> None:  # fmt: skip
    dialog = make_dialog(qtbot, workspace, tasks, ui_settings, ready_dossier)
    panel = dialog.remote_panel
    assert panel is not None and panel.service_combo.count() == 1
    qtbot.keyClicks(panel.user_edit, USER)
    qtbot.mouseClick(panel.find_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: USER in panel.certificate_label.text(), timeout=20000)
    qtbot.mouseClick(panel.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            "Đang chờ xác nhận trên điện thoại (còn 4:" in panel.countdown_label.text()
            or "(còn 5:00)" in panel.countdown_label.text()
        ),
        timeout=30000,
    )
    assert panel.cancel_button.isVisible()
    # The dialog closed and opened again (as after a restart) finds the request.
    dialog.close()
    again = make_dialog(qtbot, workspace, tasks, ui_settings, ready_dossier)
    assert again.remote_panel is not None
    qtbot.waitUntil(lambda: again.remote_panel.job is not None, timeout=10000)
    tx = _waiting_tx(configured)
    assert tx
    # The approval is sent inside the wait, so a signal that comes at once is not missed;
    # what the clerk sees in the end is the dossier signed.
    with qtbot.waitSignal(again.sig_signed, timeout=60000, raising=False):
        httpx.post(
            f"{configured}/sandbox/phone/{tx}/approve",
            headers=ThreadedSandbox.key_for(configured),
        )
    qtbot.waitUntil(lambda: workspace.dossiers.get(ready_dossier).state == "SIGNED", timeout=60000)


def test_refusal_on_the_phone_is_explained(
    qtbot, workspace: Workspace, tasks: TaskManager, ui_settings: QSettings,
    ready_dossier: int, configured: str,
) -> None:  # fmt: skip
    dialog = make_dialog(qtbot, workspace, tasks, ui_settings, ready_dossier)
    panel = dialog.remote_panel
    assert panel is not None
    qtbot.keyClicks(panel.user_edit, USER)
    qtbot.mouseClick(panel.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.job is not None, timeout=30000)
    httpx.post(
        f"{configured}/sandbox/phone/{panel.job.transaction_id}/refuse",
        headers=ThreadedSandbox.key_for(configured),
    )
    qtbot.waitUntil(lambda: "TỪ CHỐI" in panel.status_label.text(), timeout=30000)
    assert workspace.dossiers.get(ready_dossier).state == "READY"
    assert panel.sign_button.isEnabled()


def test_no_service_configured_says_where_to_configure(
    qtbot, workspace: Workspace, tasks: TaskManager, ui_settings: QSettings,
    ready_dossier: int, tmp_path: Path,
) -> None:  # fmt: skip
    dialog = make_dialog(qtbot, workspace, tasks, ui_settings, ready_dossier)
    assert dialog.remote_panel is not None
    assert "Cài đặt" in dialog.remote_panel.status_label.text()
    assert not dialog.remote_panel.sign_button.isEnabled()


def test_certificates_view_lists_a_remote_certificate(
    qtbot, workspace: Workspace, tasks: TaskManager, ui_settings: QSettings, configured: str
) -> None:
    from ui.models.certificate_table import COLUMN_SOURCE, COLUMN_SUBJECT
    from ui.views.certificates_view import CertificatesView
    from ui.views.signing.service import WorkspaceSigner
    from ui.views.signing.signing_dialog import SecretCache

    view = CertificatesView(
        ui_settings, tasks, list, SecretCache(), remote=WorkspaceSigner(workspace)
    )
    qtbot.addWidget(view)
    assert view.remote_combo.count() == 1 and view.remote_button.isEnabled()
    qtbot.keyClicks(view.remote_user_edit, USER)
    qtbot.mouseClick(view.remote_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=20000)
    source = view.model.index(0, COLUMN_SOURCE).data()
    assert source == f"Từ xa: SmartCA thử ({USER})"
    assert USER in view.model.index(0, COLUMN_SUBJECT).data()
    # Unknown signer: the service's refusal in the clerk's words, no row added.
    view.remote_user_edit.setText("abc")
    qtbot.mouseClick(view.remote_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "không có chứng thư" in view.status_label.text(), timeout=20000)
    assert view.model.rowCount() == 1


def test_start_up_resumes_a_request_approved_while_the_app_was_closed(
    workspace: Workspace, ready_dossier: int, configured: str
) -> None:
    from ui.views.signing.service import WorkspaceSigner

    job = WorkspaceSigner(workspace).start_remote(ready_dossier, "SmartCA thử", USER, None)
    assert WorkspaceSigner(workspace).resume_remote()[0].state == "WAITING"
    httpx.post(
        f"{configured}/sandbox/phone/{job.transaction_id}/approve",
        headers=ThreadedSandbox.key_for(configured),
    )
    resumed = WorkspaceSigner(workspace).resume_remote()  # the next start of the app
    assert [j.state for j in resumed] == ["DONE"]
    assert workspace.dossiers.get(ready_dossier).state == "SIGNED"
    assert WorkspaceSigner(workspace).resume_remote() == []
