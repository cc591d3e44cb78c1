"""Cài đặt › Ký số từ xa: the trust services the signing dialog and `sign --remote` use
(issue #15). Name, kind (push confirmation or CSC API), URL and client id are settings;
the client secret goes to the OS keyring through the core and is never shown again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QWidget,
)

from desktop.settings import REMOTE_SIGNING_SERVICES
from ui.tasks import Lane, TaskManager


class SettingsStore(Protocol):
    def get(self, setting: Any) -> Any: ...

    def set(self, setting: Any, value: Any) -> None: ...


def save_service(store: SettingsStore, entry: dict[str, str], secret: str) -> None:
    """Check the entry, keep the secret in the keyring, then the entry in the settings."""
    from desktop.signing.remote.services import parse_service, store_secret

    service = parse_service(entry)
    if secret:
        store_secret(service, secret)
    others = [e for e in store.get(REMOTE_SIGNING_SERVICES) if e.get("name") != service.name]
    store.set(REMOTE_SIGNING_SERVICES, [*others, service.as_dict()])


class RemoteServicesBox(QGroupBox):
    def __init__(
        self,
        settings: SettingsStore,
        tasks: TaskManager,
        saved: Callable[[str], None],
        failed: Callable[[BaseException], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Ký số từ xa (chứng thư số lưu ở nhà cung cấp dịch vụ)"))
        self._settings = settings
        self._tasks = tasks
        self._saved = saved
        self._failed = failed
        self.service_list = QListWidget()
        self.service_list.setMaximumHeight(90)
        self.name_edit = QLineEdit()
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(self.tr("Xác nhận trên điện thoại (kiểu SmartCA)"), "push")
        self.kind_combo.addItem(self.tr("CSC API (nhập PIN/OTP)"), "csc")
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://…")
        self.client_edit = QLineEdit()
        self.secret_edit = QLineEdit()
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_edit.setPlaceholderText(self.tr("lưu vào kho khoá của hệ điều hành"))
        self.save_button = QPushButton(self.tr("Lưu dịch vụ"))
        self.remove_button = QPushButton(self.tr("Xoá dịch vụ đã chọn"))
        self.note = QLabel()
        self.note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.service_list)
        form.addRow(self.tr("Tên"), self.name_edit)
        form.addRow(self.tr("Loại"), self.kind_combo)
        form.addRow(self.tr("Địa chỉ (URL)"), self.url_edit)
        form.addRow(self.tr("Mã tích hợp (client id)"), self.client_edit)
        form.addRow(self.tr("Mật khẩu tích hợp"), self.secret_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        form.addRow(self.note)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.service_list.currentRowChanged.connect(self._on_service_list_row_changed)
        self.reload()

    def entries(self) -> list[dict[str, Any]]:
        return list(self._settings.get(REMOTE_SIGNING_SERVICES))

    def reload(self) -> None:
        self.service_list.clear()
        for entry in self.entries():
            self.service_list.addItem(f"{entry.get('name')} — {entry.get('url')}")

    @Slot(int)
    def _on_service_list_row_changed(self, row: int) -> None:
        entries = self.entries()
        if not 0 <= row < len(entries):
            return
        entry = entries[row]
        self.name_edit.setText(str(entry.get("name", "")))
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(entry.get("kind"))))
        self.url_edit.setText(str(entry.get("url", "")))
        self.client_edit.setText(str(entry.get("client_id", "")))
        self.secret_edit.clear()

    @Slot()
    def _on_save_button_clicked(self) -> None:
        entry = {
            "name": self.name_edit.text().strip(),
            "kind": str(self.kind_combo.currentData()),
            "url": self.url_edit.text().strip(),
            "client_id": self.client_edit.text().strip(),
        }
        secret = self.secret_edit.text()
        saved_text = self.tr("Đã lưu dịch vụ «{name}».").format(name=entry["name"])
        store = self._settings
        self._tasks.run(
            lambda: save_service(store, entry, secret),
            on_success=lambda _none: self._done(saved_text),
            on_failure=self._failure,
            lane=Lane.WRITE,
        )

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        row = self.service_list.currentRow()
        entries = self.entries()
        if not 0 <= row < len(entries):
            return
        name = entries[row].get("name")
        kept = [e for i, e in enumerate(entries) if i != row]
        removed_text = self.tr("Đã xoá dịch vụ «{name}».").format(name=name)
        store = self._settings
        self._tasks.run(
            lambda: store.set(REMOTE_SIGNING_SERVICES, kept),
            on_success=lambda _none: self._done(removed_text),
            on_failure=self._failure,
            lane=Lane.WRITE,
        )

    def _done(self, text: str) -> None:
        self.secret_edit.clear()
        self.note.setStyleSheet("")
        self.note.setText(text)
        self.reload()
        self._saved(REMOTE_SIGNING_SERVICES.name)

    def _failure(self, exc: BaseException) -> None:
        message = exc.message() if hasattr(exc, "message") else str(exc)
        self.note.setText(str(message))
        self.note.setStyleSheet("color: #b3261e;")
        self._failed(exc)
