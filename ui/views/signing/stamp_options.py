"""How the signature shows on the page: invisible, a visible stamp, or an e-copy mark."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.signing.names import COPY_FORMS, POSITIONS
from ui.widgets.stamp_placer import StampPlacer

if TYPE_CHECKING:
    from desktop.signing.defaults import StampDefaults
    from desktop.signing.stamp import StampSpec

INVISIBLE, VISIBLE, COPY = range(3)
KINDS = {"invisible": INVISIBLE, "visible": VISIBLE, "copy": COPY}
# Where each layout goes unless the clerk picks a place (docs/signing.md, The stamp).
NATURAL_POSITION = {VISIBLE: "bottom-right", COPY: "top-right"}


class StampOptions(QWidget):
    """The stamp part of the signing dialog."""

    def __init__(self, parent: QWidget | None = None, *, preview: Path | None = None) -> None:
        super().__init__(parent)
        self.invisible_radio = QRadioButton(self.tr("Chữ ký số không hiển thị trên trang"))
        self.visible_radio = QRadioButton(self.tr("Hiện chữ ký (ảnh chữ ký, con dấu)"))
        self.copy_radio = QRadioButton(self.tr("Bản sao điện tử (SAO Y, SAO LỤC, TRÍCH SAO)"))
        self.group = QButtonGroup(self)
        for index, radio in enumerate((self.invisible_radio, self.visible_radio, self.copy_radio)):
            self.group.addButton(radio, index)
        self.invisible_radio.setChecked(True)

        self.page_spin = QSpinBox()
        self.page_spin.setRange(1, 9999)
        self.position_combo = QComboBox()
        names = {
            "bottom-right": self.tr("Góc dưới bên phải"),
            "bottom-left": self.tr("Góc dưới bên trái"),
            "bottom-center": self.tr("Giữa phía dưới"),
            "top-right": self.tr("Góc trên bên phải"),
            "top-left": self.tr("Góc trên bên trái"),
        }
        for position in POSITIONS:
            self.position_combo.addItem(names.get(position, position), position)
        self.signature_edit, self._signature_row = self._image_row()
        self.seal_edit, self._seal_row = self._image_row()
        self.copy_combo = QComboBox()
        self.copy_combo.addItems(list(COPY_FORMS))
        self.agency_edit = QLineEdit()
        self.agency_edit.setPlaceholderText(self.tr("Tên cơ quan, tổ chức sao"))

        self.details = QWidget()
        details_layout = QHBoxLayout(self.details)
        details_layout.setContentsMargins(24, 0, 0, 0)
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        form.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(form_widget, 1)
        details_layout.addWidget(self._build_placer(preview), 1)
        form.addRow(self.tr("Trang"), self.page_spin)
        form.addRow(self.tr("Vị trí"), self.position_combo)
        form.addRow(self.tr("Ảnh chữ ký"), self._signature_row)
        form.addRow(self.tr("Ảnh con dấu"), self._seal_row)
        form.addRow(self.tr("Hình thức sao"), self.copy_combo)
        form.addRow(self.tr("Cơ quan sao"), self.agency_edit)
        self._form = form

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for radio in (self.invisible_radio, self.visible_radio, self.copy_radio):
            layout.addWidget(radio)
        layout.addWidget(self.details)
        self._position_chosen = False  # the clerk picked a place: keep it across modes
        self.position_combo.activated.connect(self._on_position_combo_activated)
        self.group.idToggled.connect(self._on_group_id_toggled)
        self.page_spin.valueChanged.connect(lambda page: self.placer.set_page(page - 1))
        self.placer.sig_box_changed.connect(self._update)
        self.clear_box_button.clicked.connect(self.placer.clear_box)
        self._update()

    def set_defaults(self, defaults: StampDefaults) -> None:
        """Start on the default stamp of the settings (Cài đặt › Chữ ký mặc định)."""
        self.signature_edit.setText(defaults.signature_image)
        self.seal_edit.setText(defaults.seal_image)
        if defaults.copy_form in COPY_FORMS:
            self.copy_combo.setCurrentText(defaults.copy_form)
        self.agency_edit.setText(defaults.copy_agency)
        button = self.group.button(KINDS.get(defaults.kind, INVISIBLE))
        if button is not None:
            button.setChecked(True)

    def _on_position_combo_activated(self, _index: int) -> None:
        self._position_chosen = True

    def _on_group_id_toggled(self, mode: int, checked: bool) -> None:
        if checked and not self._position_chosen and mode in NATURAL_POSITION:
            # The e-copy mark belongs top right, the signature bottom right.
            self.position_combo.setCurrentIndex(
                self.position_combo.findData(NATURAL_POSITION[mode])
            )
        self._update()

    def _build_placer(self, preview: Path | None) -> QWidget:
        """The page to drag the stamp's box on (hidden when there is no PDF to show)."""
        self.placer = StampPlacer()
        self.placer_hint = QLabel(
            self.tr("Kéo chuột trên trang để đặt khung chữ ký (không kéo: dùng «Vị trí»).")
        )
        self.placer_hint.setWordWrap(True)
        self.clear_box_button = QPushButton(self.tr("Bỏ khung đã kéo"))
        self.box_label = QLabel()
        has_preview = preview is not None and self.placer.load(preview)
        if has_preview:
            self.page_spin.setRange(1, max(self.placer.page_count(), 1))

        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.placer_hint)
        layout.addWidget(self.placer, 1)
        layout.addWidget(self.box_label)
        layout.addWidget(self.clear_box_button)
        column.setVisible(has_preview)
        return column

    def _image_row(self) -> tuple[QLineEdit, QWidget]:
        edit = QLineEdit()
        edit.setPlaceholderText(self.tr("Tệp PNG (không bắt buộc)"))
        button = QPushButton(self.tr("Chọn…"))
        button.clicked.connect(lambda: self._choose_image(edit))
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(edit, 1)
        layout.addWidget(button)
        return edit, row

    def _choose_image(self, edit: QLineEdit) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Chọn ảnh"), "", self.tr("Ảnh PNG (*.png)")
        )
        if path:
            edit.setText(path)

    def _update(self) -> None:
        mode = self.group.checkedId()
        self.details.setVisible(mode != INVISIBLE)
        for row in (self._signature_row, self._seal_row):
            self._form.setRowVisible(row, mode == VISIBLE)
        for field in (self.copy_combo, self.agency_edit):
            self._form.setRowVisible(field, mode == COPY)
        box = self.placer.box
        self.position_combo.setEnabled(box is None)
        self.clear_box_button.setEnabled(box is not None)
        if box is None:
            self.box_label.clear()
        else:
            self.box_label.setText(
                self.tr("Khung trên trang %1: %2 × %3 pt, cách mép trái %4 pt, mép dưới %5 pt")
                .replace("%1", str(self.placer.page + 1))
                .replace("%2", f"{box[2] - box[0]:.0f}")
                .replace("%3", f"{box[3] - box[1]:.0f}")
                .replace("%4", f"{box[0]:.0f}")
                .replace("%5", f"{box[1]:.0f}")
            )

    def stamp(self) -> StampSpec | None:
        """The core's StampSpec for the choices on screen (None: invisible)."""
        from desktop.signing.stamp import StampSpec

        mode = self.group.checkedId()
        if mode == INVISIBLE:
            return None
        page, position = self.page_spin.value(), str(self.position_combo.currentData())
        rect = self.placer.box  # in PDF points of `page`; the core uses it as given
        if mode == COPY:
            return StampSpec(
                kind="copy",
                page=page,
                rect=rect,
                position=position,
                copy_form=self.copy_combo.currentText(),
                copy_agency=self.agency_edit.text().strip(),
            )
        signature, seal = self.signature_edit.text().strip(), self.seal_edit.text().strip()
        return StampSpec(
            page=page,
            rect=rect,
            position=position,
            signature_image=Path(signature) if signature else None,
            seal_image=Path(seal) if seal else None,
        )
