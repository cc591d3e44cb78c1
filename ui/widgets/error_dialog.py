"""Errors shown to the clerk: core codes as sentences, bugs with where the log is."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.errors import DvcError, TransientError


def error_text(exc: BaseException, log_dir: Path | None = None) -> str:
    """The sentence the clerk reads: the core's own message, or a plain bug notice."""
    if isinstance(exc, DvcError):
        return exc.message()
    text = QCoreApplication.translate(
        "errors",
        "Đã xảy ra lỗi không mong muốn ({kind}). Dữ liệu đã lưu không bị ảnh hưởng. "
        "Hãy thử lại; nếu lỗi lặp lại, gửi tệp nhật ký cho bộ phận hỗ trợ.",
    ).format(kind=type(exc).__name__)
    if log_dir is not None:
        text += "\n\n" + QCoreApplication.translate("errors", "Thư mục nhật ký: {path}").format(
            path=log_dir
        )
    return text


def build_error_box(
    parent: QWidget | None, exc: BaseException, log_dir: Path | None = None
) -> QMessageBox:
    """A message box for `exc` (not yet shown)."""
    if isinstance(exc, DvcError) and not isinstance(exc, TransientError):
        icon = QMessageBox.Icon.Warning
    elif isinstance(exc, TransientError):
        icon = QMessageBox.Icon.Information
    else:
        icon = QMessageBox.Icon.Critical
    box = QMessageBox(icon, QCoreApplication.translate("errors", "dvc-desk"), "", parent=parent)
    box.setText(error_text(exc, log_dir))
    return box


def show_error(parent: QWidget | None, exc: BaseException, log_dir: Path | None = None) -> None:
    """Show `exc` without blocking the caller (window-modal when there is a parent)."""
    box = build_error_box(parent, exc, log_dir)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
