"""Start-up of the desktop app: `dvc-desk` without a subcommand lands in `main()`.

The workspace (settings, logs, database migrations) opens on a helper thread while Qt
starts; a start-up refusal (for instance a database written by a newer dvc-desk) is
shown as a Vietnamese message box and the process exits 1, never with a traceback.
"""

from __future__ import annotations

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
from ui.bridge import EventBridge
from ui.i18n import install_translators, pick_font_family
from ui.icons import icon
from ui.sync_runner import SyncRunner
from ui.tasks import TaskManager
from ui.views.main_window import MainWindow
from ui.widgets.crash_dialog import CrashReporter
from ui.widgets.error_dialog import build_error_box, error_text
from ui.wiring import build_window

if TYPE_CHECKING:
    from desktop.workspace import Workspace

log = logging.getLogger(__name__)

UI_SETTINGS_FILE = "ui.ini"
EXIT_OK, EXIT_REFUSED = 0, 1


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
    prompts: list[Callable[[], str]] = []  # the master password dialog, once Qt runs
    logins: list[Callable[[str], str]] = []  # an office account's password dialog, too
    opener = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dvc-open")
    opening: Future[Workspace] = opener.submit(_open_workspace, root, prompts, logins)
    opener.shutdown(wait=False)

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
    from ui.widgets.account_password import AccountPasswordPrompt
    from ui.widgets.master_password import MasterPasswordPrompt

    prompts.append(MasterPasswordPrompt())
    logins.append(AccountPasswordPrompt().for_login)

    try:
        workspace = opening.result()
    except Exception as exc:
        return _refuse_start(exc, root.logs, smoke)
    try:
        return _run(app, workspace, smoke)
    except Exception as exc:
        # A fault while building the window: a message and exit 1, not a traceback.
        return _refuse_start(exc, root.logs, smoke)
    finally:
        workspace.close()


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


def _run(app: QApplication, workspace: Workspace, smoke: bool) -> int:
    tasks = TaskManager()
    bridge = EventBridge(workspace.events)
    sync = SyncRunner(workspace, tasks)
    try:
        ui_settings = QSettings(
            str(workspace.paths.root / UI_SETTINGS_FILE), QSettings.Format.IniFormat
        )
        window = build_window(workspace, tasks, bridge, sync, ui_settings)
        if not smoke:  # the smoke test measures start-up; no engine, no sandbox
            sync.start()
        return _exec(app, window, workspace.paths.logs, smoke)
    finally:
        tasks.shutdown()
        sync.stop()
        bridge.close()


def _exec(app: QApplication, window: MainWindow, log_dir: Path, smoke: bool) -> int:
    crashes = CrashReporter(window, log_dir)
    crashes.install()
    window.sig_first_painted.connect(freeze_startup_heap)
    if smoke:
        window.sig_first_painted.connect(lambda: _smoke_ready(app))
    try:
        window.show()
        window.start()
        return int(app.exec())
    finally:
        crashes.uninstall()
        window.save_state()
        window.deleteLater()


def freeze_startup_heap() -> None:
    """Take what start-up built out of the cyclic garbage collector's reach (`gc.freeze`).

    Modules, classes, functions and Qt wrappers (~180,000 objects) live as long as the
    app, yet every full collection walked them all with the GIL held: 100-200 ms on
    two busy cores in which the window could not repaint, whichever thread allocated
    (bench/bench_ui_lag.py). Frozen, a full collection scans only what the session made
    since, a few ms. Reference counting still frees frozen objects; only cycles among
    them that later become garbage would stay (at the first paint there are none).
    """
    gc.freeze()


def _smoke_ready(app: QApplication) -> None:
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    # Leave through the event loop so the paint that triggered this completes.
    QTimer.singleShot(0, lambda: app.exit(EXIT_OK))


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
