""" "Chuyển sang ấn bản mới": the diff of components, and a question for each component
the new edition no longer has (where its files go) and for a case it no longer has.

The dialog only collects the clerk's answers; DossierService.move_to_edition moves
(and refuses, writing nothing, while a file has no place)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.dossier.edition_move import EditionMove, choices
from desktop.errors import language


class EditionMoveDialog(QDialog):
    """Shows `move` (a plan) and asks what cannot be mapped."""

    def __init__(self, move: EditionMove, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._move = move
        self.setWindowTitle(self.tr("Chuyển hồ sơ sang ấn bản mới"))
        layout = QVBoxLayout(self)
        head = QLabel(
            self.tr("Ấn bản %1 → %2. Các tệp đính kèm giữ theo mã thành phần. Thay đổi:")
            .replace("%1", str(move.old or "—"))
            .replace("%2", str(move.new))
        )
        head.setWordWrap(True)
        layout.addWidget(head)
        changes = QLabel(
            "\n".join(move.diff.lines(language())) or self.tr("(không khác về thành phần hồ sơ)")
        )
        changes.setTextFormat(Qt.TextFormat.PlainText)
        changes.setWordWrap(True)
        layout.addWidget(changes)
        form = QFormLayout()
        self.case_combo: QComboBox | None = None
        if move.case_gone:
            self.case_combo = QComboBox()
            for case in move.procedure.cases:
                self.case_combo.addItem(f"{case.code}. {case.name}", case.code)
            self.case_combo.currentIndexChanged.connect(self._fill_targets)
            form.addRow(self.tr("Trường hợp mới:"), self.case_combo)
        self.target_combos: dict[str, QComboBox] = {}
        for unplaced in move.unplaced:
            combo = QComboBox()
            self.target_combos[unplaced.component] = combo
            label = self.tr("%1 (%2), tệp: %3").replace("%1", unplaced.component)
            label = label.replace("%2", unplaced.name).replace("%3", ", ".join(unplaced.files))
            form.addRow(QLabel(label), combo)
        layout.addLayout(form)
        if move.unplaced:
            ask = QLabel(self.tr("Chọn thành phần mới cho các tệp của thành phần đã bị bỏ."))
            ask.setWordWrap(True)
            layout.addWidget(ask)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Chuyển"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._fill_targets()

    def _fill_targets(self) -> None:
        specs = choices(self._move.procedure, self.case())
        for combo in self.target_combos.values():
            combo.clear()
            for spec in specs:
                combo.addItem(f"{spec.code}. {spec.name}", spec.code)

    def case(self) -> str | None:
        if self.case_combo is None:
            return self._move.case_code
        code = self.case_combo.currentData()
        return str(code) if code is not None else None

    def mapping(self) -> dict[str, str]:
        """Old component code → the new component chosen for its files."""
        return {
            old: str(combo.currentData())
            for old, combo in self.target_combos.items()
            if combo.currentData() is not None
        }

    def chosen_case(self) -> str | None:
        """The new case when the dossier's case is gone, else None (unchanged)."""
        return self.case() if self.case_combo is not None else None
