"""The dossier editor: who applies, which files, how it is delivered, and what is wrong.

Opened from Hồ sơ (double-click or Enter) and right after "Tạo hồ sơ". Every edit is
saved as a draft a moment after the clerk pauses (`Autosave`) and checked by the core
right after; the problems show under each field and in the list on the right, where a
click goes to the field. Kiểm tra, Ký số and Nộp first write what is pending.

A supplement draft (opened by the core when the officer asks for more documents) says
so in a banner with the officer's note; it needs only the new documents, and its
submit button reads "Nộp bổ sung".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.catalog.model import Procedure
from desktop.dossier.actions import (
    actions_of,
    is_current,
    problems_to_show,
    ready_to_sign,
    submit_refusal,
)
from desktop.dossier.model import ERROR, Dossier, Problem
from desktop.office.roles import Action
from ui.models.labels import state_label
from ui.tasks import Lane, TaskManager
from ui.views.editor.audit_panel import AuditPanel, OfficeView
from ui.views.editor.autosave import Autosave
from ui.views.editor.files_page import FilesPage
from ui.views.editor.portal_panel import PortalInfo, PortalPanel
from ui.views.editor.services import DossierEditing, ScanChecking, Submitting
from ui.widgets.delivery_form import DeliveryForm
from ui.widgets.party_form import PartyForm
from ui.widgets.problems_list import ProblemsList

if TYPE_CHECKING:
    from desktop.sync.supplements import SupplementRequest

TAB_PEOPLE, TAB_FILES, TAB_DELIVERY, TAB_PORTAL = range(4)


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area


class DossierEditor(QWidget):
    """One dossier at a time; `open_dossier(id)` loads it in the background."""

    sig_back_requested = Signal()
    """The clerk wants the list back."""

    sig_loaded = Signal(int)
    """A dossier is shown (after opening or reloading): its id."""

    sig_problems_shown = Signal(int)
    """The problems list was refreshed: the number of errors (warnings not counted)."""

    sig_sign_requested = Signal(int)
    """The dossier is READY and the clerk asked to sign it: its id."""

    sig_submitted = Signal(int)
    """The dossier went into the sending queue: its id."""

    sig_error = Signal(object)
    """An action was refused: the exception, for an error dialog."""

    def __init__(
        self,
        dossiers: DossierEditing,
        outbox: Submitting | None,
        tasks: TaskManager,
        parent: QWidget | None = None,
        *,
        portal: PortalInfo | None = None,
        blob_path: Callable[[str], Path] | None = None,
        scans: ScanChecking | None = None,
        office: OfficeView | None = None,
    ) -> None:
        super().__init__(parent)
        self._office = office
        # What this desk's account may do (issue #17), read with each dossier.
        self._may_sign = self._may_submit = True
        self._portal = portal
        self._blob_path = blob_path
        self._scans = scans
        self._dossiers = dossiers
        self._outbox = outbox
        self._tasks = tasks
        self.dossier: Dossier | None = None
        self.problems: list[Problem] = []
        self._procedure: object = None
        self._portal_news = False
        self._changed_locally = False
        self.supplement: SupplementRequest | None = None
        """The request this dossier answers when it is a supplement draft."""
        self.autosave = Autosave(dossiers, tasks, self)
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.back_button = QPushButton(self.tr("← Danh sách hồ sơ"))
        self.title_label = QLabel()
        # A long procedure name must not push the state off the window: it is cut.
        self.title_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title_label.setStyleSheet("font-weight: bold; font-size: 14px;")
        self.state_label = QLabel()
        header = QHBoxLayout()
        header.addWidget(self.back_button)
        header.addWidget(self.title_label, 1)
        header.addWidget(self.state_label, 0, Qt.AlignmentFlag.AlignRight)
        self.supplement_banner = QLabel()
        self.supplement_banner.setObjectName("supplementBanner")
        self.supplement_banner.setWordWrap(True)
        self.supplement_banner.setTextFormat(Qt.TextFormat.PlainText)
        self.supplement_banner.setStyleSheet(
            "QLabel#supplementBanner { background: #fff4d6; color: #4a3500;"
            " border: 1px solid #e0b64a; border-radius: 4px; padding: 8px; }"
        )
        self.supplement_banner.hide()
        self.tabs = QTabWidget()
        self.tabs.addTab(_scrolled(self._build_people()), self.tr("Chủ hồ sơ và người nộp"))
        self.files_page = FilesPage(
            self._dossiers, self._tasks, blob_path=self._blob_path, scans=self._scans
        )
        self.tabs.addTab(self.files_page, self.tr("Thành phần hồ sơ"))
        self.tabs.addTab(_scrolled(self._build_delivery()), self.tr("Nhận và trả kết quả"))
        self.portal_panel = PortalPanel(self._portal, self._tasks)
        self.tabs.addTab(_scrolled(self.portal_panel), self.tr("Trên cổng"))
        self.audit_panel: AuditPanel | None = None
        if self._office is not None:
            self.audit_panel = AuditPanel(self._office, self._tasks)
            self.tabs.addTab(self.audit_panel, self.tr("Nhật ký"))
        self.problems_list = ProblemsList()
        self.problems_title = QLabel()
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.problems_title)
        side_layout.addWidget(self.problems_list, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.supplement_banner)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(self._build_actions())

    def _build_people(self) -> QWidget:
        self.applicant_form = PartyForm("applicant")
        self.same_check = QCheckBox(self.tr("Người nộp hồ sơ cũng là chủ hồ sơ"))
        self.submitter_form = PartyForm("submitter")
        people = QWidget()
        people_layout = QVBoxLayout(people)
        people_layout.addWidget(QLabel(self.tr("<b>Chủ hồ sơ</b>")))
        people_layout.addWidget(self.applicant_form)
        people_layout.addWidget(self.same_check)
        people_layout.addWidget(self.submitter_form)
        people_layout.addStretch(1)
        return people

    def _build_delivery(self) -> QWidget:
        self.delivery_form = DeliveryForm()
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setPlaceholderText(self.tr("Ghi chú cho cán bộ tiếp nhận (không bắt buộc)"))
        self.notes_edit.setMaximumHeight(120)
        delivery = QWidget()
        delivery_layout = QVBoxLayout(delivery)
        delivery_layout.addWidget(self.delivery_form)
        delivery_layout.addWidget(QLabel(self.tr("Ghi chú")))
        delivery_layout.addWidget(self.notes_edit)
        delivery_layout.addStretch(1)
        return delivery

    def _build_actions(self) -> QHBoxLayout:
        self.saved_label = QLabel()
        self.saved_label.setStyleSheet("color: palette(mid);")
        self.validate_button = QPushButton(self.tr("Kiểm tra"))
        self.sign_button = QPushButton(self.tr("Ký số…"))
        self.submit_button = QPushButton(self.tr("Nộp"))
        self.submit_button.setDefault(True)
        actions = QHBoxLayout()
        actions.addWidget(self.saved_label, 1)
        for button in (self.validate_button, self.sign_button, self.submit_button):
            actions.addWidget(button)
        return actions

    def _connect_signals(self) -> None:
        self.back_button.clicked.connect(self._on_back_button_clicked)
        for form in (self.applicant_form, self.submitter_form, self.delivery_form):
            form.sig_field_edited.connect(self.autosave.edit)
        self.same_check.toggled.connect(self._on_same_check_toggled)
        self.notes_edit.textChanged.connect(self._on_notes_edit_changed)
        self.autosave.sig_saved.connect(self._on_autosave_saved)
        self.autosave.sig_failed.connect(self.sig_error.emit)
        self.autosave.sig_state_changed.connect(self._on_autosave_state_changed)
        self.files_page.before_write = self.autosave.flush
        self.files_page.sig_dossier_changed.connect(self._on_files_changed)
        self.files_page.sig_failed.connect(self.sig_error.emit)
        self.problems_list.sig_field_activated.connect(self.focus_field)
        self.portal_panel.sig_error.connect(self.sig_error.emit)
        self.portal_panel.sig_open_dossier.connect(self.open_dossier)
        self.validate_button.clicked.connect(self._on_validate_button_clicked)
        self.sign_button.clicked.connect(self._on_sign_button_clicked)
        self.submit_button.clicked.connect(self._on_submit_button_clicked)

    # --- loading -----------------------------------------------------------------------

    def open_dossier(self, dossier_id: int) -> None:
        """Show dossier `dossier_id` (pending edits of the previous one are saved first)."""
        self.autosave.reset(dossier_id)
        self.reload()

    def note_change(self, dossier_id: int, *, local: bool) -> None:
        """News about a dossier (from the bridge): remembered when it is the one shown,
        for `reload_if_changed` after the burst. `local`: a change of the dossier itself
        (perhaps this editor's own write); otherwise portal news (status, fees,
        payments, results), which the portal tab always shows again."""
        if dossier_id != self.autosave.dossier_id:
            return
        if local:
            self._changed_locally = True
        else:
            self._portal_news = True

    def reload_if_changed(self) -> None:
        """Reload after news noted by `note_change`; a local change is first compared
        with what is shown, so the editor's own writes (already shown with their problems)
        are not read and validated a second time."""
        portal_news, local = self._portal_news, self._changed_locally
        self._portal_news = self._changed_locally = False
        dossier_id = self.autosave.dossier_id
        if dossier_id is None:
            return
        if portal_news:
            self.reload()
        elif local:
            dossiers = self._dossiers
            self._tasks.run(
                lambda: dossiers.get(dossier_id), on_success=self._reload_unless_shown, busy=False
            )

    def _reload_unless_shown(self, stored: Dossier) -> None:
        if not is_current(self.dossier, stored):
            self.reload()

    def reload(self) -> None:
        """Read the dossier again (after a change elsewhere); skipped while saving."""
        dossier_id = self.autosave.dossier_id
        if dossier_id is None or self.autosave.busy:
            return
        dossiers, portal, office = self._dossiers, self._portal, self._office

        def load() -> tuple[Dossier, object, list[Problem], SupplementRequest | None]:
            dossier = dossiers.get(dossier_id)
            supplement = portal.supplement_of(dossier_id) if portal is not None else None
            if office is not None:  # one check (desktop/office/roles.py), off the GUI thread
                self._may_sign = office.can(Action.SIGN)
                self._may_submit = office.can(Action.SUBMIT)
            return (
                dossier,
                dossiers.procedure_of(dossier),
                dossiers.validate(dossier_id),
                supplement,
            )

        self._tasks.run(load, on_success=lambda result: self._loaded(*result))

    def _loaded(
        self,
        dossier: Dossier,
        procedure: object,
        problems: list[Problem],
        supplement: SupplementRequest | None = None,
    ) -> None:
        if dossier.id != self.autosave.dossier_id or self.autosave.busy:
            return  # another dossier was opened, or the clerk typed meanwhile
        self._procedure = procedure
        self.autosave.seen(dossier)
        newly_opened = self.dossier is None or self.dossier.id != dossier.id
        self._show_supplement(supplement)
        if (
            newly_opened
            and supplement is not None
            and actions_of(dossier, supplement=True).editable
        ):
            self.tabs.setCurrentIndex(TAB_FILES)  # what the officer asked for goes there
        name = str(getattr(procedure, "name", dossier.procedure_key))
        self.title_label.setText(self.tr("Hồ sơ #{id} — {name}").format(id=dossier.id, name=name))
        self.title_label.setToolTip(name)
        self._show_dossier(dossier)
        if self.audit_panel is not None:
            self.audit_panel.set_dossier(dossier.id)
        self.show_problems(problems)
        self.sig_loaded.emit(dossier.id)

    def _show_dossier(self, dossier: Dossier) -> None:
        self.dossier = dossier
        actions = actions_of(dossier, supplement=self.supplement is not None)
        editable = actions.editable
        self.state_label.setText(state_label(dossier.state, dossier.portal_state))
        self.applicant_form.set_party(dossier.applicant)
        self.same_check.blockSignals(True)
        self.same_check.setChecked(dossier.submitter is None)
        self.same_check.blockSignals(False)
        self.submitter_form.setVisible(dossier.submitter is not None)
        if dossier.submitter is not None:
            self.submitter_form.set_party(dossier.submitter)
        self.delivery_form.set_delivery(dossier.delivery)
        if not self.notes_edit.hasFocus() and self.notes_edit.toPlainText() != dossier.notes:
            self.notes_edit.blockSignals(True)
            self.notes_edit.setPlainText(dossier.notes)
            self.notes_edit.blockSignals(False)
        components = tuple(getattr(self._procedure, "components", ()))
        if self.supplement is not None:
            # A supplement carries only what the officer asked for: nothing is "thiếu".
            components = tuple(dataclasses.replace(c, required=False) for c in components)
        procedure = self._procedure if isinstance(self._procedure, Procedure) else None
        self.files_page.set_dossier(dossier, components, editable, procedure)
        self.portal_panel.set_dossier(dossier)
        if actions.on_portal and self.tabs.currentIndex() != TAB_PORTAL:
            self.tabs.setCurrentIndex(TAB_PORTAL)
        # A supplement sends only its documents (and a note): the parties and delivery
        # are the parent's, already on the portal, so they are shown but not edited.
        parties_editable = actions.parties_editable
        for widget in (self.applicant_form, self.same_check, self.submitter_form,
                       self.delivery_form):  # fmt: skip
            widget.setEnabled(parties_editable)
        self.notes_edit.setEnabled(editable)
        self.validate_button.setEnabled(editable)
        self.sign_button.setEnabled(actions.can_sign and self._may_sign)
        self.submit_button.setEnabled(
            actions.can_submit and self._outbox is not None and self._may_submit
        )

    def _show_supplement(self, supplement: SupplementRequest | None) -> None:
        """The banner and the submit button of a supplement draft (or of any other dossier)."""
        self.supplement = supplement
        if supplement is None:
            self.supplement_banner.hide()
            self.submit_button.setText(self.tr("Nộp"))
            return
        receipt = supplement.parent_receipt_no or f"#{supplement.parent_id}"
        self.supplement_banner.setText(
            self.tr(
                "Cơ quan giải quyết yêu cầu bổ sung hồ sơ số %1: %2. "
                "Đính kèm giấy tờ được yêu cầu rồi bấm Nộp bổ sung."
            )
            .replace("%1", receipt)
            .replace("%2", supplement.note.rstrip(". "))
        )
        self.supplement_banner.show()
        self.submit_button.setText(self.tr("Nộp bổ sung"))

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Show `problems` under their fields and in the list.

        For a supplement draft only what the core checks before sending it counts (a
        document): the parent's checks were passed when it was submitted.
        """
        if self.dossier is not None:
            problems = problems_to_show(
                self.dossier, problems, supplement=self.supplement is not None
            )
        self.problems = list(problems)
        messages: dict[str, tuple[str, bool]] = {}
        for problem in problems:
            text, warning = problem.message(), problem.severity != ERROR
            if problem.field in messages:
                old_text, old_warning = messages[problem.field]
                text, warning = f"{old_text}\n{text}", old_warning and warning
            messages[problem.field] = (text, warning)
        for form in (self.applicant_form, self.submitter_form, self.delivery_form):
            form.show_problems(messages)
        self.problems_list.set_problems(problems)
        errors = sum(1 for p in problems if p.severity == ERROR)
        if errors:
            self.problems_title.setText(self.tr("<b>Cần sửa: %n lỗi</b>", "", errors))
        elif self.supplement is not None:
            self.problems_title.setText(self.tr("<b>Đủ để nộp bổ sung</b>"))
        elif problems:
            self.problems_title.setText(self.tr("<b>Không có lỗi</b> (có lưu ý)"))
        else:
            self.problems_title.setText(self.tr("<b>Hồ sơ hợp lệ</b>"))
        self.sig_problems_shown.emit(errors)

    def focus_field(self, field: str) -> None:
        """Go to the widget of a problem's field path (switching tabs as needed)."""
        if field.startswith("components"):
            self.tabs.setCurrentIndex(TAB_FILES)
            code = field.partition(".")[2]
            item = self.files_page.checklist.item_of_component(code) if code else None
            if item is not None:
                self.files_page.checklist.setCurrentItem(item)
            self.files_page.checklist.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        for form, tab in (
            (self.applicant_form, TAB_PEOPLE),
            (self.submitter_form, TAB_PEOPLE),
            (self.delivery_form, TAB_DELIVERY),
        ):
            widget = form.field_widget(field)
            if widget is not None:
                self.tabs.setCurrentIndex(tab)
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                area = self.tabs.currentWidget()
                if isinstance(area, QScrollArea):
                    area.ensureWidgetVisible(widget)
                return

    # --- slots -------------------------------------------------------------------------

    @Slot()
    def _on_back_button_clicked(self) -> None:
        self.autosave.flush()
        self.sig_back_requested.emit()

    @Slot(bool)
    def _on_same_check_toggled(self, same: bool) -> None:
        self.submitter_form.setVisible(not same)
        self.autosave.edit("submitter.same_as_applicant", "yes" if same else "no")

    @Slot()
    def _on_notes_edit_changed(self) -> None:
        self.autosave.edit("notes", self.notes_edit.toPlainText())

    def _on_autosave_saved(self, dossier: Dossier, problems: list[Problem]) -> None:
        self._show_dossier(dossier)
        self.show_problems(problems)

    @Slot(str)
    def _on_autosave_state_changed(self, state: str) -> None:
        texts = {
            "pending": self.tr("Chưa lưu…"),
            "saving": self.tr("Đang lưu…"),
            "saved": self.tr("Đã lưu bản nháp lúc {time}").format(
                time=datetime.now().strftime("%H:%M:%S")
            ),
        }
        self.saved_label.setText(texts.get(state, ""))

    def _on_files_changed(self, dossier: Dossier) -> None:
        self._show_dossier(dossier)
        self.autosave.flush(then=self._revalidate)

    def _revalidate(self) -> None:
        dossier_id = self.autosave.dossier_id
        if dossier_id is None:
            return
        dossiers = self._dossiers
        self._tasks.run(lambda: dossiers.validate(dossier_id), on_success=self.show_problems)

    @Slot()
    def _on_validate_button_clicked(self) -> None:
        self.autosave.flush(then=self._revalidate)

    @Slot()
    def _on_sign_button_clicked(self) -> None:
        dossier_id, dossier = self.autosave.dossier_id, self.dossier
        if dossier_id is None or dossier is None:
            return
        dossiers, supplement = self._dossiers, self.supplement is not None

        def start() -> None:
            self._tasks.run(
                lambda: ready_to_sign(dossiers, dossier_id, supplement=supplement),
                on_success=self._ready_to_sign,
                on_failure=self._refused,
                lane=Lane.WRITE,
            )

        self.autosave.flush(then=start)

    def _ready_to_sign(self, dossier: Dossier) -> None:
        self._show_dossier(dossier)
        self.sig_sign_requested.emit(dossier.id)

    @Slot()
    def _on_submit_button_clicked(self) -> None:
        dossier_id, outbox = self.autosave.dossier_id, self._outbox
        if dossier_id is None or outbox is None:
            return
        refusal = (
            submit_refusal(self.dossier, supplement=self.supplement is not None)
            if self.dossier is not None
            else None
        )
        if refusal is not None:
            # Said in the editor's words (the outbox's refusal names a CLI command).
            self.tabs.setCurrentIndex(TAB_FILES)
            self.sig_error.emit(refusal)
            return

        def start() -> None:
            self._tasks.run(
                lambda: outbox.submit(dossier_id),
                on_success=lambda _entry: self._submitted(dossier_id),
                on_failure=self._refused,
                lane=Lane.WRITE,
            )

        self.autosave.flush(then=start)

    def _submitted(self, dossier_id: int) -> None:
        self.sig_submitted.emit(dossier_id)
        self.reload()

    def _refused(self, exc: BaseException) -> None:
        # A refusal because of problems: show them where they are, and say why.
        self._revalidate()
        self.sig_error.emit(exc)
