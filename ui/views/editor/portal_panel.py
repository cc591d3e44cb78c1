"""Trên cổng: what the portal said about a submitted dossier.

The portal history as a timeline, the officer's supplement requests with how far each
answer got and "Mở bản bổ sung" (opens the draft that answers it), the fees with
"Thanh toán" (the payment page opens in the browser; the payment state follows), and
the result documents with their signature check; a double-click opens a result.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QCoreApplication, Qt, QTimer, QUrl, Signal, Slot
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

from desktop.display import safe_text
from desktop.dossier.model import Dossier
from desktop.sync.payment_followup import CANCELLED, PAID, FollowRound, PaymentFollowUp
from ui.models.labels import format_local_time, portal_state_label
from ui.tasks import TaskManager

if TYPE_CHECKING:
    # Not at run time: importing ui.app must not load SQLAlchemy on the GUI thread.
    from desktop.sync.supplements import SupplementRequest

# One portal question per round, a timer in between: no worker sits waiting on a payment
# (a worker blocked for minutes would hold up closing the app).
PAYMENT_POLL_MS = 3000
SHA_ROLE = Qt.ItemDataRole.UserRole
DRAFT_ROLE = Qt.ItemDataRole.UserRole + 1


class PortalInfo(Protocol):
    def portal_view(self, dossier_id: int) -> dict[str, Any]: ...

    @property
    def payments(self) -> PaymentFollowUp:
        """The core's payment follow-up (desktop/sync/payment_followup.py)."""
        ...

    def blob_path(self, sha256: str) -> Path: ...

    def takes_payments(self) -> bool: ...

    def supplement_of(self, dossier_id: int) -> SupplementRequest | None: ...

    def supplement_requests(self, dossier_id: int) -> list[SupplementRequest]: ...


def progress_label(progress: str) -> str:
    """The clerk's words for how far the answer to a supplement request got."""
    from desktop.sync.supplements import SENDING, SENT

    labels = {
        SENDING: QCoreApplication.translate("PortalPanel", "Đang gửi"),
        SENT: QCoreApplication.translate("PortalPanel", "Đã gửi"),
    }
    return labels.get(progress, QCoreApplication.translate("PortalPanel", "Chưa trả lời"))


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đ"


class PortalPanel(QWidget):
    """Timeline, fees and results of one dossier (empty until it is submitted)."""

    sig_error = Signal(object)
    """Paying or opening a result was refused: the exception."""

    sig_loaded = Signal(int)
    """The portal view was shown: the dossier id."""

    sig_open_dossier = Signal(int)
    """"Mở bản bổ sung": the id of the draft answering the selected request."""

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
        self._build_supplements()
        pay_row = QHBoxLayout()
        pay_row.addWidget(self.pay_button)
        pay_row.addWidget(self.pay_label, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(QLabel(self.tr("<b>Quá trình xử lý</b>")))
        layout.addWidget(self.timeline, 2)
        layout.addWidget(self.supplements_box)
        layout.addWidget(QLabel(self.tr("<b>Phí, lệ phí</b>")))
        layout.addWidget(self.fees)
        layout.addLayout(pay_row)
        layout.addWidget(QLabel(self.tr("<b>Kết quả</b> (bấm đúp để mở)")))
        layout.addWidget(self.results, 1)
        self.pay_button.clicked.connect(self._on_pay_button_clicked)
        self.results.itemDoubleClicked.connect(self._on_results_double_clicked)
        self.supplements.itemSelectionChanged.connect(self._on_supplements_selection_changed)
        self.supplements.itemDoubleClicked.connect(
            lambda _item: self._on_open_supplement_button_clicked()
        )
        self.open_supplement_button.clicked.connect(self._on_open_supplement_button_clicked)
        self.pay_button.setEnabled(False)

    def _build_supplements(self) -> None:
        """The officer's supplement requests and "Mở bản bổ sung" (hidden when none)."""
        self.supplements = QTableWidget(0, 3)
        self.supplements.setHorizontalHeaderLabels(
            [self.tr("Ngày yêu cầu"), self.tr("Nội dung cần bổ sung"), self.tr("Trả lời")]
        )
        header = self.supplements.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.supplements.verticalHeader().hide()
        self.supplements.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.supplements.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.supplements.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.supplements.setWordWrap(True)
        self.supplements.setMaximumHeight(120)
        self.open_supplement_button = QPushButton(self.tr("Mở bản bổ sung"))
        self.open_supplement_button.setEnabled(False)
        self.supplements_box = QWidget()
        box_layout = QVBoxLayout(self.supplements_box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(QLabel(self.tr("<b>Yêu cầu bổ sung</b>")))
        box_layout.addWidget(self.supplements)
        open_row = QHBoxLayout()
        open_row.addWidget(self.open_supplement_button)
        open_row.addStretch(1)
        box_layout.addLayout(open_row)
        self.supplements_box.hide()

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
        self._load(info, dossier_id)

    def _load(self, info: PortalInfo, dossier_id: int) -> None:
        def read() -> dict[str, Any]:
            view = dict(info.portal_view(dossier_id))
            view["supplements"] = info.supplement_requests(dossier_id)
            return view

        self._tasks.run(read, on_success=lambda view: self._show(dossier_id, view), busy=False)

    def _show(self, dossier_id: int, view: dict[str, Any]) -> None:
        if dossier_id != self.dossier_id:
            return
        self._show_supplements(list(view.get("supplements", [])))
        self.timeline.clear()
        for entry in view.get("history", []):
            at = entry["at"]
            when = format_local_time(at) if isinstance(at, datetime) else str(at)
            name = entry.get("state_name") or portal_state_label(int(entry["state"]))
            note = f" — {entry['note']}" if entry.get("note") else ""
            self.timeline.addItem(safe_text(f"{when}  {name}{note}"))  # the officer's words
        fees = view.get("fees", [])
        self.fees.setRowCount(len(fees))
        for row, fee in enumerate(fees):
            paid = bool(fee["paid"])
            cells = (str(fee["description"]), _money(int(fee["amount"])),
                     self.tr("Đã thanh toán") if paid else self.tr("Chưa thanh toán"))  # fmt: skip
            for column, text in enumerate(cells):
                self.fees.setItem(row, column, QTableWidgetItem(text))
        # A portal whose adapter takes no payments (capabilities) shows the fees only.
        payable = bool(view.get("payments", True))
        self.pay_button.setVisible(payable)
        self.pay_label.setVisible(payable)
        self.pay_button.setEnabled(payable and any(not f["paid"] for f in fees))
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

    def _show_supplements(self, requests: list[SupplementRequest]) -> None:
        from desktop.sync.supplements import UNANSWERED

        selected = self.selected_supplement()
        self.supplements.setRowCount(len(requests))
        for row, request in enumerate(requests):
            cells = (
                format_local_time(request.requested_at),
                safe_text(request.note),
                progress_label(request.progress),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(DRAFT_ROLE, request.draft_id)
                if column == 1:
                    item.setToolTip(safe_text(request.note))
                if column == 2 and request.progress == UNANSWERED:
                    item.setForeground(QBrush(QColor("#9a5b00")))
                self.supplements.setItem(row, column, item)
            if selected is not None and request.draft_id == selected:
                self.supplements.selectRow(row)
        self.supplements.resizeRowsToContents()
        self.supplements_box.setVisible(bool(requests))
        if requests and selected is None:
            # The newest request is the one the clerk is about to answer.
            self.supplements.selectRow(len(requests) - 1)
        self._on_supplements_selection_changed()

    def selected_supplement(self) -> int | None:
        """The draft id of the selected supplement request (None: none, or no draft)."""
        rows = self.supplements.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.supplements.item(rows[0].row(), 0)
        draft = item.data(DRAFT_ROLE) if item is not None else None
        return int(draft) if draft is not None else None

    @Slot()
    def _on_supplements_selection_changed(self) -> None:
        self.open_supplement_button.setEnabled(self.selected_supplement() is not None)

    @Slot()
    def _on_open_supplement_button_clicked(self) -> None:
        draft = self.selected_supplement()
        if draft is not None:
            self.sig_open_dossier.emit(draft)

    @Slot()
    def _on_pay_button_clicked(self) -> None:
        info, dossier_id = self._info, self.dossier_id
        if info is None or dossier_id is None:
            return
        self.pay_button.setEnabled(False)
        self._tasks.run(
            lambda: info.payments.begin(dossier_id, None),
            on_success=self._payment_round,
            on_failure=self._payment_failed,
        )

    def _payment_round(self, step: FollowRound) -> None:
        payment = step.payment
        if step.open_page:
            QDesktopServices.openUrl(QUrl(str(payment.payment_url)))
            self.pay_label.setText(
                self.tr(
                    "Đã mở trang thanh toán {amount} trong trình duyệt; đang chờ kết quả…"
                ).format(amount=_money(int(payment.amount)))
            )
        if step.finished:
            self._payment_followed(step)
        else:
            QTimer.singleShot(PAYMENT_POLL_MS, self, lambda: self._follow(str(payment.ref)))

    def _follow(self, ref: str) -> None:
        info = self._info
        if info is None:
            return
        self._tasks.run(
            lambda: info.payments.round(ref),
            on_success=self._payment_round,
            on_failure=lambda exc: self._payment_round_failed(ref, exc),
            busy=False,
        )

    def _payment_round_failed(self, ref: str, exc: BaseException) -> None:
        info = self._info
        if info is not None and info.payments.keeps_following(ref, exc):
            QTimer.singleShot(PAYMENT_POLL_MS, self, lambda: self._follow(ref))
            return
        self._payment_failed(exc)

    def _payment_followed(self, step: FollowRound) -> None:
        texts = {
            PAID: self.tr("Đã thanh toán {amount}."),
            CANCELLED: self.tr("Giao dịch {amount} đã bị huỷ; có thể bấm «Thanh toán» lại."),
        }
        text = texts.get(step.outcome, self.tr("Chưa nhận được kết quả thanh toán {amount}."))
        self.pay_label.setText(text.format(amount=_money(int(step.payment.amount))))
        info, dossier_id = self._info, self.dossier_id
        if info is not None and dossier_id is not None:
            self._load(info, dossier_id)

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
