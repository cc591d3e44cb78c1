"""Convert an old address, typed as written on a paper, to the unit in force.

The clerk types the address ("xa dak pxi, huyen dak ha, kon tum") and presses Enter.
The core (desktop.dossier.address_resolve) answers with the unit, or with candidates and
the sentence saying why the clerk must choose (a split commune, two of the same name);
the candidates take the keyboard focus: Up/Down, Enter. Nothing is chosen silently.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.dossier.address_resolve import EXACT, Resolution, resolve
from desktop.dossier.admin_units import Commune, units


def unit_label(commune: Commune) -> str:
    province = units().province(commune.province_code)
    return f"{commune.full_name}, {province.name if province else ''} ({commune.code})"


class OldAddressDialog(QDialog):
    """Ask for an old address; `chosen` is the commune in force once accepted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Đổi địa chỉ cũ sang đơn vị hành chính mới"))
        self.chosen: Commune | None = None
        self.detail = ""
        self.answer: Resolution | None = None
        self.text_edit = QLineEdit()
        self.text_edit.setObjectName("oldAddress")
        self.text_edit.setPlaceholderText(
            self.tr("Địa chỉ như trên giấy tờ, ví dụ: xã Đăk Pxi, huyện Đăk Hà, tỉnh Kon Tum")
        )
        self.reason_label = QLabel()
        self.reason_label.setWordWrap(True)
        self.reason_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.candidates = QListWidget()
        self.candidates.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Dùng đơn vị này"))
        self.ok_button.setEnabled(False)
        self.ok_button.setAutoDefault(False)
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Địa chỉ cũ (gõ không dấu được), rồi Enter:")))
        layout.addWidget(self.text_edit)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.candidates)
        layout.addWidget(self.buttons)
        self.resize(560, 320)

    def _connect_signals(self) -> None:
        self.text_edit.returnPressed.connect(self._on_text_edit_return_pressed)
        self.text_edit.textEdited.connect(self._on_text_edit_edited)
        self.candidates.itemActivated.connect(self._on_candidates_item_activated)
        self.candidates.currentItemChanged.connect(self._on_candidates_current_changed)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def look_up(self, text: str) -> Resolution:
        """Resolve `text` and show the answer (what Enter in the box does)."""
        answer = resolve(text)
        self.answer = answer
        self.detail = answer.detail
        self.reason_label.setText(answer.message())
        self.candidates.clear()
        if answer.status == EXACT and answer.commune is not None:
            self.chosen = answer.commune
            self.reason_label.setText(f"<b>{unit_label(answer.commune)}</b><br>{answer.message()}")
            self.candidates.hide()
            self.ok_button.setEnabled(True)
            self.ok_button.setDefault(True)
            return answer
        self.chosen = None
        self.ok_button.setEnabled(False)
        for commune in answer.candidates:
            item = QListWidgetItem(unit_label(commune))
            item.setData(Qt.ItemDataRole.UserRole, commune.code)
            self.candidates.addItem(item)
        self.candidates.setVisible(bool(answer.candidates))
        if answer.candidates:
            self.candidates.setFocus()
        return answer

    @Slot()
    def _on_text_edit_return_pressed(self) -> None:
        if self.chosen is not None and self.answer is not None:
            self.accept()
        elif self.text_edit.text().strip():
            self.look_up(self.text_edit.text())

    @Slot(str)
    def _on_text_edit_edited(self, _text: str) -> None:
        self.chosen, self.answer = None, None
        self.ok_button.setEnabled(False)

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_candidates_current_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        code = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        self.chosen = units().commune(str(code)) if code else None
        self.ok_button.setEnabled(self.chosen is not None)

    @Slot(QListWidgetItem)
    def _on_candidates_item_activated(self, item: QListWidgetItem) -> None:
        self.chosen = units().commune(str(item.data(Qt.ItemDataRole.UserRole)))
        if self.chosen is not None:
            self.accept()
