"""The app asks the master password of the encrypted key file in a dialog on the GUI
thread, also when a worker thread (the sync engine) needs it first."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QInputDialog

from ui.widgets.master_password import MasterPasswordPrompt


def test_a_worker_thread_gets_the_password_from_the_dialog(
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked_on: list[threading.Thread] = []

    def dialog(*_args: object, **_kwargs: object) -> tuple[str, bool]:
        asked_on.append(threading.current_thread())
        return "chia-khoa-chinh", True

    monkeypatch.setattr(QInputDialog, "getText", dialog)
    prompt = MasterPasswordPrompt()
    answers: list[str] = []
    worker = threading.Thread(target=lambda: answers.append(prompt()))
    worker.start()
    qtbot.waitUntil(lambda: answers == ["chia-khoa-chinh"], timeout=5000)
    worker.join(timeout=5)
    assert asked_on == [threading.main_thread()]  # the dialog ran on the GUI thread


def test_cancel_gives_no_password(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("", False))
    assert MasterPasswordPrompt()() == ""
