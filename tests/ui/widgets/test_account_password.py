"""The office account's password dialog: asked on the GUI thread even when a worker
thread (the first write) needs it, and what was typed authenticates the account."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit

from desktop.office.users import ENV_PASSWORD, ENV_USER, os_user
from desktop.paths import Paths
from desktop.workspace import Workspace
from ui.widgets.account_password import AccountPasswordPrompt


def test_a_worker_thread_gets_the_password_typed_in_the_dialog(
    qtbot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup = Workspace(Paths(data_dir))
    setup.office.directory.add(os_user(), "Quản trị", "admin", None)
    setup.office.directory.add("lan", "Chị Lan", "clerk", "mật-khẩu")
    setup.close()
    monkeypatch.setenv(ENV_USER, "lan")
    monkeypatch.delenv(ENV_PASSWORD, raising=False)
    asked: list[str] = []

    def fake_dialog(_parent, _title, label, _echo):  # type: ignore[no-untyped-def]
        asked.append(label)
        assert _echo == QLineEdit.EchoMode.Password
        assert threading.current_thread() is threading.main_thread()
        return "mật-khẩu", True

    monkeypatch.setattr(QInputDialog, "getText", fake_dialog)
    prompt = AccountPasswordPrompt()
    ws = Workspace(Paths(data_dir), account_password=prompt.for_login)
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(ws.office.actor()))
    worker.start()
    qtbot.waitUntil(lambda: bool(result), timeout=5000)
    worker.join()
    QApplication.processEvents()
    assert "«lan»" in asked[0]
    assert getattr(result[0], "display_name", None) == "Chị Lan"
    ws.close()
