"""The dossier list: a table model that loads its rows page by page.

The total comes from `count()`; rows arrive through `fetchMore()` as the view scrolls,
so a list of 100,000 dossiers costs one count and one page to open. A reload (a new
filter, or a dossier that changed) runs off the GUI thread when a TaskManager is given;
a stale reload that finishes after a newer one is dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
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
from ui.tasks import TaskManager

ID_ROLE = Qt.ItemDataRole.UserRole + 1
ModelIndex = QModelIndex | QPersistentModelIndex
PAGE_SIZE = 100
MAX_RELOAD_ROWS = 1000  # DossierService.list() answers at most 1,000 rows at once


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


class DossierTableModel(QAbstractTableModel):
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
        super().__init__(parent)
        self._source = source
        self._tasks = tasks
        self._page_size = page_size
        self._state: str | None = None
        self._search: str | None = None
        self._total = 0
        self._rows: list[Any] = []
        self._generation = 0

    @property
    def total(self) -> int:
        """How many dossiers match the filter (loaded or not)."""
        return self._total

    def set_filter(self, state: str | None, search: str | None) -> None:
        self._state = state or None
        self._search = (search or "").strip() or None
        self.reload()

    def reload(self, *, keep_loaded: bool = False) -> None:
        """Count and load the first page again, in the background when possible.

        With `keep_loaded`, as many rows as are loaded now come back (up to
        MAX_RELOAD_ROWS), so a clerk scrolled down the list stays where they were.
        """
        self._generation += 1
        generation = self._generation
        state, search = self._state, self._search
        limit = self._page_size
        if keep_loaded:
            limit = min(max(limit, len(self._rows)), MAX_RELOAD_ROWS)

        def load() -> tuple[int, list[Any]]:
            total = self._source.count(state=state, search=search)
            return total, list(self._source.list(state=state, search=search, offset=0, limit=limit))

        def apply(result: tuple[int, list[Any]]) -> None:
            if generation == self._generation:
                self._reset(*result)

        if self._tasks is None:
            apply(load())
        else:
            self._tasks.run(load, on_success=apply, busy=False)

    def dossier_id(self, row: int) -> int | None:
        return int(self._rows[row].id) if 0 <= row < len(self._rows) else None

    def row_of(self, dossier_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.id == dossier_id), None)

    def _reset(self, total: int, rows: list[Any]) -> None:
        self.beginResetModel()
        self._total = total
        self._rows = rows
        self.endResetModel()
        self.sig_reloaded.emit(total)

    # --- Qt model API ------------------------------------------------------------------

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008 (Qt API)
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        # One page of light rows is a few milliseconds of SQLite: done in place, so the
        # view's scrolling stays in step with the rows it asked for.
        page = list(
            self._source.list(
                state=self._state,
                search=self._search,
                offset=len(self._rows),
                limit=self._page_size,
            )
        )
        known = {r.id for r in self._rows}
        page = [r for r in page if r.id not in known]
        if not page:
            self._total = len(self._rows)  # the list shrank since it was counted
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

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
