"""The dossier's audit trail in the editor ("Nhật ký" tab): who did what, when, from
which PC (desktop/office/audit.py). Read in the background; shown, never decided on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from ui.tasks import TaskManager

if TYPE_CHECKING:  # the audit module loads SQLAlchemy: not on the GUI thread at start-up
    from desktop.office.audit import Entry
    from desktop.office.roles import Action


class AuditReading(Protocol):
    def entries(self, dossier_id: int | None = None) -> list[Entry]: ...


class OfficeView(Protocol):
    """What the editor needs of desktop.office.service.Office."""

    @property
    def trail(self) -> AuditReading: ...

    def can(self, action: Action) -> bool: ...


class AuditPanel(QWidget):
    def __init__(self, office: OfficeView, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self._office = office
        self._tasks = tasks
        self._dossier_id: int | None = None
        self._build_ui()

    def _build_ui(self) -> None:
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels(
            [self.tr("Lúc"), self.tr("Người làm"), self.tr("Máy"), self.tr("Việc")]
        )
        self.tree.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)

    def set_dossier(self, dossier_id: int) -> None:
        """Read the trail of `dossier_id` again (after opening or a change)."""
        self._dossier_id = dossier_id
        trail = self._office.trail
        self._tasks.run(
            lambda: trail.entries(dossier_id),
            on_success=lambda entries: self._show(dossier_id, entries),
        )

    def _show(self, dossier_id: int, entries: Sequence[Entry]) -> None:
        if dossier_id != self._dossier_id:
            return  # another dossier was opened meanwhile
        self.tree.clear()
        for e in reversed(entries):  # newest first
            who = f"{e.display_name} ({e.login}, {e.role})"
            item = QTreeWidgetItem(
                [e.at.strftime("%d/%m/%Y %H:%M:%S"), who, e.host, f"{e.action}: {e.detail}"]
            )
            self.tree.addTopLevelItem(item)
