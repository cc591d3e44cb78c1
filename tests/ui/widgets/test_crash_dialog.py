"""ui/widgets/crash_dialog.py: crashes from slots and threads, shown once each."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from ui.widgets.crash_dialog import CrashDialog, CrashReporter


@pytest.fixture
def reporter(qapp: object, tmp_path: Path) -> Iterator[CrashReporter]:
    crashes = CrashReporter(None, tmp_path / "logs")
    crashes.install()
    yield crashes
    crashes.uninstall()


def boom() -> None:
    raise ValueError("hỏng")


def test_a_worker_thread_crash_is_shown_once_with_a_report(qtbot, reporter: CrashReporter) -> None:
    shown: list[CrashDialog] = []
    reporter.sig_crash_shown.connect(shown.append)
    with qtbot.waitSignal(reporter.sig_crash_shown, timeout=5000):
        worker = threading.Thread(target=boom, name="dvc-io_7")
        worker.start()
        worker.join()
    dialog = shown[0]
    qtbot.addWidget(dialog)
    assert "Thread: dvc-io_7" in dialog.report
    assert "ValueError: hỏng" in dialog.report
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == dialog.report
    assert dialog.copy_button.text() == "Đã sao chép"
    assert dialog.logs_button.isEnabled()
    # The same crash again is logged, not shown again; a different one is shown.
    again = threading.Thread(target=boom)
    again.start()
    again.join()
    try:
        raise KeyError("khác")
    except KeyError as exc:
        with qtbot.waitSignal(reporter.sig_crash_shown, timeout=5000):
            sys.excepthook(type(exc), exc, exc.__traceback__)
    assert len(shown) == 2
    assert "KeyError" in shown[1].report
    for dialog in shown[1:]:
        qtbot.addWidget(dialog)
