"""The problems the core found in a dossier; a click goes to the field concerned."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from desktop.dossier.model import WARNING, Problem

FIELD_ROLE = Qt.ItemDataRole.UserRole


class ProblemsList(QListWidget):
    """Errors first, then warnings, each as the core's sentence."""

    sig_field_activated = Signal(str)
    """The clerk clicked a problem: the field path it concerns (e.g. `applicant.phone`)."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.itemClicked.connect(self._on_item_clicked)
        self.itemActivated.connect(self._on_item_clicked)

    def set_problems(self, problems: Sequence[Problem]) -> None:
        self.clear()
        ordered = sorted(problems, key=lambda p: p.severity == WARNING)
        for problem in ordered:
            warning = problem.severity == WARNING
            prefix = self.tr("Lưu ý") if warning else self.tr("Lỗi")
            item = QListWidgetItem(f"{prefix}: {problem.message()}")
            item.setData(FIELD_ROLE, problem.field)
            item.setForeground(QBrush(QColor("#8a5a00" if warning else "#b3261e")))
            self.addItem(item)

    def messages(self) -> list[str]:
        return [self.item(row).text() for row in range(self.count())]

    @Slot(QListWidgetItem)
    def _on_item_clicked(self, item: QListWidgetItem) -> None:
        self.sig_field_activated.emit(str(item.data(FIELD_ROLE)))
