"""The main window: navigation between sections, status bar, remembered window state.

It is built over one workspace (`WindowWorkspace`: the real `Workspace`, or a test's
fake) and composes nothing itself; signing is the `SigningDesk`'s (ui/views/signing/
desk.py), the window only forwards "Ký số" and shows what the desk reports.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDesktopServices, QKeySequence, QPaintEvent, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from ui.icons import icon
from ui.models.labels import size_label
from ui.tasks import Lane
from ui.views.section_pages import SectionPages
from ui.views.window_state import restore_splitter, restore_window, save_window
from ui.widgets.error_dialog import show_error
from ui.widgets.sync_status import SyncStatus

if TYPE_CHECKING:
    from ui.bridge import EventBridge
    from ui.tasks import TaskManager
    from ui.views.catalog_view import CatalogView
    from ui.views.certificates_view import CertificatesView
    from ui.views.dossiers_view import DossiersView
    from ui.views.editor.dossier_editor import DossierEditor
    from ui.views.payments_view import PaymentsView
    from ui.views.queue_view import QueueView
    from ui.views.settings.settings_view import SettingsView
    from ui.views.signing.desk import SigningDesk
    from ui.views.signing.signing_dialog import SigningDialog
    from ui.views.window_workspace import WindowWorkspace
    from ui.widgets.tray_notifier import TrayNotifier

log = logging.getLogger(__name__)

SECTION_CATALOG = "catalog"
SECTION_DOSSIERS = "dossiers"
SECTION_QUEUE = "queue"
SECTION_PAYMENTS = "payments"
SECTION_CERTIFICATES = "certificates"
SECTION_SETTINGS = "settings"
CHANGES_DEBOUNCE_MS = 200
HOUSEKEEPING_KEY = "housekeeping/last_run"
HOUSEKEEPING_EVERY = timedelta(days=7)
STATUS_MESSAGE_MS = 8000


class MainWindow(QMainWindow):
    """Thủ tục and Hồ sơ (further sections join as they are built).

    Built in two steps so that start-up paints before it imports the heavy screens: the
    shell (navigation, a "Đang mở…" page per section, status bar, remembered geometry)
    needs only the data folder; `attach` then builds the screens over the workspace.
    Given a workspace, the constructor does both at once (tests, `build_window`).
    """

    sig_first_painted = Signal()
    """The window was painted for the first time (start-up is over for the user)."""

    sig_dossier_created = Signal(int)
    """A dossier was created from the catalog: its id."""

    catalog_view: CatalogView
    dossiers_view: DossiersView
    editor: DossierEditor
    queue_view: QueueView
    settings_view: SettingsView
    tray_notifier: TrayNotifier
    _workspace: WindowWorkspace
    _tasks: TaskManager
    _bridge: EventBridge

    def __init__(
        self,
        workspace: WindowWorkspace | None,
        *,
        ui_settings: QSettings,
        tasks: TaskManager | None = None,
        bridge: EventBridge | None = None,
        signing: SigningDesk | None = None,
        data_dir: Path | None = None,
    ) -> None:
        super().__init__()
        if workspace is not None:
            data_dir = workspace.paths.root
        if data_dir is None:
            raise ValueError("MainWindow needs a workspace or a data folder")
        self._data_dir = data_dir
        self._log_dir = data_dir / "logs"
        self._ui_settings = ui_settings
        self._painted = False
        self._attached = False
        self._officer_url: str | None = None
        self._signing: SigningDesk | None = None
        self._changes_timer = QTimer(self)
        self._changes_timer.setSingleShot(True)
        self._changes_timer.setInterval(CHANGES_DEBOUNCE_MS)
        self._build_shell()
        self._add_shortcuts()
        self.sandbox_banner.linkActivated.connect(self._on_sandbox_banner_linkActivated)
        self.navigation.currentRowChanged.connect(self._on_navigation_row_changed)
        self._restore_state()
        if workspace is not None:
            if tasks is None or bridge is None:
                raise ValueError("MainWindow over a workspace needs its tasks and bridge")
            self.attach(workspace, tasks=tasks, bridge=bridge, signing=signing)

    @property
    def attached(self) -> bool:
        """The screens are built over a workspace (False while only the shell shows)."""
        return self._attached

    def _build_shell(self) -> None:
        self.setWindowTitle(self.tr("dvc-desk — Hồ sơ dịch vụ công"))
        self.pages = SectionPages()
        self.navigation = self.pages.navigation
        self.stack = self.pages.stack
        for name, title in (
            (SECTION_CATALOG, self.tr("Thủ tục")),
            (SECTION_DOSSIERS, self.tr("Hồ sơ")),
            (SECTION_QUEUE, self.tr("Hàng đợi gửi")),
            (SECTION_PAYMENTS, self.tr("Thanh toán")),
            (SECTION_CERTIFICATES, self.tr("Chứng thư số")),
            (SECTION_SETTINGS, self.tr("Cài đặt")),
        ):
            self.pages.add(name, title)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.data_dir_label = QLabel(self.tr("Dữ liệu: {path}").format(path=self._data_dir))
        self.data_dir_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.count_label = QLabel()
        self.sync_status = SyncStatus()
        # Shown while the portal is the sandbox: clerks must not take it for the real one.
        self.sandbox_banner = QLabel(
            self.tr(
                "<b>CỔNG THỬ NGHIỆM</b> — hồ sơ không được gửi tới cơ quan nào · "
                "<a href='officer'>Mở trang cán bộ</a>"
            )
        )
        self.sandbox_banner.setStyleSheet(
            "QLabel { background: #ffe08a; color: #5c3b00; padding: 2px 8px; }"
        )
        self.sandbox_banner.setVisible(False)
        self.statusBar().addWidget(self.sandbox_banner)
        self.statusBar().addWidget(self.data_dir_label, 1)
        self.statusBar().addPermanentWidget(self.sync_status)
        self.statusBar().addPermanentWidget(self.count_label)

    def attach(
        self,
        workspace: WindowWorkspace,
        *,
        tasks: TaskManager,
        bridge: EventBridge,
        signing: SigningDesk | None = None,
    ) -> None:
        """Build the screens over the opened workspace (once)."""
        if self._attached:
            raise RuntimeError("the window is already attached to a workspace")
        from ui.views.catalog_view import CatalogView
        from ui.views.dossiers_view import DossiersView
        from ui.views.editor.dossier_editor import DossierEditor
        from ui.views.queue_view import QueueView
        from ui.views.settings.settings_view import SettingsView
        from ui.widgets.tray_notifier import TrayNotifier

        self._workspace = workspace
        self._catalog = workspace.catalog
        self._dossiers = workspace.dossiers
        self._signing = signing
        self._tasks = tasks
        self._bridge = bridge
        self._log_dir = workspace.paths.logs
        self.catalog_view = CatalogView(self._catalog, tasks)
        self.dossiers_view = DossiersView(self._dossiers, tasks)
        portal = workspace.dossier_portal
        self.editor = DossierEditor(
            self._dossiers,
            workspace.outbox,
            tasks,
            portal=portal,
            blob_path=portal.blob_path,
            scans=workspace.scan_quality,
            office=workspace.office,
        )
        self.dossiers_page = QStackedWidget()
        self.dossiers_page.addWidget(self.dossiers_view)
        self.dossiers_page.addWidget(self.editor)
        self.queue_view = QueueView(workspace.outbox, tasks, workspace.sync_now)
        self.settings_view = SettingsView(
            workspace.settings,
            tasks,
            sandbox_data=self._data_dir / "sandbox",
            data_root=self._data_dir,
        )
        self.pages.place(SECTION_CATALOG, self.catalog_view)
        self.pages.place(SECTION_DOSSIERS, self.dossiers_page)
        self.pages.place(SECTION_QUEUE, self.queue_view)
        self.pages.place(SECTION_SETTINGS, self.settings_view)
        # Thanh toán and Chứng thư số are built the first time they are shown: their
        # imports are paid only by the clerk who opens them.
        self.pages.build_later(SECTION_PAYMENTS, self._build_payments)
        if signing is not None:
            self.pages.build_later(SECTION_CERTIFICATES, signing.certificates_view)
        else:
            self.pages.remove(SECTION_CERTIFICATES)
        self.tray_notifier = TrayNotifier(icon("dvc-desk"), self, quiet_for=self._sees_dossier)
        self._connect_signals()
        restore_splitter(self.catalog_view.splitter, self._ui_settings)
        self._attached = True
        self.pages.view(self.current_section())  # a lazy section left open last time

    def show_sandbox_banner(self, officer_url: str | None) -> None:
        """Show "CỔNG THỬ NGHIỆM" (and a link to the officer console, with this run's key)
        while the portal is the sandbox; `None` hides it."""
        self.sandbox_banner.setVisible(officer_url is not None)
        self._officer_url = officer_url

    @Slot(str)
    def _on_sandbox_banner_linkActivated(self, _link: str) -> None:
        if self._officer_url:
            QDesktopServices.openUrl(QUrl(self._officer_url))

    def _build_payments(self) -> QWidget:
        from ui.views.payments_view import PaymentsView

        view = PaymentsView(self._workspace.fees, self._workspace.dossier_portal, self._tasks)
        view.sig_open_requested.connect(self.open_dossier)
        view.sig_error.connect(self._on_task_failed)
        self._bridge.sig_dossier_news.connect(view.on_dossier_news)
        return view

    @property
    def signing_dialog(self) -> SigningDialog:
        """The signing dialog opened last (LookupError before any: tests, screenshots)."""
        dialog = self._signing.dialog if self._signing is not None else None
        if dialog is None:
            raise LookupError("no signing dialog was opened")
        return dialog

    @property
    def payments_view(self) -> PaymentsView | None:
        return self.pages.view(SECTION_PAYMENTS)  # type: ignore[return-value]

    @property
    def certificates_view(self) -> CertificatesView | None:
        return self.pages.view(SECTION_CERTIFICATES)  # type: ignore[return-value]

    @Slot(int)
    def _on_navigation_row_changed(self, row: int) -> None:
        if 0 <= row < len(self.pages.names):
            self.pages.view(self.pages.names[row])
        self.stack.setCurrentIndex(row)

    def _add_shortcuts(self) -> None:
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self._on_find_shortcut_activated)
        for number in range(1, len(self.pages.names) + 1):
            switch = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            switch.activated.connect(lambda row=number - 1: self.navigation.setCurrentRow(row))

    def _connect_signals(self) -> None:
        self.catalog_view.sig_create_dossier_requested.connect(self._on_create_dossier_requested)
        self._bridge.sig_catalog_imported.connect(self._on_catalog_imported)
        self._bridge.sig_catalog_changed.connect(self._on_catalog_changed)
        self.dossiers_view.sig_dossier_activated.connect(self.open_dossier)
        self.editor.sig_back_requested.connect(self._on_editor_back_requested)
        self.editor.sig_error.connect(self._on_task_failed)
        self.editor.sig_submitted.connect(self._on_editor_submitted)
        self.editor.sig_sign_requested.connect(self._on_editor_sign_requested)
        self._bridge.sig_engine_state.connect(self.sync_status.on_engine_state)
        self._bridge.sig_sync_progress.connect(self.sync_status.on_sync_progress)
        self._bridge.sig_outbox_changed.connect(self.sync_status.on_outbox_changed)
        self._bridge.sig_outbox_changed.connect(self._on_outbox_changed)
        for news in (
            self._bridge.sig_portal_status_changed,
            self._bridge.sig_payment_changed,
            self._bridge.sig_result_downloaded,
            self._bridge.sig_outbox_changed,
        ):
            news.connect(lambda dossier_id, *_: self._on_portal_news(dossier_id))  # fmt: skip
        self._bridge.sig_dossier_news.connect(self._on_dossier_news)
        self._bridge.sig_dossier_changed.connect(self._on_dossier_changed)
        self._bridge.sig_portal_status_changed.connect(self.tray_notifier.on_portal_status_changed)
        self._bridge.sig_result_downloaded.connect(self.tray_notifier.on_result_downloaded)
        self.tray_notifier.sig_open_requested.connect(self._on_tray_open_requested)
        self._bridge.sig_sync_progress.connect(self._on_sync_progress)
        self.sync_status.sig_send_now_clicked.connect(self.send_now)
        self.queue_view.sig_edit_requested.connect(self.open_dossier)
        self.queue_view.sig_open_requested.connect(self.open_dossier)
        self.queue_view.sig_error.connect(self._on_task_failed)
        self.settings_view.sig_error.connect(self._on_task_failed)
        if self._signing is not None:
            self._signing.sig_signed.connect(self._on_signing_signed)
            self._signing.sig_remote_resumed.connect(self._on_signing_remote_resumed)
        self._tasks.sig_task_failed.connect(self._on_task_failed)
        self._changes_timer.timeout.connect(self._on_changes_timer_timeout)

    # --- public ------------------------------------------------------------------------

    def start(self) -> None:
        """Load what the screens show: the bundled catalog (once), lists, counts."""
        self.catalog_view.reload_catalog()
        self.dossiers_view.apply_filter()
        self.refresh_count()
        self.queue_view.refresh()
        self._tasks.run(
            self._catalog.ensure_bundled,
            on_success=lambda _: self.catalog_view.reload_catalog(),
            lane=Lane.WRITE,
        )
        self._housekeep_if_due()
        if self._signing is not None:
            # Requests left waiting when the app was closed or killed (issue #15).
            self._signing.resume_remote()

    @Slot(int, int, int)
    def _on_signing_remote_resumed(self, done: int, waiting: int, ended: int) -> None:
        self.statusBar().showMessage(
            self.tr(
                "Ký số từ xa: {done} yêu cầu đã ký xong, {waiting} đang chờ xác nhận trên "
                "điện thoại, {ended} hết hạn hoặc bị từ chối (gửi lại trong hộp thoại Ký số)."
            ).format(done=done, waiting=waiting, ended=ended),
            STATUS_MESSAGE_MS,
        )
        if done:
            self.refresh_count()
            self.dossiers_view.apply_filter()

    def _housekeep_if_due(self) -> None:
        """Once a week, remove files nothing uses any more (replaced scans, superseded
        signed copies) and leftover temp files, in the background; a line in the status
        bar says how much was freed. A failure is only logged: it is a chore, and
        `dvc-desk doctor --clean` does the same by hand."""
        last = str(self._ui_settings.value(HOUSEKEEPING_KEY, "") or "")
        now = datetime.now(UTC)
        with contextlib.suppress(ValueError):
            if last and now - datetime.fromisoformat(last) < HOUSEKEEPING_EVERY:
                return
        self._tasks.run(
            self._workspace.housekeep,
            on_success=self._on_housekeeping_done,
            on_failure=lambda exc: log.warning("housekeeping failed: %s", exc),
            lane=Lane.WRITE,
            busy=False,
        )

    def _on_housekeeping_done(self, report: Any) -> None:
        self._ui_settings.setValue(HOUSEKEEPING_KEY, datetime.now(UTC).isoformat())
        removed = len(report.removed)
        if removed:
            self.statusBar().showMessage(
                self.tr("Đã dọn %n tệp không còn dùng, giải phóng {size}.", "", removed).format(
                    size=size_label(report.bytes_freed)
                ),
                STATUS_MESSAGE_MS,
            )

    def current_section(self) -> str:
        return self.pages.current()

    def show_section(self, name: str) -> None:
        self.pages.show(name)

    @Slot(int)
    def open_dossier(self, dossier_id: int) -> None:
        """Show the editor of `dossier_id` in the Hồ sơ section."""
        self.show_section(SECTION_DOSSIERS)
        self.dossiers_page.setCurrentWidget(self.editor)
        self.editor.open_dossier(dossier_id)

    def _sees_dossier(self, dossier_id: int) -> bool:
        """The clerk is looking at this dossier's editor right now: no tray message."""
        return (
            self.isActiveWindow()
            and self.current_section() == SECTION_DOSSIERS
            and self.dossiers_page.currentWidget() is self.editor
            and self.editor.autosave.dossier_id == dossier_id
        )

    @Slot(int)
    def _on_tray_open_requested(self, dossier_id: int) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()
        self.open_dossier(dossier_id)

    @Slot()
    def send_now(self) -> None:
        """ "Gửi ngay": every waiting item is tried at once."""
        self._tasks.run(self._workspace.sync_now, busy=False)

    def refresh_count(self) -> None:
        self._tasks.run(self._dossiers.count, on_success=self._on_count_loaded, busy=False)

    # --- slots -------------------------------------------------------------------------

    @Slot()
    def _on_find_shortcut_activated(self) -> None:
        view = self.pages.built(self.current_section())
        if isinstance(view, QStackedWidget):  # Hồ sơ: the list or the editor
            view = view.currentWidget()
        edit = getattr(view, "search_edit", None)
        if isinstance(edit, QLineEdit):
            edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
            edit.selectAll()

    @Slot(str)
    def _on_create_dossier_requested(self, procedure_key: str) -> None:
        dossiers = self._dossiers
        self._tasks.run(
            lambda: dossiers.create(procedure_key),
            on_success=self._on_dossier_create_done,
            lane=Lane.WRITE,
        )

    def _on_dossier_create_done(self, created: Any) -> None:
        dossier_id = int(getattr(created, "id", created))
        self.dossiers_view.show_dossier(dossier_id)
        self.open_dossier(dossier_id)
        self.refresh_count()
        self.statusBar().showMessage(
            self.tr("Đã tạo hồ sơ #{id} (nháp).").format(id=dossier_id), STATUS_MESSAGE_MS
        )
        self.sig_dossier_created.emit(dossier_id)

    @Slot()
    def _on_editor_back_requested(self) -> None:
        self.dossiers_page.setCurrentWidget(self.dossiers_view)
        self.dossiers_view.table.setFocus()

    @Slot(int)
    def _on_editor_sign_requested(self, dossier_id: int) -> None:
        if self._signing is not None:
            self._signing.sign(dossier_id, self.editor.dossier, self)

    @Slot(int)
    def _on_signing_signed(self, _dossier_id: int) -> None:
        self.editor.reload()

    @Slot(int)
    def _on_editor_submitted(self, dossier_id: int) -> None:
        self.statusBar().showMessage(
            self.tr("Hồ sơ #{id} đã vào hàng đợi gửi.").format(id=dossier_id), STATUS_MESSAGE_MS
        )

    @Slot(int)
    def _on_dossier_news(self, dossier_id: int) -> None:
        # Changes come in bursts (a sync round, a batch): one reload after the burst.
        self._changes_timer.start()

    @Slot(int, str)
    def _on_dossier_changed(self, dossier_id: int, _state: str) -> None:
        self.editor.note_change(dossier_id, local=True)

    @Slot(int)
    def _on_portal_news(self, dossier_id: int) -> None:
        self.editor.note_change(dossier_id, local=False)

    @Slot(int, str)
    def _on_outbox_changed(self, _dossier_id: int, _state: str) -> None:
        self.queue_view.refresh()

    @Slot(int, object, object)
    def _on_sync_progress(self, dossier_id: int, sent: object, total: object) -> None:
        self.queue_view.model.set_progress(dossier_id, int(str(sent)), int(str(total)))

    @Slot(int)
    def _on_catalog_imported(self, _procedures: int) -> None:
        self.catalog_view.reload_catalog()

    @Slot(int, list)
    def _on_catalog_changed(self, changed: int, keys: list[str]) -> None:
        """Say what a catalog sync changed; the open dossier re-checks its edition."""
        shown = ", ".join(keys[:5]) + ("…" if len(keys) > 5 else "")
        self.statusBar().showMessage(
            self.tr("Danh mục thủ tục đã cập nhật: %n thủ tục mới hoặc có ấn bản mới (%1).", "",
                    changed).replace("%1", shown),
            STATUS_MESSAGE_MS,
        )  # fmt: skip
        self.editor.reload()

    @Slot()
    def _on_changes_timer_timeout(self) -> None:
        self.editor.reload_if_changed()
        self.dossiers_view.refresh()
        self.refresh_count()

    def _on_count_loaded(self, count: int) -> None:
        self.count_label.setText(self.tr("%n hồ sơ", "", count))

    @Slot(object)
    def _on_task_failed(self, exc: BaseException) -> None:
        show_error(self, exc, self._log_dir)

    # --- window state ------------------------------------------------------------------

    def _restore_state(self) -> None:
        section = restore_window(self, self._ui_settings, SECTION_CATALOG)
        self.show_section(section if section in self.pages.names else SECTION_CATALOG)

    def save_state(self) -> None:
        splitter = self.catalog_view.splitter if self._attached else None
        save_window(self, splitter, self._ui_settings, self.current_section())

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._signing is not None:
            self._signing.clear()
        self.save_state()
        super().closeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.sig_first_painted.emit()
