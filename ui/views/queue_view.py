"""Hàng đợi gửi: what waits to be sent, how far each upload is, and what went wrong.

"Gửi ngay" wakes the sync engine (every waiting item is tried at once); "Rút và sửa"
takes an item back before the portal got it and opens a new draft version to edit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.models.queue_table import (
    COLUMN_ERROR,
    COLUMN_SENT,
    PROGRESS_ROLE,
    OutboxSource,
    QueueTableModel,
    last_error_text,
    outbox_state_label,
)
from ui.tasks import Lane, TaskManager
from ui.widgets.receipt_dialog import ReceiptDialog
from ui.widgets.row_table import setup_row_table


class Withdrawing(OutboxSource, Protocol):
    def withdraw(self, dossier_id: int, reason: str = ...) -> Any: ...


class ProgressDelegate(QStyledItemDelegate):
    """Bytes sent of total as a progress bar with the text on it."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        value = index.data(PROGRESS_ROLE)
        if not value:
            super().paint(painter, option, index)
            return
        sent, total = value
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(2, 3, -2, -3)
        bar.minimum, bar.maximum = 0, 1000
        bar.progress = int(1000 * sent / total) if total else 0
        bar.text = str(index.data())
        bar.textVisible = True
        bar.state = option.state
        style = QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter)


class QueueView(QWidget):
    """The outbox table, the selected item's error in full, and the two actions."""

    sig_edit_requested = Signal(int)
    """An item was withdrawn: the id of the new draft version to edit."""

    sig_error = Signal(object)
    """An action was refused: the exception."""

    sig_open_requested = Signal(int)
    """"Mở hồ sơ" in a receipt: the dossier to show."""

    def __init__(
        self,
        outbox: Withdrawing,
        tasks: TaskManager,
        sync_now: Callable[[], None] | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._outbox = outbox
        self._tasks = tasks
        self._sync_now = sync_now
        self.model = QueueTableModel(outbox, tasks, self)
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(COLUMN_SENT, ProgressDelegate(self.table))
        setup_row_table(
            self.table,
            stretch=COLUMN_ERROR,
            widths=((0, 150), (1, 150), (2, 190), (3, 80), (4, 130)),
        )
        self.details_label = QLabel()
        self.details_label.setWordWrap(True)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty_label = QLabel(
            self.tr("Hàng đợi trống. Hồ sơ bấm «Nộp» sẽ vào đây và tự gửi khi có mạng.")
        )
        self.empty_label.setStyleSheet("color: palette(mid); padding: 16px;")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.send_button = QPushButton(self.tr("Gửi ngay"))
        self.send_button.setEnabled(self._sync_now is not None)
        self.withdraw_button = QPushButton(self.tr("Rút và sửa"))
        self.withdraw_button.setEnabled(False)
        self.receipt_button = QPushButton(self.tr("Xem biên nhận"))
        self.receipt_button.setEnabled(False)
        self.receipt_dialog: ReceiptDialog | None = None
        buttons = QHBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.withdraw_button)
        buttons.addWidget(self.receipt_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.details_label)

    def _connect_signals(self) -> None:
        self.send_button.clicked.connect(self._on_send_button_clicked)
        self.withdraw_button.clicked.connect(self._on_withdraw_button_clicked)
        self.receipt_button.clicked.connect(self.open_receipt)
        self.table.doubleClicked.connect(self.open_receipt)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.sig_reloaded.connect(self._on_model_reloaded)

    def refresh(self) -> None:
        self.model.reload()

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    @Slot(int)
    def _on_model_reloaded(self, count: int) -> None:
        self.empty_label.setVisible(count == 0)
        self._on_selection_changed()

    @Slot()
    def _on_selection_changed(self) -> None:
        row = self.selected_row()
        entry = self.model.entry(row) if row is not None else None
        from desktop.sync.items import WITHDRAWABLE  # loaded by the workspace by now

        self.withdraw_button.setEnabled(entry is not None and entry.state in WITHDRAWABLE)
        self.receipt_button.setEnabled(entry is not None and bool(entry.receipt_no))
        if entry is None:
            self.details_label.clear()
            return
        text = self.tr("Hồ sơ #{id}: {state}.").format(
            id=entry.dossier_id, state=outbox_state_label(entry.state)
        )
        error = last_error_text(entry)
        if error:
            text += " " + error
        self.details_label.setText(text)

    @Slot()
    def open_receipt(self) -> None:
        """Show the portal's receipt of the selected item (once the portal gave one)."""
        row = self.selected_row()
        entry = self.model.entry(row) if row is not None else None
        if entry is None or not entry.receipt_no:
            return
        dialog = ReceiptDialog(entry, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_open_dossier.connect(self.sig_open_requested.emit)
        self.receipt_dialog = dialog
        dialog.open()

    @Slot()
    def _on_send_button_clicked(self) -> None:
        if self._sync_now is not None:
            self._tasks.run(self._sync_now, on_failure=self.sig_error.emit, busy=False)

    @Slot()
    def _on_withdraw_button_clicked(self) -> None:
        row = self.selected_row()
        entry = self.model.entry(row) if row is not None else None
        if entry is None:
            return
        outbox, dossier_id = self._outbox, entry.dossier_id
        self._tasks.run(
            lambda: outbox.withdraw(dossier_id),
            on_success=lambda dossier: self._withdrawn(int(dossier.id)),
            on_failure=self.sig_error.emit,
            lane=Lane.WRITE,
        )

    def _withdrawn(self, new_id: int) -> None:
        self.refresh()
        self.sig_edit_requested.emit(new_id)
