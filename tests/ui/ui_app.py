"""The whole app over a real Workspace, as `dvc-desk` opens it, for end-to-end UI tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QSettings

from desktop.settings import PORTAL_URL
from desktop.workspace import Workspace
from ui.bridge import EventBridge
from ui.sync_runner import SyncRunner
from ui.tasks import TaskManager
from ui.views.main_window import MainWindow
from ui.wiring import build_window


@contextmanager
def open_app(
    qtbot, workspace: Workspace, tasks: TaskManager, portal_url: str, tmp_path: Path
) -> Iterator[tuple[MainWindow, SyncRunner]]:
    """The shown, started window and its running sync engine on `portal_url`."""
    workspace.settings.set(PORTAL_URL, portal_url)
    bridge = EventBridge(workspace.events)
    sync = SyncRunner(workspace, tasks)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    window = build_window(workspace, tasks, bridge, sync, settings)
    qtbot.addWidget(window)
    window.show()
    window.start()
    with qtbot.waitSignal(sync.sig_started, timeout=10000):
        sync.start()
    try:
        yield window, sync
    finally:
        sync.stop()
        bridge.close()
