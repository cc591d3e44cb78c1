"""The sending queue (outbox) as a table: one row per item, newest first.

The queue is short (what waits to be sent plus what was sent), so the model holds
every entry and reloads as a whole after an outbox event; upload progress between
reloads updates one row's bytes in place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

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
from desktop.errors import render
from ui.models.labels import format_local_time, size_label
from ui.tasks import TaskManager

if TYPE_CHECKING:
    # Types only: importing the outbox pulls in SQLAlchemy, which the window must not
    # wait for at start-up (the workspace imports it on its own thread).
    from desktop.sync.items import OutboxEntry

Index = QModelIndex | QPersistentModelIndex
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 1  # (bytes sent, bytes total)
COLUMN_DOSSIER, COLUMN_STATE, COLUMN_SENT, COLUMN_ATTEMPTS, COLUMN_NEXT, COLUMN_ERROR = range(6)


class OutboxSource(Protocol):
    def entries(self, states: Any = None) -> list[OutboxEntry]: ...


def outbox_state_label(state: str) -> str:
    """The core's word for an outbox state (desktop/sync/items.py), as a label."""
    from desktop.sync.items import state_word

    word = state_word(state)
    return word[:1].upper() + word[1:]


def last_error_text(entry: OutboxEntry) -> str:
    """The core's sentence for the last error (it says what to do), or empty."""
    if not entry.last_error_code:
        return ""
    return render(entry.last_error_code, entry.last_error_params or {})


class QueueTableModel(QAbstractTableModel):
    """Outbox entries; `reload()` reads them on the I/O lane."""

    sig_reloaded = Signal(int)
    """A reload finished: the number of items."""

    def __init__(
        self,
        outbox: OutboxSource,
        tasks: TaskManager,
        parent: QObject | None = None,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(parent)
        self._outbox = outbox
        self._tasks = tasks
        self._now = now
        self._entries: list[OutboxEntry] = []
        self._sent: dict[int, tuple[int, int]] = {}  # dossier id → live bytes
        self._generation = 0

    def reload(self) -> None:
        self._generation += 1
        generation, outbox = self._generation, self._outbox
        self._tasks.run(
            lambda: list(reversed(outbox.entries())),
            on_success=lambda entries: self._reset(generation, entries),
            busy=False,
        )

    def _reset(self, generation: int, entries: list[OutboxEntry]) -> None:
        if generation != self._generation:
            return  # a newer reload is on its way
        self.beginResetModel()
        self._entries = entries
        self._sent.clear()
        self.endResetModel()
        self.sig_reloaded.emit(len(entries))

    def set_progress(self, dossier_id: int, sent: int, total: int) -> None:
        """Live upload progress of one dossier (between reloads)."""
        row = self.row_of(dossier_id)
        if row is None:
            return
        self._sent[dossier_id] = (int(sent), int(total))
        index = self.index(row, COLUMN_SENT)
        self.dataChanged.emit(index, index)

    def entry(self, row: int) -> OutboxEntry | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def row_of(self, dossier_id: int) -> int | None:
        return next((i for i, e in enumerate(self._entries) if e.dossier_id == dossier_id), None)

    # --- Qt model ----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else 6

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (
            self.tr("Hồ sơ"), self.tr("Trạng thái"), self.tr("Đã gửi"),
            self.tr("Số lần thử"), self.tr("Thử lại lúc"), self.tr("Lỗi gần nhất"),
        )  # fmt: skip
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entry(index.row()) if index.isValid() else None
        if entry is None:
            return None
        column = index.column()
        sent, total = self._sent.get(entry.dossier_id, (entry.bytes_sent, entry.bytes_total))
        if entry.state == "DONE":
            sent = total
        if role == PROGRESS_ROLE and column == COLUMN_SENT:
            return (sent, total)
        if role == Qt.ItemDataRole.ForegroundRole and column in (COLUMN_STATE, COLUMN_ERROR):
            if entry.state == "STOPPED":
                return QBrush(QColor("#b3261e"))
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column == COLUMN_ERROR:
            return safe_text(last_error_text(entry)) or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return safe_text(self._text(entry, column, sent, total))

    def _text(self, entry: OutboxEntry, column: int, sent: int, total: int) -> str:
        if column == COLUMN_DOSSIER:
            receipt = f" · {entry.receipt_no}" if entry.receipt_no else ""
            return f"#{entry.dossier_id}{receipt}"
        if column == COLUMN_STATE:
            return outbox_state_label(entry.state)
        if column == COLUMN_SENT:
            return f"{size_label(sent)} / {size_label(total)}"
        if column == COLUMN_ATTEMPTS:
            return str(entry.attempts)
        if column == COLUMN_NEXT:
            waiting = entry.state in ("QUEUED", "UPLOADING", "SUBMITTING")
            next_at = entry.next_attempt_at
            if next_at.tzinfo is None:
                next_at = next_at.replace(tzinfo=UTC)
            return format_local_time(next_at) if waiting and next_at > self._now() else ""
        return last_error_text(entry)
