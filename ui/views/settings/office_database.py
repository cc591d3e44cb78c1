"""Cài đặt › Cơ sở dữ liệu dùng chung: the office's PostgreSQL database and the shared
attachment folder (issue #17, docs/office-database.md).

The address is checked here before saving (the core's own check), so a wrong one is
explained under the field at once and never saved; it takes effect when the app is
opened again. The password in the address is never shown back in full.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from desktop.errors import DvcError
from desktop.settings import DATABASE_URL, SHARED_STORE

ERROR_COLOUR = "#b3261e"


class SettingsReader(Protocol):
    def get(self, setting: Any) -> Any: ...


class OfficeDatabaseBox(QGroupBox):
    """The database address (empty: this PC's file) and the shared attachment folder."""

    def __init__(
        self,
        settings: SettingsReader,
        save: Callable[[Any, Any], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Cơ sở dữ liệu dùng chung của cơ quan"), parent)
        self._settings = settings
        self._save = save
        self.url_edit = QLineEdit()
        self.url_edit.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.url_edit.setPlaceholderText("postgresql://dvcdesk:…@may-chu:5432/dvcdesk")
        self.store_edit = QLineEdit()
        self.store_edit.setPlaceholderText(self.tr("Thư mục trên máy chủ tệp, ví dụ /mnt/dvc"))
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.error_label.hide()
        note = QLabel(
            self.tr(
                "Để trống: dữ liệu ở trên máy này. Dán địa chỉ do lệnh "
                "scripts/office-db-setup.sh in ra để nhiều máy dùng chung một hàng chờ. "
                "Có hiệu lực sau khi mở lại ứng dụng."
            )
        )
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("Địa chỉ cơ sở dữ liệu"), self.url_edit)
        form.addRow("", self.error_label)
        form.addRow(self.tr("Kho tệp dùng chung"), self.store_edit)
        form.addRow("", note)
        self.url_edit.setText(str(settings.get(DATABASE_URL)))
        self.store_edit.setText(str(settings.get(SHARED_STORE)))
        self.url_edit.editingFinished.connect(self._on_url_edit_finished)
        self.store_edit.editingFinished.connect(self._on_store_edit_finished)

    @Slot()
    def _on_url_edit_finished(self) -> None:
        value = self.url_edit.text().strip()
        if value == str(self._settings.get(DATABASE_URL)):
            return
        try:
            DATABASE_URL.validate(value)
        except DvcError as exc:
            self.error_label.setText(exc.message())
            self.error_label.show()
            return
        self.error_label.hide()
        self._save(DATABASE_URL, value)

    @Slot()
    def _on_store_edit_finished(self) -> None:
        value = self.store_edit.text().strip()
        if value != str(self._settings.get(SHARED_STORE)):
            self._save(SHARED_STORE, value)
