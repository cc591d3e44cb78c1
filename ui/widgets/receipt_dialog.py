"""The portal's receipt (biên nhận) of a submitted dossier, opened from the queue.

The clerk reads the receipt number and the appointment date to the citizen, or copies
the number into the office's register; "Mở hồ sơ" goes to the dossier, whose
"Trên cổng" tab follows what the portal does next.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.models.labels import format_local_time

if TYPE_CHECKING:
    from desktop.sync.items import OutboxEntry


def format_day(value: str | None) -> str:
    """An ISO date (`2026-12-03`) as dd/mm/yyyy; anything else as it is."""
    if not value:
        return ""
    try:
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    except ValueError:
        return value


class ReceiptDialog(QDialog):
    """Receipt number, submission time and appointment date of one queue item."""

    sig_open_dossier = Signal(int)
    """"Mở hồ sơ" was clicked: the dossier id."""

    def __init__(self, entry: OutboxEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.setWindowTitle(self.tr("Biên nhận hồ sơ #%1").replace("%1", str(entry.dossier_id)))
        self.receipt_label = QLabel(entry.receipt_no or "")
        self.receipt_label.setStyleSheet("font-weight: bold; font-size: 16px;")
        self.submitted_label = QLabel(format_local_time(entry.submitted_at))
        self.appointment_label = QLabel(
            format_day(entry.appointment_date) or self.tr("cổng chưa hẹn ngày")
        )
        self.account_label = QLabel(entry.account or "")
        form = QFormLayout()
        form.addRow(self.tr("Số biên nhận"), self.receipt_label)
        form.addRow(self.tr("Nộp lúc"), self.submitted_label)
        form.addRow(self.tr("Ngày hẹn trả kết quả"), self.appointment_label)
        form.addRow(self.tr("Tài khoản nộp"), self.account_label)
        for label in (self.receipt_label, self.submitted_label, self.appointment_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        note = QLabel(
            self.tr(
                "Số biên nhận do cổng dịch vụ công cấp; công dân dùng số này để tra cứu "
                "hồ sơ. Quá trình xử lý tiếp theo xem ở tab «Trên cổng» của hồ sơ."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(mid);")
        self.copy_button = QPushButton(self.tr("Sao chép số biên nhận"))
        self.open_button = QPushButton(self.tr("Mở hồ sơ"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)

    @Slot()
    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.entry.receipt_no or "")

    @Slot()
    def _on_open_button_clicked(self) -> None:
        self.sig_open_dossier.emit(self.entry.dossier_id)
        self.accept()
