"""Fees the portal asked for, across dossiers, as a table loaded page by page.

A reload (a new filter, or portal news) reads the totals and the first page off the
GUI thread; further pages come through `fetchMore()` as the view scrolls. A reload
that finishes after a newer one is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from desktop.display import safe_text
from ui.models.labels import format_local_time
from ui.models.paged_table import PAGE_SIZE, Loaded, PagedTableModel
from ui.tasks import TaskManager

if TYPE_CHECKING:
    # Types only: the core's fees module pulls in SQLAlchemy, which the window must not
    # wait for at start-up (the workspace imports it on its own thread).
    from desktop.sync.fees import FeeFilter, FeeRow, FeeTotals

Index = QModelIndex | QPersistentModelIndex
COLUMN_DOSSIER, COLUMN_RECEIPT, COLUMN_FEE, COLUMN_AMOUNT, COLUMN_STATE = range(5)
KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # (dossier id, fee id)
UNPAID_COLOUR = "#b3261e"
PENDING_COLOUR = "#8a5a00"


class FeeSource(Protocol):
    """The part of desktop.sync.fees.FeeOverview the table needs."""

    def rows(self, state: str = ..., offset: int = ..., limit: int = ...) -> Sequence[FeeRow]: ...

    def totals(self) -> FeeTotals: ...


def format_vnd(amount: int) -> str:
    """1250000 → "1.250.000 đ" (Vietnamese groups thousands with dots)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,}".replace(",", ".") + " đ"


def dossier_text(fee: FeeRow) -> str:
    """ "#12 · Nguyễn Thị Thu Hà": the local number and who the dossier is for."""
    return (
        f"#{fee.dossier_id} · {fee.applicant_name}" if fee.applicant_name else f"#{fee.dossier_id}"
    )


def fee_state_text(fee: FeeRow) -> str:
    """Đã nộp (with the date), Đang chờ thanh toán, or Chưa nộp."""
    payment = fee.payment
    if fee.paid:
        if payment is not None and payment.paid_at is not None:
            return QCoreApplication.translate("fees", "Đã nộp {date}").format(
                date=format_local_time(payment.paid_at)[:10]
            )
        return QCoreApplication.translate("fees", "Đã nộp")
    if payment is not None and payment.state == "pending":
        return QCoreApplication.translate("fees", "Đang chờ thanh toán")
    if payment is not None and payment.state == "cancelled":
        return QCoreApplication.translate("fees", "Chưa nộp (giao dịch đã huỷ)")
    return QCoreApplication.translate("fees", "Chưa nộp")


class FeesTableModel(PagedTableModel):
    """Fees of one filter ("unpaid", "paid", "all"), unpaid first, newest fee first."""

    COLUMNS = 5

    sig_reloaded = Signal(object)
    """A reload finished: the FeeTotals read with it."""

    def __init__(
        self,
        source: FeeSource,
        tasks: TaskManager | None = None,
        parent: QObject | None = None,
        *,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(tasks, parent, page_size=page_size)
        self._source = source
        self._state: FeeFilter = "unpaid"
        self._totals: FeeTotals | None = None

    @property
    def state(self) -> FeeFilter:
        return self._state

    @property
    def totals(self) -> FeeTotals | None:
        """The totals of the last reload (None before the first one)."""
        return self._totals

    def set_state(self, state: FeeFilter) -> None:
        """Show "unpaid", "paid" or "all" fees (reloads)."""
        self._state = state
        self.reload()

    def fee(self, row: int) -> FeeRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, key: tuple[int, str]) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.key == key), None)

    def unpaid_of(self, dossier_id: int) -> list[FeeRow]:
        """The loaded unpaid fees of one dossier (what "Thanh toán" pays)."""
        return [r for r in self._rows if r.dossier_id == dossier_id and not r.paid]

    def _loader(self, limit: int) -> Callable[[], Loaded]:
        source, state = self._source, self._state

        def load() -> Loaded:
            totals = source.totals()
            return totals, list(source.rows(state, 0, limit))

        return load

    def _page(self, offset: int, limit: int) -> Sequence[Any]:
        return self._source.rows(self._state, offset, limit)

    def _key(self, row: Any) -> tuple[int, str]:
        return row.key  # type: ignore[no-any-return]

    def _count(self, head: Any, rows: list[Any]) -> int:
        # The totals of the same read: the fees of this filter (at least those read).
        self._totals = head
        return max(int(head.count(self._state)), len(rows))

    def _reloaded(self, head: Any) -> None:
        self.sig_reloaded.emit(head)

    # --- Qt model API ------------------------------------------------------------------

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and section == COLUMN_AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (
            self.tr("Hồ sơ"),
            self.tr("Số biên nhận"),
            self.tr("Khoản phí"),
            self.tr("Số tiền"),
            self.tr("Trạng thái"),
        )
        return titles[section] if 0 <= section < self.COLUMNS else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        fee = self.fee(index.row()) if index.isValid() else None
        if fee is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return safe_text(self._text(fee, column))  # fee names come from the portal
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COLUMN_DOSSIER:
                return safe_text(f"{dossier_text(fee)}\n{fee.procedure_name}")
            return safe_text(self._text(fee, column))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COLUMN_AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == COLUMN_STATE and not fee.paid:
            pending = fee.payment is not None and fee.payment.state == "pending"
            return QBrush(QColor(PENDING_COLOUR if pending else UNPAID_COLOUR))
        if role == KEY_ROLE:
            return fee.key
        return None

    @staticmethod
    def _text(fee: FeeRow, column: int) -> str:
        if column == COLUMN_DOSSIER:
            return dossier_text(fee)
        if column == COLUMN_RECEIPT:
            return fee.receipt_no or "—"
        if column == COLUMN_FEE:
            return fee.description
        if column == COLUMN_AMOUNT:
            return format_vnd(fee.amount)
        return fee_state_text(fee)
