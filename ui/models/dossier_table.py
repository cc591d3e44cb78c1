"""The dossier list: a table model that loads its rows page by page.

The total comes from `count()`; rows arrive through `fetchMore()` as the view scrolls,
so a list of 100,000 dossiers costs one count and one page to open. A reload (a new
filter, or a dossier that changed) runs off the GUI thread when a TaskManager is given;
a stale reload that finishes after a newer one is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from desktop.display import safe_text
from ui.models.labels import (
    awaits_supplement,
    awaits_supplement_hint,
    format_local_time,
    state_label,
)
from ui.models.paged_table import PAGE_SIZE, Loaded, PagedTableModel
from ui.tasks import TaskManager

ID_ROLE = Qt.ItemDataRole.UserRole + 1
ModelIndex = QModelIndex | QPersistentModelIndex


class DossierRowLike(Protocol):
    """What the list shows of a dossier (the service's light row)."""

    @property
    def id(self) -> int: ...
    @property
    def procedure_name(self) -> str: ...
    @property
    def applicant_name(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def updated_at(self) -> datetime: ...


class DossierSource(Protocol):
    """The part of DossierService the list needs."""

    def list(
        self, state: str | None = None, search: str | None = None, offset: int = 0, limit: int = 50
    ) -> Sequence[Any]: ...

    def count(self, state: str | None = None, search: str | None = None) -> int: ...


def dossier_code(row: Any) -> str:
    """The portal's receipt number once there is one, else the local number."""
    receipt = getattr(row, "receipt_no", None)
    return str(receipt) if receipt else f"#{row.id}"


class DossierTableModel(PagedTableModel):
    """Dossiers matching a state filter and a search text, newest change first."""

    COLUMNS = 5

    sig_reloaded = Signal(int)
    """A reload finished: the number of dossiers matching the filter."""

    def __init__(
        self,
        source: DossierSource,
        tasks: TaskManager | None = None,
        parent: QObject | None = None,
        *,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(tasks, parent, page_size=page_size)
        self._source = source
        self._state: str | None = None
        self._search: str | None = None

    def set_filter(self, state: str | None, search: str | None) -> None:
        self._state = state or None
        self._search = (search or "").strip() or None
        self.reload()

    def dossier_id(self, row: int) -> int | None:
        return int(self._rows[row].id) if 0 <= row < len(self._rows) else None

    def row_of(self, dossier_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.id == dossier_id), None)

    def _loader(self, limit: int) -> Callable[[], Loaded]:
        source, state, search = self._source, self._state, self._search

        def load() -> Loaded:
            total = source.count(state=state, search=search)
            return total, list(source.list(state=state, search=search, offset=0, limit=limit))

        return load

    def _page(self, offset: int, limit: int) -> Sequence[Any]:
        return self._source.list(state=self._state, search=self._search, offset=offset, limit=limit)

    def _key(self, row: Any) -> int:
        return int(row.id)

    def _reloaded(self, head: Any) -> None:
        self.sig_reloaded.emit(int(head))

    # --- Qt model API ------------------------------------------------------------------

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        waiting = index.column() == 3 and awaits_supplement(
            str(row.state), getattr(row, "portal_state", None)
        )
        if role == Qt.ItemDataRole.ToolTipRole and waiting:
            return awaits_supplement_hint()
        if role == Qt.ItemDataRole.ForegroundRole and waiting:
            return QBrush(QColor("#9a5b00"))  # the clerk has something to do here
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            cell = self._cell(row, index.column())
            return None if cell is None else safe_text(cell)  # names typed or imported
        if role == ID_ROLE:
            return int(row.id)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        headers = (
            self.tr("Mã"),
            self.tr("Thủ tục"),
            self.tr("Người nộp"),
            self.tr("Trạng thái"),
            self.tr("Cập nhật"),
        )
        return headers[section] if 0 <= section < self.COLUMNS else None

    @staticmethod
    def _cell(row: Any, column: int) -> str | None:
        if column == 0:
            return dossier_code(row)
        if column == 1:
            return str(row.procedure_name)
        if column == 2:
            return str(row.applicant_name) or "—"
        if column == 3:
            return state_label(str(row.state), getattr(row, "portal_state", None))
        if column == 4:
            return format_local_time(row.updated_at)
        return None
