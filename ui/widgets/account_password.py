"""The password of the office account this desk acts as (issue #17: accounts with a
password), asked on the GUI thread whichever thread first needs it, once per session
(desktop/office/service.py keeps who was authenticated)."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit

from ui.widgets.master_password import MasterPasswordPrompt


class AccountPasswordPrompt(MasterPasswordPrompt):
    """`prompt.for_login(login)`: the typed password ("" when cancelled)."""

    def __init__(self) -> None:
        super().__init__()
        self.login = ""

    def for_login(self, login: str) -> str:
        self.login = login
        return self()

    def ask(self) -> str:
        text, ok = QInputDialog.getText(
            None,
            self.tr("Đăng nhập dvc-desk"),
            self.tr("Mật khẩu của tài khoản «%1» trong văn phòng:").replace("%1", self.login),
            QLineEdit.EchoMode.Password,
        )
        return text if ok else ""
