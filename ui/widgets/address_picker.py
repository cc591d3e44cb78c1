"""An address after the 2025 reorganisation: a province (34 units), a commune, the rest."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from desktop.dossier.addresses import provinces, resolve_province
from desktop.dossier.model import Address


class AddressPicker(QWidget):
    """Province from the 34 in force since 1 July 2025; commune and street as free text.

    A province stored under a former name (before the merger) is shown as typed, in
    italics at the end of the list, so nothing the clerk entered is lost; validation
    says which province it belongs to now.
    """

    sig_part_edited = Signal(str, str)
    """The clerk changed one part: `province`, `commune` or `detail`, and its value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self.province_combo = QComboBox()
        self.province_combo.setObjectName("province")
        self.province_combo.addItem(self.tr("— Chọn tỉnh, thành phố —"), "")
        for name in provinces():
            self.province_combo.addItem(name, name)
        self.province_combo.setMaxVisibleItems(20)
        self.commune_edit = QLineEdit()
        self.commune_edit.setObjectName("commune")
        self.commune_edit.setPlaceholderText(self.tr("Xã, phường, đặc khu"))
        self.detail_edit = QLineEdit()
        self.detail_edit.setObjectName("detail")
        self.detail_edit.setPlaceholderText(self.tr("Số nhà, đường, thôn, xóm"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.province_combo, 2)
        layout.addWidget(self.commune_edit, 2)
        layout.addWidget(self.detail_edit, 3)
        self.province_combo.currentIndexChanged.connect(self._on_province_combo_changed)
        self.commune_edit.textEdited.connect(lambda text: self._edited("commune", text))
        self.detail_edit.textEdited.connect(lambda text: self._edited("detail", text))

    def part_widget(self, part: str) -> QWidget:
        """The widget of `province`, `commune` or `detail` (to focus it)."""
        return {"province": self.province_combo, "commune": self.commune_edit}.get(
            part, self.detail_edit
        )

    def set_address(self, address: Address) -> None:
        """Show `address` without reporting edits."""
        self._loading = True
        try:
            index = self.province_combo.findData(address.province)
            if index < 0 and address.province:
                match = resolve_province(address.province)
                label = address.province
                if match is not None and match.former is not None:
                    label = self.tr("{old} (nay thuộc {new})").format(
                        old=address.province, new=match.name
                    )
                self.province_combo.addItem(label, address.province)
                index = self.province_combo.count() - 1
            self.province_combo.setCurrentIndex(max(index, 0))
            if self.commune_edit.text() != address.commune:
                self.commune_edit.setText(address.commune)
            if self.detail_edit.text() != address.detail:
                self.detail_edit.setText(address.detail)
        finally:
            self._loading = False

    @Slot(int)
    def _on_province_combo_changed(self, _index: int) -> None:
        self._edited("province", str(self.province_combo.currentData() or ""))

    def _edited(self, part: str, value: str) -> None:
        if not self._loading:
            self.sig_part_edited.emit(part, value)
