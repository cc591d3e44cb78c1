"""Trên cổng: what the portal said about a submitted dossier.

The portal history as a timeline, the fees with "Thanh toán" (the payment page opens
in the browser; the payment state follows), and the result documents with their
signature check; a double-click opens a result.
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.dossier.model import Dossier
from ui.models.labels import format_local_time, portal_state_label
from ui.tasks import TaskManager

PAYMENT_FOLLOW_SECONDS = 900.0
# Followed in short rounds: a worker blocked for minutes would hold up closing the app.
PAYMENT_ROUND_SECONDS = 5.0
SHA_ROLE = Qt.ItemDataRole.UserRole


class PortalInfo(Protocol):
    def portal_view(self, dossier_id: int) -> dict[str, Any]: ...

    def start_payment(self, dossier_id: int) -> Any: ...

    def follow_payment(self, ref: str, timeout: float) -> Any: ...

    def blob_path(self, sha256: str) -> Path: ...


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đ"


class PortalPanel(QWidget):
    """Timeline, fees and results of one dossier (empty until it is submitted)."""

    sig_error = Signal(object)
    """Paying or opening a result was refused: the exception."""

    sig_loaded = Signal(int)
    """The portal view was shown: the dossier id."""

    def __init__(self, info: PortalInfo | None, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self._info = info
        self._tasks = tasks
        self.dossier_id: int | None = None
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.timeline = QListWidget()
        self.fees = QTableWidget(0, 3)
        self.fees.setHorizontalHeaderLabels([self.tr("Khoản phí"), self.tr("Số tiền"),
                                             self.tr("Thanh toán")])  # fmt: skip
        self.fees.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.fees.verticalHeader().hide()
        self.fees.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fees.setMaximumHeight(120)
        self.pay_button = QPushButton(self.tr("Thanh toán"))
        self.pay_label = QLabel()
        self.results = QListWidget()
        self.results.setMaximumHeight(110)
        pay_row = QHBoxLayout()
        pay_row.addWidget(self.pay_button)
        pay_row.addWidget(self.pay_label, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(QLabel(self.tr("<b>Quá trình xử lý</b>")))
        layout.addWidget(self.timeline, 2)
        layout.addWidget(QLabel(self.tr("<b>Phí, lệ phí</b>")))
        layout.addWidget(self.fees)
        layout.addLayout(pay_row)
        layout.addWidget(QLabel(self.tr("<b>Kết quả</b> (bấm đúp để mở)")))
        layout.addWidget(self.results, 1)
        self.pay_button.clicked.connect(self._on_pay_button_clicked)
        self.results.itemDoubleClicked.connect(self._on_results_double_clicked)
        self.pay_button.setEnabled(False)

    def set_dossier(self, dossier: Dossier) -> None:
        """Show what the portal knows of `dossier` (read in the background)."""
        self.dossier_id = dossier.id
        if dossier.receipt_no:
            state = portal_state_label(dossier.portal_state) if dossier.portal_state else ""
            self.summary_label.setText(
                self.tr("Số biên nhận: <b>{receipt}</b> · {state}").format(
                    receipt=dossier.receipt_no, state=state
                )
            )
        else:
            self.summary_label.setText(
                self.tr("Hồ sơ chưa được cổng tiếp nhận; quá trình xử lý hiện ở đây sau khi nộp.")
            )
        info, dossier_id = self._info, dossier.id
        if info is None:
            return
        self._tasks.run(
            lambda: info.portal_view(dossier_id),
            on_success=lambda view: self._show(dossier_id, view),
            busy=False,
        )

    def _show(self, dossier_id: int, view: dict[str, Any]) -> None:
        if dossier_id != self.dossier_id:
            return
        self.timeline.clear()
        for entry in view.get("history", []):
            at = entry["at"]
            when = format_local_time(at) if isinstance(at, datetime) else str(at)
            name = entry.get("state_name") or portal_state_label(int(entry["state"]))
            note = f" — {entry['note']}" if entry.get("note") else ""
            self.timeline.addItem(f"{when}  {name}{note}")
        fees = view.get("fees", [])
        self.fees.setRowCount(len(fees))
        for row, fee in enumerate(fees):
            paid = bool(fee["paid"])
            cells = (str(fee["description"]), _money(int(fee["amount"])),
                     self.tr("Đã thanh toán") if paid else self.tr("Chưa thanh toán"))  # fmt: skip
            for column, text in enumerate(cells):
                self.fees.setItem(row, column, QTableWidgetItem(text))
        self.pay_button.setEnabled(any(not f["paid"] for f in fees))
        self.results.clear()
        for result in view.get("results", []):
            valid = result.get("signature_valid")
            badge = {True: self.tr("✔ chữ ký hợp lệ"), False: self.tr("✘ chữ ký không hợp lệ")}
            item = QListWidgetItem(f"{result['name']}  {badge.get(valid, '')}".strip())
            item.setData(SHA_ROLE, result.get("blob_sha256"))
            item.setToolTip(str(result.get("signature_detail") or ""))
            if valid is False:
                item.setForeground(QBrush(QColor("#b3261e")))
            self.results.addItem(item)
        self.sig_loaded.emit(dossier_id)

    @Slot()
    def _on_pay_button_clicked(self) -> None:
        info, dossier_id = self._info, self.dossier_id
        if info is None or dossier_id is None:
            return
        self.pay_button.setEnabled(False)
        self._tasks.run(
            lambda: info.start_payment(dossier_id),
            on_success=self._payment_started,
            on_failure=self._payment_failed,
        )

    def _payment_started(self, payment: Any) -> None:
        QDesktopServices.openUrl(QUrl(str(payment.payment_url)))
        self.pay_label.setText(
            self.tr("Đã mở trang thanh toán {amount} trong trình duyệt; đang chờ kết quả…").format(
                amount=_money(int(payment.amount))
            )
        )
        self._follow(str(payment.ref), time.monotonic() + PAYMENT_FOLLOW_SECONDS)

    def _follow(self, ref: str, deadline: float) -> None:
        info = self._info
        assert info is not None
        self._tasks.run(
            lambda: info.follow_payment(ref, PAYMENT_ROUND_SECONDS),
            on_success=lambda payment: self._payment_round(payment, deadline),
            on_failure=self._payment_failed,
            busy=False,
        )

    def _payment_round(self, payment: Any, deadline: float) -> None:
        if str(payment.state) == "pending" and time.monotonic() < deadline:
            self._follow(str(payment.ref), deadline)
            return
        self._payment_followed(payment)

    def _payment_followed(self, payment: Any) -> None:
        texts = {
            "paid": self.tr("Đã thanh toán {amount}."),
            "cancelled": self.tr("Giao dịch {amount} đã bị huỷ; có thể bấm «Thanh toán» lại."),
        }
        text = texts.get(str(payment.state), self.tr("Chưa nhận được kết quả thanh toán {amount}."))
        self.pay_label.setText(text.format(amount=_money(int(payment.amount))))
        info, dossier_id = self._info, self.dossier_id
        if info is not None and dossier_id is not None:
            self._tasks.run(
                lambda: info.portal_view(dossier_id),
                on_success=lambda view: self._show(dossier_id, view),
                busy=False,
            )

    def _payment_failed(self, exc: BaseException) -> None:
        self.pay_button.setEnabled(True)
        self.pay_label.clear()
        self.sig_error.emit(exc)

    @Slot(QListWidgetItem)
    def _on_results_double_clicked(self, item: QListWidgetItem) -> None:
        sha = item.data(SHA_ROLE)
        if self._info is not None and sha:
            path = self._info.blob_path(str(sha))
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
