"""The master password of the encrypted key file (setting credential_store =
encrypted-file), asked on the GUI thread whichever thread needs it.

The core asks once per session (desktop/portal/filekeyring.py keeps the derived key);
the sync engine may first need it on a worker thread, which waits for the answer.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QInputDialog, QLineEdit


class MasterPasswordPrompt(QObject):
    """Callable provider of the master password; create it on the GUI thread."""

    _sig_ask = Signal(object)
    """A worker thread asks: the slot answers into the box and wakes it."""

    def __init__(self) -> None:
        super().__init__()
        self._sig_ask.connect(self._on_ask, Qt.ConnectionType.QueuedConnection)

    def __call__(self) -> str:
        if QThread.currentThread() is self.thread():
            return self.ask()
        box: dict[str, Any] = {"done": threading.Event(), "value": ""}
        self._sig_ask.emit(box)
        box["done"].wait()
        return str(box["value"])

    @Slot(object)
    def _on_ask(self, box: dict[str, Any]) -> None:
        try:
            box["value"] = self.ask()
        finally:
            box["done"].set()

    def ask(self) -> str:
        text, ok = QInputDialog.getText(
            None,
            self.tr("Mật khẩu chính"),
            self.tr(
                "Mật khẩu cổng dịch vụ công được giữ trong tệp khoá mã hoá.\n"
                "Nhập mật khẩu chính để mở (chỉ hỏi một lần mỗi phiên):"
            ),
            QLineEdit.EchoMode.Password,
        )
        return text if ok else ""
