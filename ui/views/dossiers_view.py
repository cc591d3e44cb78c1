"""Hồ sơ: the list of dossiers, filtered by state and searched by text."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.models.dossier_table import DossierSource, DossierTableModel
from ui.models.labels import LOCAL_STATES, local_state_label
from ui.tasks import TaskManager
from ui.widgets.row_table import setup_row_table

SEARCH_DEBOUNCE_MS = 150


class DossiersView(QWidget):
    """A lazily filled table of dossiers; reloads when a dossier changes."""

    sig_dossier_activated = Signal(int)
    """The clerk opened a dossier (double-click or Enter): its id."""

    sig_transfer_requested = Signal(list)
    """The clerk asked to hand the selected dossiers over on a USB stick: their ids."""

    sig_take_back_requested = Signal(list)
    """The clerk asked to take the selected handed-over dossiers back: their ids."""

    def __init__(
        self, dossiers: DossierSource, tasks: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._pending_select: int | None = None
        self._kept_view: tuple[int | None, int] | None = None
        self._keep_place = False
        self.model = DossierTableModel(dossiers, tasks, self)
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Tìm theo mã, người nộp hoặc thủ tục"))
        self.search_edit.setClearButtonEnabled(True)
        self.state_combo = QComboBox()
        self.state_combo.addItem(self.tr("Mọi trạng thái"), None)
        for state in LOCAL_STATES:
            self.state_combo.addItem(local_state_label(state), state)

        self.table = _DossierTable()
        self.table.setModel(self.model)
        setup_row_table(
            self.table,
            stretch=1,
            widths=((0, 150), (2, 200), (3, 170), (4, 130)),
            alternating=True,
        )

        # Several dossiers can be chosen (Ctrl/Shift) to travel in one bundle.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.transfer_button = QPushButton(self.tr("Chuyển bằng USB…"))
        self.transfer_button.setToolTip(
            self.tr("Ghi các hồ sơ đã chọn (sẵn sàng hoặc đã ký) vào một gói để mang đi nộp")
        )
        self.transfer_button.setEnabled(False)
        self.take_back_button = QPushButton(self.tr("Lấy lại…"))
        self.take_back_button.setToolTip(
            self.tr("Lấy lại hồ sơ đã chuyển đi để sửa hoặc nộp tại máy này (ghi vào lịch sử)")
        )
        self.take_back_button.setEnabled(False)

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 3)
        filters.addWidget(self.state_combo, 1)
        filters.addWidget(self.transfer_button)
        filters.addWidget(self.take_back_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: palette(mid); padding: 24px;")
        self.empty_label.hide()
        layout.addWidget(self.empty_label)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)

    def _connect_signals(self) -> None:
        self.search_edit.textChanged.connect(self._debounce.start)
        self._debounce.timeout.connect(self.apply_filter)
        self.state_combo.currentIndexChanged.connect(self.apply_filter)
        self.model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)
        self.model.sig_reloaded.connect(self._on_model_reloaded)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.transfer_button.clicked.connect(self._on_transfer_button_clicked)
        self.take_back_button.clicked.connect(self._on_take_back_button_clicked)

    @Slot()
    def apply_filter(self) -> None:
        """Reload the list with the state and text on screen."""
        self._debounce.stop()
        self.model.set_filter(self.state_combo.currentData(), self.search_edit.text())

    def refresh(self) -> None:
        """Reload after dossiers changed elsewhere, keeping the selection and the place."""
        self._keep_place = True
        self.model.reload(keep_loaded=True)

    def show_dossier(self, dossier_id: int) -> None:
        """Clear the filters so `dossier_id` is listed, and select it once it is loaded."""
        self._pending_select = dossier_id
        for widget in (self.search_edit, self.state_combo):
            widget.blockSignals(True)
        self.search_edit.clear()
        self.state_combo.setCurrentIndex(0)
        for widget in (self.search_edit, self.state_combo):
            widget.blockSignals(False)
        self.apply_filter()

    @Slot()
    def _on_model_about_to_be_reset(self) -> None:
        # A reload after a change elsewhere keeps the clerk's selection and place; a new
        # filter starts at the top.
        if self._keep_place:
            self._kept_view = (self.selected_dossier(), self.table.verticalScrollBar().value())
        self._keep_place = False

    @Slot(int)
    def _on_model_reloaded(self, total: int) -> None:
        self._show_empty_hint(total)
        kept, self._kept_view = self._kept_view, None
        if self._pending_select is not None:
            row = self.model.row_of(self._pending_select)
            self._pending_select = None
            if row is not None:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
            return
        if kept is None:
            self.table.scrollToTop()
            return
        selected, scrolled = kept
        row = self.model.row_of(selected) if selected is not None else None
        if row is not None:
            self.table.selectRow(row)
        self.table.verticalScrollBar().setValue(scrolled)

    @Slot(QModelIndex)
    def _on_table_activated(self, index: QModelIndex) -> None:
        dossier_id = self.model.dossier_id(index.row())
        if dossier_id is not None:
            self.sig_dossier_activated.emit(dossier_id)

    def _show_empty_hint(self, total: int) -> None:
        filtered = bool(self.search_edit.text().strip()) or self.state_combo.currentIndex() > 0
        if total > 0:
            self.empty_label.hide()
            return
        if filtered:
            self.empty_label.setText(self.tr("Không có hồ sơ nào khớp với bộ lọc."))
        else:
            self.empty_label.setText(
                self.tr(
                    "Chưa có hồ sơ nào. Vào mục Thủ tục, chọn thủ tục cần làm rồi bấm «Tạo hồ sơ»."
                )
            )
        self.empty_label.show()

    def selected_dossier(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.dossier_id(rows[0].row()) if rows else None

    def selected_dossiers(self) -> list[int]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [i for row in rows if (i := self.model.dossier_id(row)) is not None]

    @Slot()
    def _on_selection_changed(self) -> None:
        self.transfer_button.setEnabled(bool(self.selected_dossiers()))
        self.take_back_button.setEnabled(bool(self.selected_dossiers()))

    @Slot()
    def _on_take_back_button_clicked(self) -> None:
        chosen = self.selected_dossiers()
        if chosen:
            self.sig_take_back_requested.emit(chosen)

    @Slot()
    def _on_transfer_button_clicked(self) -> None:
        chosen = self.selected_dossiers()
        if chosen:
            self.sig_transfer_requested.emit(chosen)


class _DossierTable(QTableView):
    """Enter opens the selected dossier on every platform (not only where the style
    maps it to `activated`)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated.emit(self.currentIndex())
            return
        super().keyPressEvent(event)
