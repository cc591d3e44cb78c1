"""The table of catalog search results."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop.catalog.model import ProcedureSummary
from desktop.display import safe_text

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
ModelIndex = QModelIndex | QPersistentModelIndex


class ProcedureTableModel(QAbstractTableModel):
    """Rows of `ProcedureSummary`, replaced as a whole by each search."""

    COLUMNS = 5

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ProcedureSummary] = []

    def set_rows(self, rows: Sequence[ProcedureSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def summary(self, row: int) -> ProcedureSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, key: str) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.key == key), None)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            cell = self._cell(row, index.column())
            return None if cell is None else safe_text(cell)  # imported catalog text
        if role == KEY_ROLE:
            return row.key
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return self._headers()[section] if 0 <= section < self.COLUMNS else None

    def _headers(self) -> tuple[str, ...]:
        return (
            self.tr("Thủ tục"),
            self.tr("Cơ quan"),
            self.tr("Lĩnh vực"),
            self.tr("Phí/lệ phí"),
            self.tr("Thời gian giải quyết"),
        )

    @staticmethod
    def _cell(row: ProcedureSummary, column: int) -> str | None:
        values = (
            row.name,
            row.agency_name,
            row.field_name,
            row.fee_summary,
            row.processing_summary,
        )
        return values[column] if 0 <= column < len(values) else None
