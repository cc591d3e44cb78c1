"""Cài đặt: the portal profile (ui/views/settings/portal_profile.py), the portal and its
account, token drivers, the default stamp, the file size
limit, language.

Changes are saved at once through the core's typed settings; the portal URL and the
language take effect at the next start (the view says so). Passwords go to the OS
keyring through the core and are never shown again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.portal import accounts
from desktop.settings import LANGUAGE, MAX_FILE_SIZE, PKCS11_MODULES, PORTAL_URL
from ui.tasks import Lane, TaskManager
from ui.views.settings.default_stamp import DefaultStampBox
from ui.views.settings.office_database import OfficeDatabaseBox
from ui.views.settings.portal_profile import PortalProfileBox
from ui.views.settings.remote_services import RemoteServicesBox

MB = 1024 * 1024


class SettingsStore(Protocol):
    def get(self, setting: Any) -> Any: ...

    def set(self, setting: Any, value: Any) -> None: ...


class SettingsView(QWidget):
    """One scrolling page of groups; every field saves when it changes."""

    sig_saved = Signal(str)
    """A setting was saved: its name."""

    sig_logged_in = Signal(str)
    """The clerk logged in on the portal: the username (the engine must reopen)."""

    sig_error = Signal(object)
    """Saving, registering or logging in was refused: the exception."""

    def __init__(
        self,
        settings: SettingsStore,
        tasks: TaskManager,
        parent: QWidget | None = None,
        *,
        sandbox_data: Path | None = None,
        data_root: Path | None = None,
    ):
        super().__init__(parent)
        self._settings = settings
        self._tasks = tasks
        self._sandbox_data = sandbox_data  # where the sandbox keeps its run's key
        self._data_root = data_root
        page = QWidget()
        layout = QVBoxLayout(page)
        self.profile_box = PortalProfileBox(settings, tasks, self.portal, data_root=data_root)
        self.profile_box.sig_profile_chosen.connect(self._on_profile_chosen)
        self.profile_box.sig_logged_in.connect(self._logged_in)
        self.profile_box.sig_error.connect(self.sig_error.emit)
        layout.addWidget(self.profile_box)
        layout.addWidget(self._build_portal())
        layout.addWidget(self._build_tokens())
        self.stamp_box = DefaultStampBox(settings, self._save)
        layout.addWidget(self.stamp_box)
        self.remote_box = RemoteServicesBox(
            settings, tasks, self.sig_saved.emit, self.sig_error.emit
        )
        layout.addWidget(self.remote_box)
        self.office_box = OfficeDatabaseBox(settings, self._save)
        layout.addWidget(self.office_box)
        layout.addWidget(self._build_general())
        layout.addStretch(1)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(area)
        self._load()

    def _build_portal(self) -> QGroupBox:
        box = QGroupBox(self.tr("Cổng dịch vụ công và tài khoản"))
        self.portal_edit = QLineEdit()
        self.portal_note = QLabel(
            self.tr(
                "Mặc định là cổng thử nghiệm chạy ngay trên máy này (127.0.0.1:8765). "
                "Đổi địa chỉ cổng có hiệu lực sau khi mở lại ứng dụng."
            )
        )
        self.portal_note.setWordWrap(True)
        self.username_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.full_name_edit = QLineEdit()
        self.email_edit = QLineEdit()
        self.phone_edit = QLineEdit()
        self.register_button = QPushButton(self.tr("Đăng ký tài khoản"))
        self.login_button = QPushButton(self.tr("Đăng nhập"))
        self.mail_button = QPushButton(self.tr("Mở hộp thư thử nghiệm"))
        self.account_label = QLabel()
        self.account_label.setWordWrap(True)
        self.registration_note = QLabel(
            self.tr(
                "Cổng này không đăng ký tài khoản từ ứng dụng: hãy dùng tài khoản do đơn vị "
                "quản lý cổng cấp (cổng thử nghiệm: đăng ký trên hồ sơ cổng thử nghiệm API v1)."
            )
        )
        self.registration_note.setWordWrap(True)
        self.registration_note.hide()
        buttons = QHBoxLayout()
        for button in (self.login_button, self.register_button, self.mail_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        form = QFormLayout(box)
        form.addRow(self.tr("Địa chỉ cổng"), self.portal_edit)
        form.addRow("", self.portal_note)
        form.addRow(self.tr("Tên đăng nhập"), self.username_edit)
        form.addRow(self.tr("Mật khẩu"), self.password_edit)
        form.addRow(self.tr("Họ và tên (khi đăng ký)"), self.full_name_edit)
        form.addRow(self.tr("Thư điện tử (khi đăng ký)"), self.email_edit)
        form.addRow(self.tr("Điện thoại (khi đăng ký)"), self.phone_edit)
        form.addRow("", buttons)
        form.addRow("", self.account_label)
        form.addRow("", self.registration_note)
        self.portal_edit.editingFinished.connect(self._on_portal_edit_finished)
        self.login_button.clicked.connect(self._on_login_button_clicked)
        self.register_button.clicked.connect(self._on_register_button_clicked)
        self.mail_button.clicked.connect(self._on_mail_button_clicked)
        return box

    def _build_tokens(self) -> QGroupBox:
        box = QGroupBox(self.tr("Token ký số (thư viện PKCS#11)"))
        self.modules_list = QListWidget()
        self.modules_list.setMaximumHeight(90)
        self.add_module_button = QPushButton(self.tr("Thêm thư viện…"))
        self.remove_module_button = QPushButton(self.tr("Bỏ"))
        note = QLabel(
            self.tr(
                "Ngoài các thư viện ở đây, ứng dụng tự tìm trình điều khiển token của các nhà "
                "cung cấp chứng thư số thông dụng (VNPT-CA, Viettel-CA, BKAV-CA, FPT-CA…)."
            )
        )
        note.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_module_button)
        buttons.addWidget(self.remove_module_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addWidget(self.modules_list)
        layout.addLayout(buttons)
        layout.addWidget(note)
        self.add_module_button.clicked.connect(self._on_add_module_button_clicked)
        self.remove_module_button.clicked.connect(self._on_remove_module_button_clicked)
        return box

    def _build_general(self) -> QGroupBox:
        box = QGroupBox(self.tr("Chung"))
        self.size_spin = QSpinBox()
        self.size_spin.setRange(1, 2048)
        self.size_spin.setSuffix(" MB")
        self.language_combo = QComboBox()
        self.language_combo.addItem("Tiếng Việt", "vi")
        self.language_combo.addItem("English", "en")
        self.language_note = QLabel()
        form = QFormLayout(box)
        form.addRow(self.tr("Dung lượng tối đa một tệp"), self.size_spin)
        form.addRow(self.tr("Ngôn ngữ"), self.language_combo)
        form.addRow("", self.language_note)
        self.size_spin.editingFinished.connect(self._on_size_spin_finished)
        self.language_combo.currentIndexChanged.connect(self._on_language_combo_changed)
        return box

    def _load(self) -> None:
        self.portal_edit.setText(str(self._settings.get(PORTAL_URL)))
        self.size_spin.setValue(max(1, int(self._settings.get(MAX_FILE_SIZE)) // MB))
        self.language_combo.blockSignals(True)
        self.language_combo.setCurrentIndex(
            max(0, self.language_combo.findData(self._settings.get(LANGUAGE)))
        )
        self.language_combo.blockSignals(False)
        self.modules_list.clear()
        self.modules_list.addItems([str(m) for m in self._settings.get(PKCS11_MODULES)])
        self._show_profile_account()

    def _show_profile_account(self) -> None:
        """Who is logged in on the portal, and whether its accounts register from here."""
        portal, settings, root = self.portal(), self._settings, self._data_root
        self._tasks.run(lambda: accounts.logged_in_as(portal), on_success=self._show_account)
        self._tasks.run(
            lambda: accounts.registers_accounts(settings, root),
            on_success=self._show_registration,
            on_failure=self.sig_error.emit,
        )

    def _show_registration(self, registers: bool) -> None:
        self.register_button.setVisible(registers)
        self.mail_button.setVisible(registers)
        self.registration_note.setVisible(not registers)

    def portal(self) -> str:
        return self.portal_edit.text().strip().rstrip("/")

    def _save(self, setting: Any, value: Any) -> None:
        store = self._settings
        self._tasks.run(
            lambda: store.set(setting, value),
            on_success=lambda _none: self.sig_saved.emit(setting.name),
            on_failure=self.sig_error.emit,
            lane=Lane.WRITE,
        )

    def _show_account(self, username: str) -> None:
        if username:
            self.account_label.setText(self.tr("Đã đăng nhập: {user}").format(user=username))
        else:
            self.account_label.setText(
                self.tr("Chưa đăng nhập: hồ sơ chỉ được gửi sau khi đăng nhập.")
            )

    # --- slots -------------------------------------------------------------------------

    @Slot()
    def _on_portal_edit_finished(self) -> None:
        if self.portal() and self.portal() != str(self._settings.get(PORTAL_URL)).rstrip("/"):
            self._save(PORTAL_URL, self.portal())

    @Slot(str)
    def _on_profile_chosen(self, profile_id: str) -> None:
        self.portal_edit.setText(str(self._settings.get(PORTAL_URL)))
        self.portal_note.setText(self.tr("Đổi địa chỉ cổng có hiệu lực sau khi mở lại ứng dụng."))
        self.sig_saved.emit("portal_profile")
        self._show_profile_account()

    @Slot()
    def _on_login_button_clicked(self) -> None:
        portal, user, password = (
            self.portal(),
            self.username_edit.text().strip(),
            self.password_edit.text(),
        )
        settings, root = self._settings, self._data_root
        self._tasks.run(
            lambda: accounts.login_on_profile(settings, root, portal, user, password),
            on_success=lambda _none: self._logged_in(user),
            on_failure=self.sig_error.emit,
        )

    def _logged_in(self, username: str) -> None:
        self.password_edit.clear()
        self._show_account(username)
        self.sig_logged_in.emit(username)

    @Slot()
    def _on_register_button_clicked(self) -> None:
        portal = self.portal()
        user, password = self.username_edit.text().strip(), self.password_edit.text()
        email, phone = self.email_edit.text().strip(), self.phone_edit.text().strip()
        full_name = self.full_name_edit.text().strip()
        self._tasks.run(
            lambda: accounts.register(
                portal, user, password, email=email, full_name=full_name, phone=phone
            ),
            on_success=lambda _state: self.account_label.setText(
                self.tr(
                    "Đã gửi đăng ký. Hãy mở liên kết trong thư xác nhận (cổng thử nghiệm: "
                    "bấm «Mở hộp thư thử nghiệm»), rồi bấm «Đăng nhập»."
                )
            ),
            on_failure=self.sig_error.emit,
        )

    @Slot()
    def _on_mail_button_clicked(self) -> None:
        from desktop.commands.portal_sandbox import page_url
        from desktop.portal.profiles import sandbox_root

        # With this run's key: the mailbox opens only for whoever has it (issue #12).
        root = sandbox_root(self.portal())  # the sandbox's own pages, whichever face
        url = (
            page_url(root, self._sandbox_data, "/sandbox/mail")
            if self._sandbox_data is not None
            else root + "/sandbox/mail"
        )
        QDesktopServices.openUrl(QUrl(url))

    @Slot()
    def _on_add_module_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Chọn thư viện PKCS#11"), "", self.tr("Thư viện (*.so *.dll *.dylib)")
        )
        if path:
            self.add_module(path)

    def add_module(self, path: str) -> None:
        modules = [str(m) for m in self._settings.get(PKCS11_MODULES)]
        if path not in modules:
            self.modules_list.addItem(path)
            self._save(PKCS11_MODULES, [*modules, path])

    @Slot()
    def _on_remove_module_button_clicked(self) -> None:
        row = self.modules_list.currentRow()
        if row < 0:
            return
        self.modules_list.takeItem(row)
        modules = [self.modules_list.item(i).text() for i in range(self.modules_list.count())]
        self._save(PKCS11_MODULES, modules)

    @Slot()
    def _on_size_spin_finished(self) -> None:
        self._save(MAX_FILE_SIZE, self.size_spin.value() * MB)

    @Slot(int)
    def _on_language_combo_changed(self, _index: int) -> None:
        self._save(LANGUAGE, str(self.language_combo.currentData()))
        self.language_note.setText(self.tr("Ngôn ngữ mới có hiệu lực sau khi mở lại ứng dụng."))
