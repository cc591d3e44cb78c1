"""An address after the 2025 reorganisation: province, then commune, then the rest.

Keyboard first: type the province (diacritics optional, a former name such as "Kon
Tum" finds Quảng Ngãi), Enter; the focus moves to the commune box, which suggests the
communes of that province as the clerk types ("cam thanh" → Phường Cẩm Thành), Enter;
then the street and hamlet. "Địa chỉ cũ…" (Alt+C) converts an address as written on an
old paper. Choosing sends the unit's code; the core stores name and code together.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLineEdit, QPushButton, QWidget

from desktop.dossier.address_search import search_communes, search_former, search_provinces
from desktop.dossier.admin_units import units
from desktop.dossier.model import Address
from ui.widgets.old_address_dialog import OldAddressDialog
from ui.widgets.unit_box import UnitBox

BROWSE_LIMIT = 200


def province_suggestions(text: str) -> list[tuple[str, str]]:
    """Provinces in force matching `text` (current or former names); all when empty."""
    found = search_provinces(text) if text.strip() else list(units().provinces)
    return [(p.name, p.code) for p in found]


class AddressPicker(QWidget):
    """Province and commune with keyboard type-ahead, the street line, old-address help."""

    sig_part_edited = Signal(str, str)
    """The clerk changed one part: `province`, `commune` (a code when chosen, else the
    text typed) or `detail`, and its value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._province_code = ""
        self.province_box = UnitBox(province_suggestions)
        self.province_box.setObjectName("province")
        self.province_box.setPlaceholderText(self.tr("Tỉnh, thành phố"))
        self.commune_box = UnitBox(self._commune_suggestions)
        self.commune_box.setObjectName("commune")
        self.commune_box.setPlaceholderText(self.tr("Xã, phường, đặc khu (gõ không dấu được)"))
        self.detail_edit = QLineEdit()
        self.detail_edit.setObjectName("detail")
        self.detail_edit.setPlaceholderText(self.tr("Số nhà, đường, thôn, xóm"))
        self.old_button = QPushButton(self.tr("Địa chỉ &cũ…"))
        self.old_button.setToolTip(
            self.tr("Đổi địa chỉ ghi trên giấy tờ cũ (trước 01/7/2025) sang đơn vị hiện hành")
        )
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.province_box, 2)
        layout.addWidget(self.commune_box, 3)
        layout.addWidget(self.detail_edit, 3)
        layout.addWidget(self.old_button)

    def _connect_signals(self) -> None:
        self.province_box.sig_unit_chosen.connect(self._on_province_box_chosen)
        self.province_box.sig_text_typed.connect(lambda text: self._edited("province", text))
        self.commune_box.sig_unit_chosen.connect(self._on_commune_box_chosen)
        self.commune_box.sig_text_typed.connect(lambda text: self._edited("commune", text))
        self.detail_edit.textEdited.connect(lambda text: self._edited("detail", text))
        self.old_button.clicked.connect(self._on_old_button_clicked)

    def part_widget(self, part: str) -> QWidget:
        """The widget of `province`, `commune` or `detail` (to focus it)."""
        return {"province": self.province_box, "commune": self.commune_box}.get(
            part, self.detail_edit
        )

    def set_address(self, address: Address) -> None:
        """Show `address` without reporting edits; the box being typed in is left alone."""
        self._loading = True
        try:
            self._province_code = address.province_code
            for box, value in (
                (self.province_box, address.province),
                (self.commune_box, address.commune),
                (self.detail_edit, address.detail),
            ):
                if not box.hasFocus() and box.text() != value:
                    box.setText(value)
        finally:
            self._loading = False

    def convert_old_address(self, dialog: OldAddressDialog) -> bool:
        """Apply what `dialog` (already answered) chose; False when nothing was chosen."""
        commune = dialog.chosen
        if commune is None:
            return False
        province = units().province(commune.province_code)
        assert province is not None
        self._province_code = province.code
        self.province_box.setText(province.name)
        self._edited("province", province.code)
        self.commune_box.setText(commune.full_name)
        self._edited("commune", commune.code)
        if dialog.detail and not self.detail_edit.text().strip():
            self.detail_edit.setText(dialog.detail)
            self._edited("detail", dialog.detail)
        self.detail_edit.setFocus()
        return True

    def _commune_suggestions(self, text: str) -> list[tuple[str, str]]:
        code = self._province_code or None
        limit = BROWSE_LIMIT if not text.strip() else 20
        found = search_communes(text, code, limit=limit) if (code or text.strip()) else []
        if not code:
            names = {p.code: p.name for p in units().provinces}
            return [(f"{c.full_name}, {names[c.province_code]}", c.code) for c in found]
        items = [(c.full_name, c.code) for c in found]
        if text.strip() and len(items) < limit:
            items += self._former_suggestions(text, code, limit - len(items))
        return items

    def _former_suggestions(self, text: str, code: str, limit: int) -> list[tuple[str, str]]:
        """A former commune's name typed: the unit(s) in force it went into, saying so."""
        items: list[tuple[str, str]] = []
        for unit in search_former(text, code, limit=limit):
            for new_code, partial in unit.went:
                commune = units().commune(new_code)
                if commune is None:
                    continue
                template = (
                    self.tr("{new} (một phần {old} cũ)")
                    if partial
                    else self.tr("{new} (gồm {old} cũ)")
                )
                label = template.format(new=commune.full_name, old=unit.full_name)
                items.append((label, commune.code))
        return items[:limit]

    @Slot(str)
    def _on_province_box_chosen(self, code: str) -> None:
        province = units().province(code)
        if province is None:
            return
        self._province_code = code
        self.province_box.setText(province.name)
        self._edited("province", code)
        self.commune_box.setFocus()

    @Slot(str)
    def _on_commune_box_chosen(self, code: str) -> None:
        commune = units().commune(code)
        if commune is None:
            return
        if commune.province_code != self._province_code:
            province = units().province(commune.province_code)
            assert province is not None
            self._province_code = province.code
            self.province_box.setText(province.name)
            self._edited("province", province.code)
        self.commune_box.setText(commune.full_name)
        self._edited("commune", code)
        self.detail_edit.setFocus()

    @Slot()
    def _on_old_button_clicked(self) -> None:
        dialog = OldAddressDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.convert_old_address(dialog)

    def _edited(self, part: str, value: str) -> None:
        if not self._loading:
            self.sig_part_edited.emit(part, value)
