"""Start-up of the desktop app: `dvc-desk` without a subcommand lands in `main()`.

The window's shell (navigation, "Đang mở…" pages) is shown and painted first; then the
workspace (settings, logs, database migrations) opens on a helper thread while the GUI
thread imports the screens, which are built over it when it is open. A start-up refusal
(for instance a database written by a newer dvc-desk) is shown as a Vietnamese message
box and the process exits 1, never with a traceback.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QMessageLogContext,
    QSettings,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication

from desktop import paths
from desktop.errors import DvcError
from desktop.settings import LANGUAGE, Settings
from ui.i18n import install_translators, pick_font_family
from ui.icons import icon
from ui.views.main_window import MainWindow
from ui.widgets.crash_dialog import CrashReporter
from ui.widgets.error_dialog import build_error_box, error_text

if TYPE_CHECKING:
    from desktop.workspace import Workspace
    from ui.bridge import EventBridge
    from ui.sync_runner import SyncRunner
    from ui.tasks import TaskManager

log = logging.getLogger(__name__)

UI_SETTINGS_FILE = "ui.ini"
EXIT_OK, EXIT_REFUSED = 0, 1
OPEN_POLL_MS = 20  # how often the GUI thread looks whether the workspace has opened


def show_startup_error(exc: BaseException, log_dir: Path | None) -> None:
    """A modal message box: the app cannot go on (replaced in tests)."""
    build_error_box(None, exc, log_dir).exec()


def main(data_dir: str | None = None, smoke: bool = False) -> int:
    """Run the desktop app until its window closes; with `smoke`, until its first paint."""
    if not _display_available():
        if not smoke:
            sys.stderr.write(
                "dvc-desk: không tìm thấy màn hình để mở cửa sổ (chưa đặt DISPLAY hoặc "
                "WAYLAND_DISPLAY). Hãy chạy trong phiên đồ hoạ, hoặc dùng các lệnh con "
                "của dvc-desk (dvc-desk --help).\n"
            )
            return EXIT_REFUSED
        os.environ["QT_QPA_PLATFORM"] = "offscreen"

    previous_handler = qInstallMessageHandler(_log_qt_message)
    try:
        return _main(data_dir, smoke)
    finally:
        qInstallMessageHandler(previous_handler)


def _main(data_dir: str | None, smoke: bool) -> int:
    root = paths.resolve(data_dir)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("dvc-desk")
    app.setApplicationDisplayName("dvc-desk")
    app.setWindowIcon(icon("dvc-desk"))
    family = pick_font_family()
    if family:
        font = app.font()
        font.setFamily(family)
        app.setFont(font)
    install_translators(app, _language(root))
    ui_settings = QSettings(str(root.root / UI_SETTINGS_FILE), QSettings.Format.IniFormat)
    # The shell first (navigation, "Đang mở…" pages): painted before the screens, the
    # database and the signing, PDF and network libraries are imported.
    window = MainWindow(None, ui_settings=ui_settings, data_dir=root.root)
    start = _Startup(app, window, root, ui_settings, smoke)
    window.sig_first_painted.connect(start.after_first_paint)
    if smoke:
        window.sig_first_painted.connect(_smoke_ready)
    crashes = CrashReporter(window, root.logs)
    crashes.install()
    try:
        window.show()
        return int(app.exec())
    finally:
        crashes.uninstall()
        if window.attached:
            window.save_state()
        window.hide()
        start.close()
        window.deleteLater()


def _open_workspace(
    root: paths.Paths,
    prompts: list[Callable[[], str]],
    logins: list[Callable[[str], str]] | None = None,
) -> Workspace:
    # Imported here, on the opening thread: SQLAlchemy, Alembic and the services are
    # most of the start-up's Python, and run while Qt starts on the GUI thread.
    from desktop.workspace import Workspace

    def master_password() -> str:
        # Asked only when a credential is first read, by then the window is up.
        from desktop.errors import UserError
        from desktop.portal.credentials import E_MASTER_PASSWORD_NEEDED, ENV_MASTER_PASSWORD

        if not prompts:
            raise UserError(E_MASTER_PASSWORD_NEEDED, env=ENV_MASTER_PASSWORD)
        return prompts[0]()

    def account_password(login: str) -> str:
        # An office account with a password (docs/office.md), asked when first needed.
        from desktop.office.users import ask_password

        return logins[0](login) if logins else ask_password(login)

    workspace = Workspace(root, master_password=master_password, account_password=account_password)
    _ = workspace.catalog, workspace.dossiers  # built here for the same reason
    workspace.start_live_updates()  # PostgreSQL: other desks' changes refresh the lists
    return workspace


class _Startup:
    """What follows the first paint, one step per turn of the event loop (the window
    repaints and answers between them): the workspace opens on a helper thread while
    the GUI thread imports the screens, then the screens are built over it."""

    def __init__(
        self,
        app: QApplication,
        window: MainWindow,
        root: paths.Paths,
        ui_settings: QSettings,
        smoke: bool,
    ) -> None:
        self._app, self._window, self._root = app, window, root
        self._ui_settings, self._smoke = ui_settings, smoke
        self._opening: Future[Workspace] | None = None
        self._workspace: Workspace | None = None
        self._close: list[Callable[[], None]] = []
        self._poll = QTimer()
        self._poll.setInterval(OPEN_POLL_MS)
        self._poll.timeout.connect(self._check_opened)

    def after_first_paint(self) -> None:
        QTimer.singleShot(0, self._open)

    def _open(self) -> None:
        from ui.widgets.account_password import AccountPasswordPrompt
        from ui.widgets.master_password import MasterPasswordPrompt

        prompts: list[Callable[[], str]] = [MasterPasswordPrompt()]
        logins: list[Callable[[str], str]] = [AccountPasswordPrompt().for_login]
        opener = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dvc-open")
        self._opening = opener.submit(_open_workspace, self._root, prompts, logins)
        opener.shutdown(wait=False)
        QTimer.singleShot(0, _import_screens)  # while the workspace opens
        self._poll.start()

    def _check_opened(self) -> None:
        assert self._opening is not None
        if not self._opening.done():
            return
        self._poll.stop()
        try:
            self._workspace = self._opening.result()
        except Exception as exc:
            self._app.exit(_refuse_start(exc, self._root.logs, self._smoke))
            return
        try:
            self._build(self._workspace)
        except Exception as exc:
            # A fault while building the window: a message and exit 1, not a traceback.
            self._app.exit(_refuse_start(exc, self._root.logs, self._smoke))
            return
        freeze_startup_heap()
        if self._smoke:  # the smoke test measures start-up and checks the whole window
            QTimer.singleShot(0, lambda: self._app.exit(EXIT_OK))

    def _build(self, workspace: Workspace) -> None:
        from ui.bridge import EventBridge
        from ui.sync_runner import SyncRunner
        from ui.tasks import TaskManager

        tasks = TaskManager()
        self._close.append(tasks.shutdown)
        bridge = EventBridge(workspace.events)
        self._close.append(bridge.close)
        sync = SyncRunner(workspace, tasks)
        self._close.insert(1, sync.stop)  # after the tasks, before the bridge
        build_window(workspace, tasks, bridge, sync, self._ui_settings, window=self._window)
        if not self._smoke:  # the smoke test measures start-up; no engine, no sandbox
            sync.start()
        self._window.start()

    def close(self) -> None:
        self._poll.stop()
        for close in self._close:
            close()
        if self._workspace is None and self._opening is not None:
            with contextlib.suppress(Exception):
                self._workspace = self._opening.result()  # opened as the window closed
        if self._workspace is not None:
            self._workspace.close()


def build_window(
    workspace: Workspace,
    tasks: TaskManager,
    bridge: EventBridge,
    sync: SyncRunner,
    ui_settings: QSettings,
    *,
    window: MainWindow,
) -> MainWindow:
    """`ui.wiring.build_window`, imported when the shell has painted."""
    from ui.wiring import build_window as build

    return build(workspace, tasks, bridge, sync, ui_settings, window=window)


def _import_screens() -> None:
    # The screens' modules (PDF checks, signing, images) load on the GUI thread between
    # two paints, while SQLAlchemy loads on the opening thread.
    import ui.wiring  # noqa: F401


def freeze_startup_heap() -> None:
    """Take what start-up built out of the cyclic garbage collector's reach (`gc.freeze`).

    Modules, classes, functions and Qt wrappers (~180,000 objects) live as long as the
    app, yet every full collection walked them all with the GIL held: 100-200 ms on
    two busy cores in which the window could not repaint, whichever thread allocated
    (bench/bench_ui_lag.py). Frozen, a full collection scans only what the session made
    since, a few ms. Reference counting still frees frozen objects; only cycles among
    them that later become garbage would stay (once the screens are built there are none).
    """
    gc.freeze()


def _smoke_ready() -> None:
    # The shell is painted and answers; the screens are built next, then smoke exits.
    sys.stdout.write("ready\n")
    sys.stdout.flush()


def _refuse_start(exc: BaseException, log_dir: Path, smoke: bool) -> int:
    if isinstance(exc, DvcError):
        log.info("start refused: %s %s", exc.code, exc.params)
    else:
        log.error("start failed", exc_info=exc)
    sys.stderr.write(f"dvc-desk: {error_text(exc, log_dir)}\n")
    if not smoke:
        show_startup_error(exc, log_dir)
    return EXIT_REFUSED


def _language(root: paths.Paths) -> str:
    # Read here as well as in the Workspace: the translators must be in place before
    # the first widget exists, while the workspace is still opening.
    return Settings(root.settings_file).get(LANGUAGE)


def _log_qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    # Qt's own warnings go to the log file, not the clerk's terminal.
    level = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
    }.get(kind, logging.ERROR)
    if "does not support propagateSizeHints" in message:
        level = logging.DEBUG  # the offscreen platform says this of every window
    logging.getLogger("qt").log(level, "%s", message)


def _display_available() -> bool:
    if os.environ.get("QT_QPA_PLATFORM") or not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
