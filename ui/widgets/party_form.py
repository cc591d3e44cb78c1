"""The applicant's or the submitter's form, generated from the dossier's field keys.

The keys are `desktop.dossier.fields.PARTY_FIELDS` under a prefix (`applicant` or
`submitter`); every edit is reported as `(key, value)` for the editor to save.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QWidget

from desktop.dossier.fields import PARTY_FIELDS
from desktop.dossier.model import ORGANISATION, PERSON, Party
from ui.widgets.address_picker import AddressPicker
from ui.widgets.field_row import FieldRow

PERSON_ONLY = ("id_number", "date_of_birth", "gender")
ORGANISATION_ONLY = ("tax_code", "representative")
GENDERS = ("Nam", "Nữ", "Khác")


def display_date(value: str) -> str:
    """ISO `YYYY-MM-DD` as the clerk writes it (dd/mm/yyyy); anything else as typed."""
    parts = value.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4:
        return f"{parts[2]}/{parts[1]}/{parts[0]}"
    return value


class PartyForm(QWidget):
    """Kind, name, identity, contact and address of one party."""

    sig_field_edited = Signal(str, str)
    """The clerk changed a field: its dossier key (e.g. `applicant.phone`) and value."""

    def __init__(self, prefix: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prefix = prefix
        self._loading = False
        self.rows: dict[str, FieldRow] = {}
        self._build_ui()

    def _build_ui(self) -> None:
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(self.tr("Cá nhân"), PERSON)
        self.kind_combo.addItem(self.tr("Tổ chức"), ORGANISATION)
        self.gender_combo = QComboBox()
        self.gender_combo.addItem(self.tr("— Chưa chọn —"), "")
        genders = (self.tr("Nam"), self.tr("Nữ"), self.tr("Khác"))
        for gender, label in zip(GENDERS, genders, strict=True):
            self.gender_combo.addItem(label, gender)
        self.address = AddressPicker()
        self.edits: dict[str, QLineEdit] = {}
        placeholders = {
            "id_number": self.tr("12 chữ số"),
            "date_of_birth": self.tr("ngày/tháng/năm, ví dụ 05/03/1990"),
            "phone": self.tr("ví dụ 0912 345 678"),
            "email": self.tr("ví dụ ten@example.vn"),
            "tax_code": self.tr("10 chữ số (hoặc 10-3)"),
        }
        for name in ("name", "id_number", "date_of_birth", "phone", "email", "tax_code"):
            edit = QLineEdit()
            edit.setObjectName(f"{self.prefix}.{name}")
            edit.setPlaceholderText(placeholders.get(name, ""))
            edit.textEdited.connect(lambda text, name=name: self._edited(name, text))
            self.edits[name] = edit
        self.edits["representative"] = QLineEdit()
        self.edits["representative"].textEdited.connect(
            lambda text: self._edited("representative", text)
        )
        widgets: dict[str, QWidget] = {
            "kind": self.kind_combo,
            "gender": self.gender_combo,
            "address": self.address,
            **self.edits,
        }
        labels = {
            "kind": self.tr("Là"),
            "name": self.tr("Họ và tên *"),
            "id_number": self.tr("Số CCCD *"),
            "date_of_birth": self.tr("Ngày sinh"),
            "gender": self.tr("Giới tính"),
            "phone": self.tr("Điện thoại *"),
            "email": self.tr("Thư điện tử"),
            "tax_code": self.tr("Mã số thuế"),
            "representative": self.tr("Người đại diện *"),
            "address": self.tr("Địa chỉ *"),
        }
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self._order = [n for n in PARTY_FIELDS if not n.startswith("address.")] + ["address"]
        for name in self._order:
            row = FieldRow(widgets[name])
            self.rows[name] = row
            self.form.addRow(labels[name], row)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_changed)
        self.gender_combo.currentIndexChanged.connect(self._on_gender_combo_changed)
        self.address.sig_part_edited.connect(
            lambda part, value: self._edited(f"address.{part}", value)
        )
        self._show_kind(PERSON)

    # --- public ------------------------------------------------------------------------

    def set_party(self, party: Party) -> None:
        """Show `party` (the stored values) without reporting edits; the field with the
        focus keeps what the clerk is typing."""
        self._loading = True
        try:
            self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(party.kind), 0))
            self.gender_combo.setCurrentIndex(max(self.gender_combo.findData(party.gender), 0))
            for name, edit in self.edits.items():
                value = str(getattr(party, name))
                if name == "date_of_birth":
                    value = display_date(value)
                if not edit.hasFocus() and edit.text() != value:
                    edit.setText(value)
            self.address.set_address(party.address)
            self._show_kind(party.kind)
        finally:
            self._loading = False

    def field_widget(self, key: str) -> QWidget | None:
        """The widget for a problem's field path under this prefix, or None."""
        if not key.startswith(self.prefix + "."):
            return None
        name = key.removeprefix(self.prefix + ".")
        if name.startswith("address"):
            return self.address.part_widget(name.rpartition(".")[2])
        row = self.rows.get(name)
        return row.widget if row is not None else None

    def show_problems(self, messages: dict[str, tuple[str, bool]]) -> None:
        """`messages` maps field paths to (sentence, is_warning); others are cleared."""
        for name, row in self.rows.items():
            key = f"{self.prefix}.{name}"
            found = [v for k, v in messages.items() if k == key or k.startswith(key + ".")]
            text = "\n".join(t for t, _ in found)
            row.show_message(text, warning=bool(found) and all(w for _, w in found))

    # --- slots -------------------------------------------------------------------------

    @Slot(int)
    def _on_kind_combo_changed(self, _index: int) -> None:
        kind = str(self.kind_combo.currentData())
        self._show_kind(kind)
        self._edited("kind", kind)

    @Slot(int)
    def _on_gender_combo_changed(self, _index: int) -> None:
        self._edited("gender", str(self.gender_combo.currentData()))

    def _show_kind(self, kind: str) -> None:
        organisation = kind == ORGANISATION
        for name in PERSON_ONLY:
            self.form.setRowVisible(self.rows[name], not organisation)
        for name in ORGANISATION_ONLY:
            self.form.setRowVisible(self.rows[name], organisation)
        label = self.form.labelForField(self.rows["name"])
        if label is not None:
            text = self.tr("Tên tổ chức *") if organisation else self.tr("Họ và tên *")
            label.setProperty("text", text)

    def _edited(self, name: str, value: str) -> None:
        if not self._loading:
            self.sig_field_edited.emit(f"{self.prefix}.{name}", value)
