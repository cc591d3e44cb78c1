"""Thanh toán: every fee the portal asked for, across dossiers, and paying them.

"Thanh toán" asks the portal for a payment of the selected dossier's unpaid fees, opens
its page in the browser and follows it until it is paid or cancelled; a payment still
pending from earlier is reopened instead of started twice. "Mở hồ sơ" opens the
dossier; "Xem biên lai" opens the electronic receipt kept when the payment was paid.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import DvcError, IntegrityError, UserError, define
from desktop.sync.payment_followup import CANCELLED, PAID, FollowRound
from ui.models.fees_table import (
    COLUMN_DOSSIER,
    COLUMN_FEE,
    FeeSource,
    FeesTableModel,
    dossier_text,
    format_vnd,
)
from ui.tasks import TaskManager
from ui.views.editor.portal_panel import PortalInfo
from ui.widgets.row_table import setup_row_table

if TYPE_CHECKING:
    from desktop.sync.fees import FeeFilter, FeeRow, FeeTotals

REFRESH_DEBOUNCE_MS = 300
PAYMENT_POLL_MS = 3000
RECEIPTS_DIR = "dvc-desk-bien-lai"

E_RECEIPT_MISSING = define(
    "ui.receipt_missing",
    vi=(
        "Không tìm thấy tệp biên lai của giao dịch {ref} trong kho dữ liệu. Hãy chạy "
        "«dvc-desk doctor» để kiểm tra kho tệp; biên lai cũng xem được trên cổng."
    ),
    en="The receipt file of payment {ref} is missing from the data store. Run "
    "'dvc-desk doctor' to check the store; the receipt is also on the portal.",
)
E_RECEIPT_NOT_OPENED = define(
    "ui.receipt_not_opened",
    vi=(
        "Không mở được biên lai {path}. Hãy cài một chương trình đọc PDF rồi thử lại, "
        "hoặc mở tệp đó bằng tay."
    ),
    en="Could not open the receipt {path}. Install a PDF reader and try again, or open "
    "the file by hand.",
)


def copy_receipt(source: Path, name: str, folder: Path | None = None) -> Path:
    """Copy a kept receipt (a blob without extension) to `<temp>/…/<name>.pdf`, written
    to a temporary name first, so a PDF reader is chosen by the extension."""
    target_dir = folder or Path(tempfile.gettempdir()) / RECEIPTS_DIR
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{name}.pdf"
    fd, temp = tempfile.mkstemp(prefix=".bien-lai-", suffix=".pdf", dir=target_dir)
    os.close(fd)
    try:
        shutil.copyfile(source, temp)
        Path(temp).replace(target)
    finally:
        Path(temp).unlink(missing_ok=True)
    return target


class PaymentsView(QWidget):
    """The fees table with its filter and total, and the three actions."""

    sig_open_requested = Signal(int)
    """"Mở hồ sơ": the dossier to show in the editor."""

    sig_error = Signal(object)
    """A payment or a receipt was refused: the exception."""

    sig_payment_finished = Signal(int, str)
    """A payment followed here ended: dossier id, state (paid, cancelled or pending
    when nobody paid within the core's FOLLOW_SECONDS)."""

    def __init__(
        self,
        fees: FeeSource,
        portal: PortalInfo | None,
        tasks: TaskManager,
        parent: QWidget | None = None,
        *,
        open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl,
        poll_interval_ms: int = PAYMENT_POLL_MS,
    ) -> None:
        super().__init__(parent)
        self._portal = portal
        self._tasks = tasks
        self._open_url = open_url
        self._poll_interval_ms = poll_interval_ms
        self._following: set[int] = set()  # dossiers whose payment is followed now
        self._takes_payments = True  # the portal's adapter pays (asked at each refresh)
        self._stale = True  # reload when shown
        self._kept: tuple[int, str] | None = None
        self.model = FeesTableModel(fees, tasks, self)
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.state_combo = QComboBox()
        for text, state in (
            (self.tr("Chưa nộp"), "unpaid"),
            (self.tr("Đã nộp"), "paid"),
            (self.tr("Tất cả"), "all"),
        ):
            self.state_combo.addItem(text, state)
        self.total_label = QLabel()
        self.pay_button = QPushButton(self.tr("Thanh toán"))
        self.open_button = QPushButton(self.tr("Mở hồ sơ"))
        self.receipt_button = QPushButton(self.tr("Xem biên lai"))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Hiển thị:")))
        top.addWidget(self.state_combo)
        top.addSpacing(16)
        top.addWidget(self.total_label, 1)
        for button in (self.pay_button, self.open_button, self.receipt_button):
            button.setEnabled(False)
            top.addWidget(button)

        self.table = QTableView()
        self.table.setModel(self.model)
        setup_row_table(
            self.table,
            stretch=COLUMN_FEE,
            widths=((COLUMN_DOSSIER, 220), (1, 190), (3, 100), (4, 150)),
            alternating=True,
        )
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: palette(mid); padding: 24px;")
        self.empty_label.hide()
        self.details_label = QLabel()
        self.details_label.setWordWrap(True)
        self.payment_label = QLabel()
        self.payment_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.details_label)
        layout.addWidget(self.payment_label)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DEBOUNCE_MS)

    def _connect_signals(self) -> None:
        self.state_combo.currentIndexChanged.connect(self._on_state_combo_changed)
        self.model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)
        self.model.sig_reloaded.connect(self._on_model_reloaded)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.doubleClicked.connect(self._on_open_button_clicked)
        self.pay_button.clicked.connect(self._on_pay_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.receipt_button.clicked.connect(self._on_receipt_button_clicked)
        self._refresh_timer.timeout.connect(self._on_refresh_timer_timeout)

    # --- public ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the fees again now, keeping the selection."""
        self._stale = False
        self.model.reload(keep_loaded=True)
        portal = self._portal
        if portal is not None:
            self._tasks.run(portal.takes_payments, on_success=self._show_payable, busy=False)

    @Slot()
    def schedule_refresh(self) -> None:
        """Portal news or a dossier change: one reload after the burst, and only while
        the section is shown (it reloads when shown otherwise)."""
        self._stale = True
        if self.isVisible():
            self._refresh_timer.start()

    @Slot(int)
    def on_dossier_news(self, _dossier_id: int) -> None:
        """The bridge's `sig_dossier_news`: fees may have changed (the status poller adds
        a fee without an event of its own; upload progress is not news)."""
        self.schedule_refresh()

    def selected_fee(self) -> FeeRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.fee(rows[0].row()) if rows else None

    def following(self, dossier_id: int) -> bool:
        """A payment of this dossier is being followed."""
        return dossier_id in self._following

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # --- list --------------------------------------------------------------------------

    @Slot()
    def _on_refresh_timer_timeout(self) -> None:
        self.refresh()

    @Slot()
    def _on_state_combo_changed(self) -> None:
        state: FeeFilter = self.state_combo.currentData()
        self._kept = None
        self._stale = False
        self.model.set_state(state)

    @Slot()
    def _on_model_about_to_be_reset(self) -> None:
        fee = self.selected_fee()
        if fee is not None:
            self._kept = fee.key

    @Slot(object)
    def _on_model_reloaded(self, totals: FeeTotals) -> None:
        self._show_totals(totals)
        row = self.model.row_of(self._kept) if self._kept is not None else None
        if row is None and self.model.rowCount() > 0:
            row = 0
        if row is not None:
            self.table.selectRow(row)
        self._on_selection_changed()

    def _show_totals(self, totals: FeeTotals) -> None:
        if totals.unpaid_count:
            self.total_label.setText(
                self.tr(
                    "Tổng còn phải nộp: <b>{amount}</b> · %n khoản", "", totals.unpaid_count
                ).format(amount=format_vnd(totals.unpaid_amount))
                + self.tr(" của %n hồ sơ", "", totals.unpaid_dossiers)
            )
        else:
            self.total_label.setText(self.tr("Tổng còn phải nộp: <b>0 đ</b>"))
        empty = self.model.rowCount() == 0
        self.table.setVisible(not empty)
        self.empty_label.setVisible(empty)
        if not empty:
            return
        state = self.model.state
        if totals.count("all") == 0:
            text = self.tr(
                "Chưa có khoản phí, lệ phí nào. Khi cơ quan giải quyết yêu cầu thực hiện nghĩa "
                "vụ tài chính cho một hồ sơ đã nộp, các khoản phí hiện ở đây sau lần đồng bộ kế "
                "tiếp với cổng, cùng nút «Thanh toán» để nộp trực tuyến."
            )
        elif state == "unpaid":
            text = self.tr(
                "Không còn khoản phí nào phải nộp. Các khoản đã nộp và biên lai của chúng ở "
                "mục «Đã nộp»."
            )
        else:
            text = self.tr(
                "Chưa có khoản phí nào được nộp. Khoản đã thanh toán xong hiện ở đây cùng biên "
                "lai điện tử."
            )
        self.empty_label.setText(text)

    @Slot()
    def _on_selection_changed(self) -> None:
        fee = self.selected_fee()
        self._update_buttons(fee)
        if fee is None:
            self.details_label.clear()
            return
        text = f"<b>{dossier_text(fee)}</b> — {fee.procedure_name}"
        unpaid = self.model.unpaid_of(fee.dossier_id)
        if unpaid and not self.following(fee.dossier_id):
            text += "<br>" + self.tr(
                "«Thanh toán» mở trang thanh toán %n khoản chưa nộp của hồ sơ này ({amount}) "
                "trong trình duyệt.",
                "",
                len(unpaid),
            ).format(amount=format_vnd(sum(f.amount for f in unpaid)))
        elif fee.payment is not None and fee.payment.receipt_sha256:
            text += "<br>" + self.tr("Mã giao dịch {ref}; biên lai điện tử đã được lưu.").format(
                ref=fee.payment.ref
            )
        self.details_label.setText(text)

    def _show_payable(self, takes_payments: bool) -> None:
        """A portal whose adapter takes no payments (an lgsp platform): no "Thanh toán"."""
        self._takes_payments = takes_payments
        self.pay_button.setVisible(takes_payments)
        self._update_buttons(self.selected_fee())

    def _update_buttons(self, fee: FeeRow | None) -> None:
        payable = (
            fee is not None and not fee.paid and self._portal is not None and self._takes_payments
        )
        self.pay_button.setEnabled(
            payable and fee is not None and not self.following(fee.dossier_id)
        )
        resume = fee is not None and fee.payment is not None and fee.payment.pending
        self.pay_button.setText(self.tr("Tiếp tục thanh toán") if resume else self.tr("Thanh toán"))
        self.open_button.setEnabled(fee is not None)
        receipt = fee is not None and fee.payment is not None and bool(fee.payment.receipt_sha256)
        self.receipt_button.setEnabled(receipt and self._portal is not None)

    # --- actions -----------------------------------------------------------------------

    @Slot()
    def _on_open_button_clicked(self) -> None:
        fee = self.selected_fee()
        if fee is not None:
            self.sig_open_requested.emit(fee.dossier_id)

    @Slot()
    def _on_pay_button_clicked(self) -> None:
        fee, portal = self.selected_fee(), self._portal
        if fee is None or portal is None or fee.paid or self.following(fee.dossier_id):
            return
        if not self._takes_payments:
            return
        dossier_id, payment = fee.dossier_id, fee.payment
        self._following.add(dossier_id)  # a second click cannot start a second payment
        self._update_buttons(fee)
        # A payment started earlier (maybe before the app was closed) is asked about and
        # reopened rather than started twice (the core's rule: PaymentFollowUp.begin).
        pending = payment.ref if payment is not None and payment.pending else None
        if pending is not None:
            self._say(dossier_id, self.tr("Đang hỏi cổng về giao dịch {ref}…").format(ref=pending))
        else:
            self._say(dossier_id, self.tr("Đang tạo giao dịch thanh toán trên cổng…"))
        self._tasks.run(
            lambda: portal.payments.begin(dossier_id, pending),
            on_success=lambda step: self._on_round_done(dossier_id, step),
            on_failure=lambda exc: self._on_payment_failed(dossier_id, exc),
            busy=pending is None,
        )

    def _on_round_done(self, dossier_id: int, step: FollowRound) -> None:
        payment = step.payment
        if step.open_page:
            self._open_url(QUrl(str(payment.payment_url)))
            self._say(
                dossier_id,
                self.tr(
                    "Đã mở trang thanh toán {amount} trong trình duyệt; đang chờ kết quả…"
                ).format(amount=format_vnd(int(payment.amount))),
            )
            self.schedule_refresh()
        if step.finished:
            self._on_payment_finished(dossier_id, step)
        else:
            self._next_round(dossier_id, str(payment.ref))

    def _next_round(self, dossier_id: int, ref: str) -> None:
        # Asked once per round with a timer in between: no worker sits waiting on a
        # payment, so several can be followed while the lists still load.
        QTimer.singleShot(self._poll_interval_ms, self, lambda: self._round(dossier_id, ref))

    def _round(self, dossier_id: int, ref: str) -> None:
        portal = self._portal
        assert portal is not None
        self._tasks.run(
            lambda: portal.payments.round(ref),
            on_success=lambda step: self._on_round_done(dossier_id, step),
            on_failure=lambda exc: self._on_round_failed(dossier_id, ref, exc),
            busy=False,
        )

    def _on_round_failed(self, dossier_id: int, ref: str, exc: BaseException) -> None:
        portal = self._portal
        if portal is not None and portal.payments.keeps_following(ref, exc):
            # The portal is out of reach for a moment: the payment goes on in the browser.
            message = exc.message() if isinstance(exc, DvcError) else str(exc)
            self._say(dossier_id, message + " " + self.tr("Sẽ hỏi lại sau ít giây."))
            self._next_round(dossier_id, ref)
            return
        self._on_payment_failed(dossier_id, exc)

    def _on_payment_finished(self, dossier_id: int, step: FollowRound) -> None:
        self._following.discard(dossier_id)
        texts = {
            PAID: self.tr("Đã thanh toán {amount}; biên lai điện tử đã được lưu."),
            CANCELLED: self.tr("Giao dịch {amount} đã bị huỷ; có thể bấm «Thanh toán» lại."),
        }
        text = texts.get(
            step.outcome,
            self.tr(
                "Chưa nhận được kết quả thanh toán {amount}. Khi đã trả tiền, bấm «Tiếp tục "
                "thanh toán» để cập nhật."
            ),
        )
        self._say(dossier_id, text.format(amount=format_vnd(int(step.payment.amount))))
        self.refresh()
        self.sig_payment_finished.emit(dossier_id, step.outcome)

    def _on_payment_failed(self, dossier_id: int, exc: BaseException) -> None:
        self._following.discard(dossier_id)
        self.payment_label.clear()
        self._update_buttons(self.selected_fee())
        self.sig_error.emit(exc)

    def _say(self, dossier_id: int, text: str) -> None:
        self.payment_label.setText(self.tr("Hồ sơ #{id}: {text}").format(id=dossier_id, text=text))

    @Slot()
    def _on_receipt_button_clicked(self) -> None:
        fee, portal = self.selected_fee(), self._portal
        payment = fee.payment if fee is not None else None
        if fee is None or portal is None or payment is None or not payment.receipt_sha256:
            return
        sha, ref = payment.receipt_sha256, payment.ref
        name = f"bien-lai-{fee.receipt_no or fee.dossier_id}-{ref}"

        def copy() -> Path:
            source = Path(portal.blob_path(sha))
            if not source.is_file():
                raise IntegrityError(E_RECEIPT_MISSING, ref=ref)
            return copy_receipt(source, name)

        self._tasks.run(copy, on_success=self._on_receipt_copied, on_failure=self.sig_error.emit)

    def _on_receipt_copied(self, path: Path) -> None:
        if not self._open_url(QUrl.fromLocalFile(str(path))):
            self.sig_error.emit(UserError(E_RECEIPT_NOT_OPENED, path=str(path)))
