"""Cài đặt › Chữ ký mặc định: the stamp the signing dialog starts on, and the one
`dvc-desk sign` / `dossier sign` use when no stamp option is given.

Image paths are checked here before saving (the core's own check, a few bytes read),
so a wrong path is explained under the field at once and never saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop.errors import DvcError
from desktop.settings import (
    DEFAULT_STAMP,
    DEFAULT_STAMP_COPY_AGENCY,
    DEFAULT_STAMP_COPY_FORM,
    DEFAULT_STAMP_SEAL_IMAGE,
    DEFAULT_STAMP_SIGNATURE_IMAGE,
    Setting,
)
from desktop.signing.names import COPY_FORMS

ERROR_COLOUR = "#b3261e"


class SettingsReader(Protocol):
    def get(self, setting: Any) -> Any: ...


class ImageRow(QWidget):
    """A PNG path: typed or chosen, cleared with «Bỏ ảnh»; its problem shown below."""

    def __init__(self, setting: Setting[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setting = setting
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(self.tr("Tệp PNG, đường dẫn đầy đủ (không bắt buộc)"))
        self.choose_button = QPushButton(self.tr("Chọn…"))
        self.clear_button = QPushButton(self.tr("Bỏ ảnh"))
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.error_label.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.choose_button)
        row.addWidget(self.clear_button)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(row)
        form.addRow(self.error_label)
        self.choose_button.clicked.connect(self._on_choose_button_clicked)

    @Slot()
    def _on_choose_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Chọn ảnh"), "", self.tr("Ảnh PNG (*.png)")
        )
        if path:
            self.edit.setText(path)
            self.edit.editingFinished.emit()

    def checked_value(self) -> str | None:
        """The path if the core accepts it (empty is fine), else None with the reason shown."""
        value = self.edit.text().strip()
        try:
            self.setting.validate(value)
        except DvcError as exc:
            self.error_label.setText(exc.message())
            self.error_label.show()
            return None
        self.error_label.hide()
        return value


class DefaultStampBox(QGroupBox):
    """The «Chữ ký mặc định» group; `save(setting, value)` stores a change."""

    def __init__(
        self,
        settings: SettingsReader,
        save: Callable[[Setting[Any], Any], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Chữ ký mặc định"), parent)
        self._settings = settings
        self._save = save
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(self.tr("Không hiện trên trang"), "invisible")
        self.kind_combo.addItem(self.tr("Hiện chữ ký (ảnh chữ ký, con dấu)"), "visible")
        self.kind_combo.addItem(self.tr("Bản sao điện tử (SAO Y, SAO LỤC, TRÍCH SAO)"), "copy")
        self.signature_row = ImageRow(DEFAULT_STAMP_SIGNATURE_IMAGE)
        self.seal_row = ImageRow(DEFAULT_STAMP_SEAL_IMAGE)
        self.copy_combo = QComboBox()
        self.copy_combo.addItems(list(COPY_FORMS))
        self.agency_edit = QLineEdit()
        self.agency_edit.setPlaceholderText(self.tr("Để trống: dùng tên tổ chức trong chứng thư"))
        note = QLabel(
            self.tr(
                "Hộp thoại Ký số bắt đầu với lựa chọn này (vẫn đổi được khi ký). Lệnh "
                "dvc-desk sign và dossier sign cũng dùng nó khi không có tuỳ chọn nào về dấu."
            )
        )
        note.setWordWrap(True)
        self._form = QFormLayout(self)
        self._form.addRow(self.tr("Hình thức"), self.kind_combo)
        self._form.addRow(self.tr("Ảnh chữ ký"), self.signature_row)
        self._form.addRow(self.tr("Ảnh con dấu"), self.seal_row)
        self._form.addRow(self.tr("Hình thức sao"), self.copy_combo)
        self._form.addRow(self.tr("Cơ quan sao"), self.agency_edit)
        self._form.addRow("", note)
        self.load()
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_changed)
        self.copy_combo.currentIndexChanged.connect(self._on_copy_combo_changed)
        self.agency_edit.editingFinished.connect(self._on_agency_edit_finished)
        for row in (self.signature_row, self.seal_row):
            row.edit.editingFinished.connect(lambda row=row: self._save_image(row))
            row.clear_button.clicked.connect(lambda _=False, row=row: self._clear_image(row))

    def load(self) -> None:
        """Show the saved values (without saving them again)."""
        for widget in (self.kind_combo, self.copy_combo):
            widget.blockSignals(True)
        self.kind_combo.setCurrentIndex(
            max(0, self.kind_combo.findData(self._settings.get(DEFAULT_STAMP)))
        )
        self.copy_combo.setCurrentText(str(self._settings.get(DEFAULT_STAMP_COPY_FORM)))
        for widget in (self.kind_combo, self.copy_combo):
            widget.blockSignals(False)
        self.signature_row.edit.setText(str(self._settings.get(DEFAULT_STAMP_SIGNATURE_IMAGE)))
        self.seal_row.edit.setText(str(self._settings.get(DEFAULT_STAMP_SEAL_IMAGE)))
        self.agency_edit.setText(str(self._settings.get(DEFAULT_STAMP_COPY_AGENCY)))
        self._update_rows()

    def _update_rows(self) -> None:
        kind = self.kind_combo.currentData()
        for row in (self.signature_row, self.seal_row):
            self._form.setRowVisible(row, kind == "visible")
        for field in (self.copy_combo, self.agency_edit):
            self._form.setRowVisible(field, kind == "copy")

    def _save_image(self, row: ImageRow) -> None:
        value = row.checked_value()
        if value is not None and value != self._settings.get(row.setting):
            self._save(row.setting, value)

    def _clear_image(self, row: ImageRow) -> None:
        row.edit.clear()
        self._save_image(row)

    @Slot(int)
    def _on_kind_combo_changed(self, _index: int) -> None:
        self._update_rows()
        self._save(DEFAULT_STAMP, str(self.kind_combo.currentData()))

    @Slot(int)
    def _on_copy_combo_changed(self, _index: int) -> None:
        self._save(DEFAULT_STAMP_COPY_FORM, self.copy_combo.currentText())

    @Slot()
    def _on_agency_edit_finished(self) -> None:
        agency = self.agency_edit.text().strip()
        if agency != self._settings.get(DEFAULT_STAMP_COPY_AGENCY):
            self._save(DEFAULT_STAMP_COPY_AGENCY, agency)
