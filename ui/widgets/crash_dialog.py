"""Bugs shown to the clerk: a crash dialog with "Sao chép báo cáo" and "Mở thư mục nhật ký".

`CrashReporter.install()` becomes `sys.excepthook` and `threading.excepthook`, so an
exception escaping a slot or a worker thread is logged and shown, never lost; a thread's
exception crosses to the GUI thread through a queued signal. Each distinct crash (same
exception type at the same place) is shown once per session; repeats are only logged.
A core error (DvcError) that escapes is the clerk's kind of problem, not a bug: it is
shown as its Vietnamese sentence.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import DvcError
from ui.widgets.error_dialog import show_error

log = logging.getLogger(__name__)


def crash_key(exc: BaseException) -> str:
    """Type and innermost place of the exception: what makes two crashes the same."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return f"{type(exc).__qualname__}@{where}"


def crash_report(exc: BaseException, thread: str = "") -> str:
    """The text the clerk copies for support: versions, thread, traceback (no user data
    beyond what the traceback itself holds)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        app_version = version("dvc-desk")
    except PackageNotFoundError:
        app_version = "?"
    lines = [
        f"dvc-desk {app_version}",
        f"Python {platform.python_version()} · {platform.platform()}",
    ]
    if thread:
        lines.append(f"Thread: {thread}")
    lines.append("")
    lines += traceback.format_exception(type(exc), exc, exc.__traceback__)
    return "\n".join(line.rstrip("\n") for line in lines)


class CrashDialog(QDialog):
    """What went wrong, the report to copy, and where the logs are."""

    def __init__(self, report: str, log_dir: Path | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("dvc-desk gặp lỗi"))
        self.resize(640, 420)
        self.report = report
        self._log_dir = log_dir
        message = QLabel(
            self.tr(
                "Ứng dụng gặp một lỗi không mong muốn. Dữ liệu đã lưu không bị ảnh hưởng; "
                "bạn có thể làm tiếp. Hãy bấm «Sao chép báo cáo» và gửi cho bộ phận hỗ trợ "
                "kèm tệp nhật ký."
            )
        )
        message.setWordWrap(True)
        self.details = QPlainTextEdit(report)
        self.details.setReadOnly(True)
        self.copy_button = QPushButton(self.tr("Sao chép báo cáo"))
        self.logs_button = QPushButton(self.tr("Mở thư mục nhật ký"))
        self.logs_button.setEnabled(log_dir is not None)
        close = QPushButton(self.tr("Đóng"))
        close.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.logs_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(self.details, 1)
        layout.addLayout(buttons)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.logs_button.clicked.connect(self._on_logs_button_clicked)
        close.clicked.connect(self.accept)

    @Slot()
    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.report)
        self.copy_button.setText(self.tr("Đã sao chép"))

    @Slot()
    def _on_logs_button_clicked(self) -> None:
        if self._log_dir is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._log_dir)))


class CrashReporter(QObject):
    """The app's exception hooks (install once the window exists)."""

    sig_crash_shown = Signal(object)
    """A crash dialog was opened: the CrashDialog."""

    _sig_thread_crash = Signal(object, str)

    def __init__(self, parent_window: QWidget | None, log_dir: Path | None) -> None:
        super().__init__()
        self._window = parent_window
        self._log_dir = log_dir
        self._seen: set[str] = set()
        self._previous: tuple[object, object] | None = None
        self._sig_thread_crash.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._on_exception
        threading.excepthook = self._on_thread_exception

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous  # type: ignore[assignment]
            self._previous = None

    def _on_exception(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if isinstance(exc, KeyboardInterrupt):
            QApplication.quit()
            return
        self.report(exc, threading.current_thread().name)

    def _on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            name = args.thread.name if args.thread is not None else "?"
            self.report(args.exc_value, name)

    def report(self, exc: BaseException, thread: str = "") -> None:
        """Log `exc` and show it (on the GUI thread, whichever thread calls)."""
        log.error("unhandled exception in %s", thread or "?", exc_info=exc)
        self._sig_thread_crash.emit(exc, thread)

    @Slot(object, str)
    def _show(self, exc: BaseException, thread: str) -> None:
        if isinstance(exc, DvcError):
            show_error(self._window, exc, self._log_dir)
            return
        key = crash_key(exc)
        if key in self._seen:
            return  # already shown this session; the log has every occurrence
        self._seen.add(key)
        dialog = CrashDialog(crash_report(exc, thread), self._log_dir, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.sig_crash_shown.emit(dialog)
