"""Thủ tục: search the catalog as you type, filter by agency and field, see details."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.catalog.model import Agency, Field, Procedure, ProcedureSummary
from ui.models.procedure_table import ProcedureTableModel
from ui.services import CatalogLike
from ui.tasks import TaskManager
from ui.views.procedure_details import ProcedureDetails
from ui.widgets.row_table import setup_row_table

SEARCH_DEBOUNCE_MS = 150
RESULT_LIMIT = 200


class CatalogView(QWidget):
    """The catalog screen. Searches run on the task pool; only the newest answer shows."""

    sig_create_dossier_requested = Signal(str)
    """The clerk pressed "Tạo hồ sơ": carries the procedure key."""

    sig_results_shown = Signal(int)
    """A search answer is on screen: the number of procedures in it."""

    def __init__(
        self, catalog: CatalogLike, tasks: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._tasks = tasks
        self._search_generation = 0
        self._details_generation = 0
        self._current: Procedure | None = None
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(
            self.tr("Tìm thủ tục, gõ không dấu cũng được (ví dụ: cchn duoc)")
        )
        self.search_edit.setClearButtonEnabled(True)
        self.agency_combo = QComboBox()
        self.field_combo = QComboBox()
        for combo in (self.agency_combo, self.field_combo):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(18)
        self.level_combo = QComboBox()
        self.level_combo.addItem(self.tr("Mọi cấp"), None)
        for code, label in (
            ("bo", self.tr("Cấp bộ")),
            ("tinh", self.tr("Cấp tỉnh")),
            ("xa", self.tr("Cấp xã")),
        ):
            self.level_combo.addItem(label, code)
        self._fill_agencies([])
        self._fill_fields([])

        self._build_table()
        self.result_label = QLabel()

        self.details = ProcedureDetails()
        self.create_button = QPushButton(self.tr("Tạo hồ sơ"))
        self.create_button.setEnabled(False)
        self.create_button.setDefault(True)
        self._lay_out()

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)

    def _build_table(self) -> None:
        self.model = ProcedureTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_row_table(
            self.table,
            stretch=0,
            widths=((1, 190), (2, 150), (3, 165), (4, 150)),
            alternating=True,
        )

    def _lay_out(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 3)
        filters.addWidget(self.agency_combo, 2)
        filters.addWidget(self.field_combo, 2)
        filters.addWidget(self.level_combo, 1)

        details_box = QWidget()
        details_layout = QVBoxLayout(details_box)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.details)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        details_layout.addLayout(buttons)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(details_box)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([280, 420])  # the details are what the clerk reads
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.result_label)
        layout.addWidget(self.splitter, 1)

    def _connect_signals(self) -> None:
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self._debounce.timeout.connect(self.search)
        self.agency_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.field_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.level_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.create_button.clicked.connect(self._on_create_button_clicked)

    # --- public ------------------------------------------------------------------------

    def reload_catalog(self) -> None:
        """Load the agency and field lists again, then repeat the current search."""
        catalog = self._catalog
        self._tasks.run(
            lambda: (list(catalog.agencies()), list(catalog.fields())),
            on_success=self._on_lists_loaded,
            busy=False,
        )

    @Slot()
    def search(self) -> None:
        """Run the current search now (the box normally waits for a pause in typing)."""
        self._debounce.stop()
        self._search_generation += 1
        generation = self._search_generation
        text = self.search_edit.text().strip()
        agency = self.agency_combo.currentData()
        field = self.field_combo.currentData()
        level = self.level_combo.currentData()
        # Only a chosen level is passed: "Mọi cấp" asks what the catalog always answered.
        extra = {"level": level} if level else {}
        catalog = self._catalog
        self._tasks.run(
            lambda: catalog.search(text, agency=agency, field=field, limit=RESULT_LIMIT, **extra),
            on_success=lambda rows: self._on_search_done(generation, rows),
            busy=False,
        )

    def current_procedure(self) -> Procedure | None:
        return self._current

    # --- slots -------------------------------------------------------------------------

    @Slot(str)
    def _on_search_edit_text_changed(self, _text: str) -> None:
        self._debounce.start()

    @Slot(int)
    def _on_filter_changed(self, _index: int) -> None:
        self.search()

    def _on_lists_loaded(self, lists: tuple[list[Agency], list[Field]]) -> None:
        agencies, fields = lists
        self._fill_agencies(agencies)
        self._fill_fields(fields)
        self.search()

    def _on_search_done(self, generation: int, rows: Sequence[ProcedureSummary]) -> None:
        if generation != self._search_generation:
            return  # the clerk kept typing: a newer search is on its way
        selected = self._current.key if self._current else None
        self.model.set_rows(rows)
        if len(rows) >= RESULT_LIMIT:
            self.result_label.setText(
                self.tr("%n thủ tục đầu tiên; gõ thêm để thu hẹp", "", len(rows))
            )
        else:
            self.result_label.setText(self.tr("%n thủ tục", "", len(rows)))
        row = self.model.row_of(selected) if selected else None
        if row is None and self.model.rowCount() > 0:
            row = 0
        if row is not None:
            self.table.selectRow(row)
        else:
            self._show_procedure(None)
        self.sig_results_shown.emit(len(rows))

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        summary = self.model.summary(rows[0].row()) if rows else None
        if summary is None:
            self._show_procedure(None)
            return
        if self._current is not None and self._current.key == summary.key:
            return
        self._details_generation += 1
        generation = self._details_generation
        catalog, key = self._catalog, summary.key
        self._tasks.run(
            lambda: catalog.get(key),
            on_success=lambda p: self._on_details_loaded(generation, p),
            busy=False,
        )

    def _on_details_loaded(self, generation: int, procedure: Procedure) -> None:
        if generation == self._details_generation:
            self._show_procedure(procedure)

    @Slot()
    def _on_create_button_clicked(self) -> None:
        if self._current is not None:
            self.sig_create_dossier_requested.emit(self._current.key)

    # --- helpers -----------------------------------------------------------------------

    def _show_procedure(self, procedure: Procedure | None) -> None:
        self._current = procedure
        self.create_button.setEnabled(procedure is not None)
        if procedure is None:
            self.details.show_nothing()
        else:
            self.details.show_procedure(procedure)

    def _fill_agencies(self, agencies: Sequence[Agency]) -> None:
        self._refill(
            self.agency_combo,
            self.tr("Tất cả cơ quan"),
            [(a.code, self._agency_label(a)) for a in agencies],
        )

    def _agency_label(self, agency: Agency) -> str:
        # Agencies merged away (Kon Tum's department, 2025) stay searchable for old
        # dossiers; the date says they are gone.
        if agency.valid_to is not None:
            return self.tr("{name} (đến {date})").format(
                name=agency.name, date=agency.valid_to.strftime("%d/%m/%Y")
            )
        return agency.name

    def _fill_fields(self, fields: Sequence[Field]) -> None:
        self._refill(
            self.field_combo, self.tr("Tất cả lĩnh vực"), [(f.code, f.name) for f in fields]
        )

    @staticmethod
    def _refill(combo: QComboBox, everything: str, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        try:
            combo.clear()
            combo.addItem(everything, None)
            for code, name in items:
                combo.addItem(name, code)
                combo.setItemData(combo.count() - 1, name, Qt.ItemDataRole.ToolTipRole)
            index = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(index, 0))
        finally:
            combo.blockSignals(False)
