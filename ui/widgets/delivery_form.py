"""Optional services: collect the dossier at home, return the result by post."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from desktop.dossier.model import Delivery
from ui.widgets.address_picker import AddressPicker
from ui.widgets.field_row import FieldRow

OPTIONS = (("collect_at_home", "collect_address"), ("return_by_post", "return_address"))


class DeliveryForm(QWidget):
    """Two options, each with the address it needs (enabled when chosen)."""

    sig_field_edited = Signal(str, str)
    """The clerk changed an option or an address part: its dossier key and value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self.checks: dict[str, QCheckBox] = {
            "collect_at_home": QCheckBox(self.tr("Thu gom hồ sơ tại nhà (dịch vụ bưu chính)")),
            "return_by_post": QCheckBox(self.tr("Trả kết quả qua bưu điện")),
        }
        self.pickers: dict[str, AddressPicker] = {}
        self.rows: dict[str, FieldRow] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for flag, address in OPTIONS:
            picker = AddressPicker()
            picker.setEnabled(False)
            self.pickers[address] = picker
            self.rows[address] = FieldRow(picker)
            layout.addWidget(self.checks[flag])
            layout.addWidget(self.rows[address])
            self.checks[flag].toggled.connect(
                lambda on, flag=flag, picker=picker: self._on_check_toggled(flag, picker, on)
            )
            picker.sig_part_edited.connect(
                lambda part, value, address=address: self._edited(
                    f"delivery.{address}.{part}", value
                )
            )

    def set_delivery(self, delivery: Delivery) -> None:
        """Show `delivery` without reporting edits."""
        self._loading = True
        try:
            for flag, address in OPTIONS:
                self.checks[flag].setChecked(bool(getattr(delivery, flag)))
                self.pickers[address].set_address(getattr(delivery, address))
        finally:
            self._loading = False

    def field_widget(self, key: str) -> QWidget | None:
        for flag, address in OPTIONS:
            if key.startswith(f"delivery.{address}"):
                part = key.rpartition(".")[2]
                picker = self.pickers[address]
                return picker.part_widget(part) if part != address else self.checks[flag]
        return None

    def show_problems(self, messages: dict[str, tuple[str, bool]]) -> None:
        for address, row in self.rows.items():
            key = f"delivery.{address}"
            found = [v for k, v in messages.items() if k == key or k.startswith(key + ".")]
            row.show_message("\n".join(t for t, _ in found), warning=False)

    def _on_check_toggled(self, flag: str, picker: AddressPicker, on: bool) -> None:
        picker.setEnabled(on)
        self._edited(f"delivery.{flag}", "yes" if on else "no")

    def _edited(self, key: str, value: str) -> None:
        if not self._loading:
            self.sig_field_edited.emit(key, value)
