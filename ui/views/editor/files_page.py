"""The components tab: the case (trường hợp), the checklist with what each component
still needs, "Thêm tệp…", "Gỡ tệp", "Sửa tệp", "Không áp dụng cho hồ sơ này", the
quality check, attaching with progress, and the notice of a newer edition."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.catalog.model import ComponentSpec, Procedure
from desktop.display import safe_text
from desktop.dossier import checklist
from desktop.dossier.checklist import NewerEdition
from desktop.dossier.edition_move import EditionMove
from desktop.dossier.model import Attachment, Dossier
from desktop.errors import language
from desktop.filecheck import damage
from desktop.filecheck.decide import offers_repair
from desktop.intake.quality import Issue, QualityReport
from ui.tasks import Lane, TaskManager
from ui.views.editor.services import DossierEditing, ScanChecking
from ui.widgets.components_checklist import ComponentsChecklist
from ui.widgets.edition_move_dialog import EditionMoveDialog
from ui.widgets.image_preview import IMAGE_TYPES, ImagePreview
from ui.widgets.pdf_preview import PdfPreview
from ui.widgets.quality_list import QualityList
from ui.widgets.task_progress import run_with_progress


class FilesPage(QWidget):
    """Attach files to components (from a dialog or by dropping them) and remove them."""

    sig_dossier_changed = Signal(object)
    """Files were attached or removed: the Dossier as stored now."""

    sig_failed = Signal(object)
    """Attaching or removing was refused: the exception."""

    def __init__(
        self,
        dossiers: DossierEditing,
        tasks: TaskManager,
        parent: QWidget | None = None,
        *,
        blob_path: Callable[[str], Path] | None = None,
        scans: ScanChecking | None = None,
    ):
        super().__init__(parent)
        self._dossiers = dossiers
        self._tasks = tasks
        self._blob_path = blob_path
        self._scans = scans
        self.quality = QualityList()
        self.quality.setVisible(scans is not None)
        self.dossier_id: int | None = None
        self._dossier: Dossier | None = None
        self.preview = PdfPreview()
        self.image_preview = ImagePreview()
        self.previews = QStackedWidget()
        self.previews.addWidget(self.preview)
        self.previews.addWidget(self.image_preview)
        self.before_write: Callable[[Callable[[], None]], None] = lambda then: then()
        self._build_ui()
        self._connect_signals()
        self._editable = True
        self._update_buttons()

    def _build_ui(self) -> None:
        self.checklist = ComponentsChecklist()
        self.add_button = QPushButton(self.tr("Thêm tệp…"))
        self.remove_button = QPushButton(self.tr("Gỡ tệp"))
        self.repair_button = QPushButton(self.tr("Sửa tệp"))
        self.repair_button.setToolTip(
            self.tr(
                "Ghi lại tệp PDF bị lỗi cấu trúc (bằng qpdf) mà không đổi nội dung trang; "
                "bản gốc vẫn được giữ trong kho."
            )
        )
        self._procedure: Procedure | None = None
        self._statuses: dict[str, str] = {}
        self._build_case_and_edition()
        self.hint_label = QLabel(
            self.tr(
                "Chọn một thành phần rồi bấm «Thêm tệp…», hoặc kéo tệp từ thư mục thả vào "
                "thành phần. Dấu * là thành phần bắt buộc."
            )
        )
        self.hint_label.setWordWrap(True)
        self.hint_label.setStyleSheet("color: palette(mid);")
        # One row each (the "không áp dụng" button alone: the window stays as narrow).
        case_row = _row((self.case_label, 0), (self.case_combo, 1))
        buttons = _row((self.add_button, 0), (self.remove_button, 0), (None, 1))
        decision = _row((self.not_applicable_button, 0), (None, 1))
        mend_row = _row((self.repair_button, 0), (None, 1))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.edition_banner)
        left_layout.addWidget(self.move_edition_button, 0, Qt.AlignmentFlag.AlignLeft)
        left_layout.addLayout(case_row)
        left_layout.addWidget(self.hint_label)
        left_layout.addWidget(self.checklist, 1)
        left_layout.addLayout(buttons)
        left_layout.addLayout(decision)
        left_layout.addLayout(mend_row)
        left_layout.addWidget(self.quality)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.previews)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.repair_button.clicked.connect(self._on_repair_button_clicked)
        self.checklist.sig_files_dropped.connect(self.attach_files)
        self.checklist.currentItemChanged.connect(self._update_buttons)
        self.checklist.currentItemChanged.connect(self._update_preview)
        self.checklist.currentItemChanged.connect(self._update_quality)
        self._connect_quality()

    def _build_case_and_edition(self) -> None:
        """The case chooser, the "không áp dụng" button and the newer-edition notice."""
        self.not_applicable_button = QPushButton(self.tr("Không áp dụng cho hồ sơ này"))
        self.not_applicable_button.setToolTip(
            self.tr("Ghi lại (kèm người ghi và thời điểm) rằng thành phần cần kiểm tra này "
                    "không áp dụng cho hồ sơ; bấm lại để bỏ.")
        )  # fmt: skip
        self.case_label = QLabel(self.tr("Trường hợp:"))
        self.case_combo = QComboBox()
        self.case_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.case_combo.setMinimumContentsLength(4)  # long legal names: shown in full in the list
        self.edition_banner = QLabel()
        self.edition_banner.setObjectName("editionBanner")
        self.edition_banner.setWordWrap(True)
        self.edition_banner.setTextFormat(Qt.TextFormat.PlainText)
        self.edition_banner.setStyleSheet(
            "QLabel#editionBanner { background: #e8f0fe; color: #174ea6; padding: 6px; }"
        )
        self.edition_banner.hide()
        self.move_edition_button = QPushButton(self.tr("Chuyển sang ấn bản mới…"))
        self.move_edition_button.setToolTip(
            self.tr("Xem thay đổi và chuyển hồ sơ sang ấn bản mới; tệp giữ theo mã thành phần.")
        )
        self.move_edition_button.hide()
        self.move_edition_button.clicked.connect(self._on_move_edition_button_clicked)
        self.not_applicable_button.clicked.connect(self._on_not_applicable_button_clicked)
        self.case_combo.activated.connect(self._on_case_combo_activated)

    def set_dossier(
        self,
        dossier: Dossier,
        components: tuple[ComponentSpec, ...],
        editable: bool,
        procedure: Procedure | None = None,
    ) -> None:
        """Show the dossier's checklist: with `procedure`, that of its case with what
        each component still needs (desktop.dossier.checklist decides)."""
        opened = self.dossier_id != dossier.id
        self.dossier_id = dossier.id
        self._dossier = dossier
        self._editable = editable
        self._procedure = procedure
        self.checklist.setAcceptDrops(editable)
        self._statuses = {}
        if procedure is not None:
            shown = dataclasses.replace(procedure, components=components)
            items = checklist.items(dossier, shown)
            components = tuple(i.spec for i in items)
            self._statuses = {i.spec.code: i.status for i in items}
        self._show_cases(dossier, procedure, editable)
        self.checklist.set_dossier(dossier, components, self._statuses)
        self._update_buttons()
        self._update_preview()
        self._update_quality()
        if opened:
            self.edition_banner.hide()
        if procedure is not None and dossier.procedure_edition is not None:
            dossiers, dossier_id = self._dossiers, dossier.id
            self._tasks.run(
                lambda: dossiers.newer_edition(dossier_id),
                on_success=lambda found: self._show_newer_edition(dossier_id, found),
            )

    def _show_cases(self, dossier: Dossier, procedure: Procedure | None, editable: bool) -> None:
        cases = procedure.cases if procedure is not None else ()
        self.case_label.setVisible(bool(cases))
        self.case_combo.setVisible(bool(cases))
        self.case_combo.blockSignals(True)
        self.case_combo.clear()
        if cases and dossier.case_code is None:
            self.case_combo.addItem(self.tr("— Chọn trường hợp của hồ sơ này —"), None)
        for case in cases:
            self.case_combo.addItem(safe_text(f"{case.code}. {case.name}"), case.code)
            self.case_combo.setItemData(
                self.case_combo.count() - 1, case.name, Qt.ItemDataRole.ToolTipRole
            )
        index = self.case_combo.findData(dossier.case_code)
        self.case_combo.setCurrentIndex(max(index, 0))
        self.case_combo.setEnabled(editable)
        self.case_combo.blockSignals(False)

    def _show_newer_edition(self, dossier_id: int, newer: NewerEdition | None) -> None:
        if dossier_id != self.dossier_id:
            return
        if newer is None:
            self.edition_banner.hide()
            self.move_edition_button.hide()
            return
        changes = "\n".join(f"  {line}" for line in newer.diff.lines(language())) or self.tr(
            "  (không khác về thành phần hồ sơ)"
        )
        self.edition_banner.setText(
            self.tr(
                "Đã có ấn bản mới hơn của thủ tục (ấn bản %1). Hồ sơ này giữ ấn bản %2 đã "
                "dùng khi lập; các tệp không bị chuyển sang thành phần khác. Thay đổi:"
            )
            .replace("%1", str(newer.current))
            .replace("%2", str(newer.diff.old))
            + "\n"
            + changes
        )
        self.edition_banner.show()
        self.move_edition_button.setVisible(self._editable)

    @Slot()
    def _on_move_edition_button_clicked(self) -> None:
        dossier_id = self.dossier_id
        if dossier_id is None or not self._editable:
            return
        dossiers = self._dossiers
        self._tasks.run(
            lambda: dossiers.plan_edition_move(dossier_id),
            on_success=lambda move: self._ask_edition_move(dossier_id, move),
            on_failure=self.sig_failed.emit,
        )

    def _ask_edition_move(self, dossier_id: int, move: EditionMove) -> None:
        if dossier_id != self.dossier_id:
            return
        dialog = EditionMoveDialog(move, self)
        if dialog.exec() != EditionMoveDialog.DialogCode.Accepted:
            return
        mapping, case, dossiers = dialog.mapping(), dialog.chosen_case(), self._dossiers

        def start() -> None:
            self._tasks.run(
                lambda: dossiers.move_to_edition(dossier_id, mapping, case),
                on_success=self.sig_dossier_changed.emit,
                on_failure=self.sig_failed.emit,
                lane=Lane.WRITE,
            )

        self.before_write(start)

    @Slot(int)
    def _on_case_combo_activated(self, index: int) -> None:
        code = self.case_combo.itemData(index)
        dossier = self._dossier
        if code is None or dossier is None or code == dossier.case_code or not self._editable:
            return
        dossiers, dossier_id = self._dossiers, dossier.id

        def start() -> None:
            self._tasks.run(
                lambda: dossiers.set_case(dossier_id, str(code)),
                on_success=self.sig_dossier_changed.emit,
                on_failure=self._case_refused,
                lane=Lane.WRITE,
            )

        self.before_write(start)

    def _case_refused(self, error: object) -> None:
        if self._dossier is not None:  # back to the case that stands
            self._show_cases(self._dossier, self._procedure, self._editable)
        self.sig_failed.emit(error)

    @Slot()
    def _on_not_applicable_button_clicked(self) -> None:
        code = self.checklist.selected_component()
        dossier_id = self.dossier_id
        if code is None or dossier_id is None or self.checklist.selected_attachment() is not None:
            return
        dossiers = self._dossiers
        marked = self._statuses.get(code) == checklist.NOT_APPLICABLE
        self._tasks.run(
            (lambda: dossiers.clear_mark(dossier_id, code))
            if marked
            else (lambda: dossiers.mark_not_applicable(dossier_id, code)),
            on_success=self.sig_dossier_changed.emit,
            on_failure=self.sig_failed.emit,
            lane=Lane.WRITE,
        )

    def choose_files(self) -> list[str]:
        """Ask for files (replaced in tests: a modal dialog cannot be driven offscreen)."""
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Chọn tệp đính kèm"),
            "",
            self.tr(
                "Tài liệu (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.doc *.docx *.xls *.xlsx);;"
                "Mọi tệp (*)"
            ),
        )
        return list(paths)

    @Slot(str, list)
    def attach_files(self, code: str, paths: list[str]) -> None:
        """Attach `paths` to component `code` with a progress dialog and Cancel."""
        dossier_id = self.dossier_id
        if dossier_id is None or not paths or not self._editable:
            return
        dossiers = self._dossiers

        def start() -> None:
            run_with_progress(
                self._tasks,
                lambda progress, cancel: dossiers.attach(dossier_id, code, paths, progress, cancel),
                parent=self,
                label=self.tr("Đang đính kèm %n tệp…", "", len(paths)),
                on_success=self.sig_dossier_changed.emit,
                on_failure=self.sig_failed.emit,
                lane=Lane.WRITE,
            )

        self.before_write(start)

    @Slot()
    def _on_add_button_clicked(self) -> None:
        code = self.checklist.selected_component()
        if code is None:
            return
        paths = self.choose_files()
        if paths:
            self.attach_files(code, paths)

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        attachment = self.checklist.selected_attachment()
        dossier_id = self.dossier_id
        if attachment is None or dossier_id is None:
            return
        dossiers = self._dossiers
        self._tasks.run(
            lambda: dossiers.detach(dossier_id, attachment),
            on_success=self.sig_dossier_changed.emit,
            on_failure=self.sig_failed.emit,
            lane=Lane.WRITE,
        )

    @Slot()
    def _on_repair_button_clicked(self) -> None:
        attachment = self._selected()
        dossier_id = self.dossier_id
        if attachment is None or dossier_id is None:
            return
        dossiers = self._dossiers
        name = attachment.name

        def done(result: tuple[Dossier, tuple[str, ...]]) -> None:
            dossier, fixed = result
            self.hint_label.setText(
                self.tr("Đã sửa «%1» (lỗi đã sửa: %2). Bản gốc vẫn được giữ trong kho.")
                .replace("%1", name)
                .replace("%2", damage.describe(fixed, language()))
            )  # fmt: skip
            self.sig_dossier_changed.emit(dossier)

        self._tasks.run(
            lambda: dossiers.repair(dossier_id, attachment.id),
            on_success=done,
            on_failure=self.sig_failed.emit,
            lane=Lane.WRITE,
        )

    def _selected(self) -> Attachment | None:
        attachment_id = self.checklist.selected_attachment()
        if self._dossier is None or attachment_id is None:
            return None
        return next((a for a in self._dossier.attachments if a.id == attachment_id), None)

    @Slot()
    def _update_buttons(self) -> None:
        code = self.checklist.selected_component()
        status = self._statuses.get(code or "")
        self.add_button.setEnabled(self._editable and code is not None and status != checklist.NOTE)
        on_component = code is not None and self.checklist.selected_attachment() is None
        self.not_applicable_button.setEnabled(
            self._editable
            and on_component
            and status in (checklist.UNCLEAR, checklist.OPTIONAL, checklist.NOT_APPLICABLE)
        )
        self.not_applicable_button.setText(
            self.tr("Bỏ «không áp dụng»")
            if status == checklist.NOT_APPLICABLE
            else self.tr("Không áp dụng cho hồ sơ này")
        )
        self.remove_button.setEnabled(
            self._editable and self.checklist.selected_attachment() is not None
        )
        selected = self._selected()
        self.repair_button.setEnabled(
            self._editable and selected is not None and offers_repair(selected.facts)
        )

    def _show_pdf_pane(self, text: str | None = None) -> None:
        """The PDF pane (which also carries the messages), with `text` when given."""
        if self.previews.currentWidget() is not self.preview:
            self.image_preview.show_message("")
            self.previews.setCurrentWidget(self.preview)
        if text is not None:
            self.preview.show_message(text)

    @Slot()
    def _update_preview(self) -> None:
        """Preview the selected PDF or image; otherwise say why nothing is shown."""
        attachment_id = self.checklist.selected_attachment()
        dossier = self._dossier
        found = (
            [a for a in dossier.attachments if a.id == attachment_id]
            if dossier is not None and attachment_id is not None
            else []
        )
        if not found:
            self._show_pdf_pane(self.tr("Chọn một tệp PDF hoặc ảnh trong danh sách để xem trước."))
            return
        attachment = found[0]
        path = self._blob_path(attachment.sha256) if self._blob_path is not None else None
        if path is not None and path in (self.preview.path, self.image_preview.path):
            return  # the same file after a reload: keep the page the clerk is on
        image = attachment.media_type in IMAGE_TYPES
        if attachment.media_type != "application/pdf" and not image:
            self._show_pdf_pane(
                self.tr("Chỉ xem trước được tệp PDF và ảnh (JPEG, PNG, TIFF); «%1» là tệp khác.")
                .replace("%1", attachment.name)
            )  # fmt: skip
            return
        if path is None:
            self._show_pdf_pane(self.tr("Không xem trước được tệp trong chế độ này."))
            return
        if image:
            self.preview.show_message("")
            self.previews.setCurrentWidget(self.image_preview)
            self.image_preview.show_image(path, attachment.name, attachment.size)
            return
        self._show_pdf_pane()
        self.preview.show_pdf(path, attachment.name, attachment.size, attachment.facts)

    # --- quality check before signing -------------------------------------------------

    def _connect_quality(self) -> None:
        self.quality.sig_check_requested.connect(self._on_quality_sig_check_requested)
        self.quality.sig_fix_requested.connect(self._on_quality_sig_fix_requested)
        self.quality.sig_rescan_requested.connect(self._on_quality_sig_rescan_requested)
        self.quality.sig_page_selected.connect(self._on_quality_sig_page_selected)

    def _selected_pdf(self) -> int | None:
        """The selected attachment when it is a PDF, else None."""
        attachment_id = self.checklist.selected_attachment()
        dossier = self._dossier
        if dossier is None or attachment_id is None:
            return None
        found = [a for a in dossier.attachments if a.id == attachment_id]
        return attachment_id if found and found[0].media_type == "application/pdf" else None

    @Slot()
    def _update_quality(self) -> None:
        self.quality.set_enabled(self._scans is not None and self._selected_pdf() is not None)

    @Slot(bool)
    def _on_quality_sig_check_requested(self, ocr: bool) -> None:
        scans, dossier_id, attachment_id = self._scans, self.dossier_id, self._selected_pdf()
        if scans is None or dossier_id is None or attachment_id is None:
            return

        def shown(report: QualityReport) -> None:
            if self._selected_pdf() == attachment_id:  # still the file that was checked
                self.quality.show_issues(report.issues, len(report.pages))

        self._tasks.run_long(
            lambda progress, cancel: scans.check(
                dossier_id, attachment_id, ocr=ocr, progress=progress, cancel=cancel
            ),
            on_success=shown,
            on_failure=self._on_quality_failed,
        )

    @Slot(int)
    def _on_quality_sig_page_selected(self, page: int) -> None:
        """Show the page a finding is about."""
        if self.previews.currentWidget() is self.preview and page <= self.preview.page_count():
            self.preview.thumbnails.setCurrentRow(page - 1)

    def _on_quality_failed(self, exc: BaseException) -> None:
        self.quality.show_issues(None)
        self.sig_failed.emit(exc)

    def _run_fix(self, fn: Callable[[], Dossier]) -> None:
        def done(dossier: Dossier) -> None:
            self.sig_dossier_changed.emit(dossier)
            self.quality.show_message(self.tr("Đã thay tệp; chọn tệp mới rồi kiểm tra lại."))

        def start() -> None:
            self._tasks.run(
                fn, on_success=done, on_failure=self._on_quality_failed, lane=Lane.WRITE
            )

        self.before_write(start)

    @Slot(object)
    def _on_quality_sig_fix_requested(self, issue: Issue) -> None:
        scans, dossier_id, attachment_id = self._scans, self.dossier_id, self._selected_pdf()
        if scans is None or dossier_id is None or attachment_id is None or not self._editable:
            return
        self._run_fix(lambda: scans.fix(dossier_id, attachment_id, issue))

    @Slot(object)
    def _on_quality_sig_rescan_requested(self, _issue: Issue) -> None:
        scans, dossier_id, attachment_id = self._scans, self.dossier_id, self._selected_pdf()
        if scans is None or dossier_id is None or attachment_id is None or not self._editable:
            return
        paths = self.choose_files()
        if paths:
            new = Path(paths[0])
            self._run_fix(lambda: scans.replace(dossier_id, attachment_id, new))


def _row(*widgets: tuple[QWidget | None, int]) -> QHBoxLayout:
    """A row of widgets with their stretch; None is a stretch."""
    row = QHBoxLayout()
    for widget, stretch in widgets:
        if widget is None:
            row.addStretch(stretch)
        else:
            row.addWidget(widget, stretch)
    return row
