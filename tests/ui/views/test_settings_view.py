"""ui/views/settings/settings_view.py over real settings and the sandbox portal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.portal.accounts import E_REGISTRATION
from desktop.settings import LANGUAGE, MAX_FILE_SIZE, PKCS11_MODULES, PORTAL_URL, Settings
from desktop.workspace import Workspace
from portal_sandbox.config import SandboxConfig
from portal_sandbox.server import ThreadedSandbox
from ui.tasks import TaskManager
from ui.views.settings.settings_view import SettingsView


@pytest.fixture
def view(qtbot, workspace: Workspace, tasks: TaskManager) -> SettingsView:
    widget = SettingsView(workspace.settings, tasks)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def reread(workspace: Workspace) -> Settings:
    return Settings(workspace.paths.settings_file)


def test_defaults_shown_and_changes_saved(qtbot, view: SettingsView, workspace: Workspace) -> None:
    assert view.portal_edit.text() == "http://127.0.0.1:8765"
    assert view.size_spin.value() == 60
    view.size_spin.setValue(25)
    with qtbot.waitSignal(view.sig_saved, timeout=5000):
        view.size_spin.editingFinished.emit()
    assert reread(workspace).get(MAX_FILE_SIZE) == 25 * 1024 * 1024
    with qtbot.waitSignal(view.sig_saved, timeout=5000):
        view.language_combo.setCurrentIndex(view.language_combo.findData("en"))
    assert reread(workspace).get(LANGUAGE) == "en"
    assert "mở lại ứng dụng" in view.language_note.text()
    with qtbot.waitSignal(view.sig_saved, timeout=5000):
        view.add_module("/opt/token/libvnpt-ca_p11.so")
    assert reread(workspace).get(PKCS11_MODULES) == ["/opt/token/libvnpt-ca_p11.so"]
    view.modules_list.setCurrentRow(0)
    with qtbot.waitSignal(view.sig_saved, timeout=5000):
        qtbot.mouseClick(view.remove_module_button, Qt.MouseButton.LeftButton)
    assert reread(workspace).get(PKCS11_MODULES) == []


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[ThreadedSandbox]:
    with ThreadedSandbox(SandboxConfig(tmp_path / "sandbox")) as server:
        yield server


def test_register_on_the_sandbox_and_refusals_are_explained(
    qtbot, view: SettingsView, workspace: Workspace, sandbox: ThreadedSandbox
) -> None:
    view.portal_edit.setText(sandbox.url)
    with qtbot.waitSignal(view.sig_saved, timeout=5000):
        view.portal_edit.editingFinished.emit()
    assert reread(workspace).get(PORTAL_URL) == sandbox.url
    qtbot.keyClicks(view.username_edit, "canbo.xa")
    qtbot.keyClicks(view.password_edit, "short")
    with qtbot.waitSignal(view.sig_error, timeout=5000) as refused:
        qtbot.mouseClick(view.register_button, Qt.MouseButton.LeftButton)
    assert "mật khẩu ít nhất 8 ký tự" in refused.args[0].message()
    # The same rule as `dvc-desk account register` (desktop/portal/accounts.py).
    assert refused.args[0].code == E_REGISTRATION
    view.password_edit.clear()
    qtbot.keyClicks(view.password_edit, "mat-khau-du-dai")
    qtbot.keyClicks(view.email_edit, "canbo@example.vn")
    qtbot.keyClicks(view.full_name_edit, "Nguyen Van Can")
    qtbot.keyClicks(view.phone_edit, "0912345678")
    qtbot.mouseClick(view.register_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Đã gửi đăng ký" in view.account_label.text(), timeout=10000)


def test_remote_signing_service_saved_with_its_secret_in_the_keyring(
    qtbot, view: SettingsView, workspace: Workspace, memory_keyring
) -> None:
    from desktop.settings import REMOTE_SIGNING_SERVICES
    from desktop.signing.remote.services import client_secret, parse_service

    box = view.remote_box
    box.name_edit.setText("SmartCA")
    box.url_edit.setText("not a url")
    box.client_edit.setText("sp-01")
    box.secret_edit.setText("bí mật")
    with qtbot.waitSignal(view.sig_error, timeout=5000):
        qtbot.mouseClick(box.save_button, Qt.MouseButton.LeftButton)
    assert "url" in box.note.text() and reread(workspace).get(REMOTE_SIGNING_SERVICES) == []
    box.url_edit.setText("https://smartca.example.vn")
    with qtbot.waitSignal(view.sig_saved, timeout=5000):
        qtbot.mouseClick(box.save_button, Qt.MouseButton.LeftButton)
    saved = reread(workspace).get(REMOTE_SIGNING_SERVICES)
    assert saved == [
        {
            "name": "SmartCA",
            "kind": "push",
            "url": "https://smartca.example.vn",
            "client_id": "sp-01",
        }
    ]
    assert client_secret(parse_service(saved[0])) == "bí mật"
    assert "bí mật" not in workspace.paths.settings_file.read_text(encoding="utf-8")
    assert box.secret_edit.text() == "" and box.service_list.count() == 1
