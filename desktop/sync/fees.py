"""Every fee the portal asked for, across dossiers: what is still to pay and what was paid.

The status poller (desktop/sync/status.py) keeps one `portal_fees` row per fee of each
submitted dossier; `Payments` (desktop/sync/payments.py) keeps one `payments` row per
payment the clerk started. A clerk with hundreds of dossiers needs them side by side:
`fees_overview` lists them, page by page, in one query (dossier, procedure and the
payment that covers each fee joined in), and `fee_totals` sums what is due.

Which payment a fee shows: the dossier's latest payment when it covers the fee (the
newest attempt: pending, paid or cancelled), else the payment the portal recorded on
the fee (the portal sets it when a payment is created, so it also knows payments made
before this data dir existed, as long as we hold their row), else none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Select, and_, case, distinct, func, select
from sqlalchemy.orm import aliased

from desktop.errors import UserError, define
from desktop.storage import models
from desktop.storage.db import Database
from desktop.storage.outbox_models import Payment, PortalFee

FeeFilter = Literal["unpaid", "paid", "all"]
FEE_FILTERS: tuple[FeeFilter, ...] = ("unpaid", "paid", "all")
MAX_PAGE = 1000

E_BAD_FEE_FILTER = define(
    "sync.bad_fee_filter",
    vi="Bộ lọc phí «{state}» không có. Hãy chọn một trong: {known}.",
    en="There is no fee filter '{state}'. Choose one of: {known}.",
)


PENDING = "pending"


@dataclass(frozen=True)
class FeePayment:
    """A payment started for a dossier's fees (through dvc-desk)."""

    ref: str
    state: str  # pending | paid | cancelled
    amount: int
    payment_url: str
    paid_at: datetime | None
    receipt_sha256: str | None  # the electronic receipt (biên lai) kept in the store
    created_at: datetime

    @property
    def pending(self) -> bool:
        """Started and not yet paid or cancelled: "Tiếp tục thanh toán" follows it."""
        return self.state == PENDING


@dataclass(frozen=True)
class FeeRow:
    """One fee of one submitted dossier, with the payment that covers it (if any)."""

    dossier_id: int
    applicant_name: str
    procedure_name: str
    receipt_no: str | None
    fee_id: str
    description: str
    amount: int  # VND
    paid: bool
    payment: FeePayment | None

    @property
    def key(self) -> tuple[int, str]:
        """Identifies the fee across reloads (a dossier's fee ids are unique)."""
        return self.dossier_id, self.fee_id


@dataclass(frozen=True)
class FeeTotals:
    """Counts and sums (VND) of fees, unpaid and paid."""

    unpaid_count: int
    unpaid_amount: int
    unpaid_dossiers: int
    paid_count: int
    paid_amount: int

    def count(self, state: FeeFilter) -> int:
        """How many fees a filter lists."""
        if state == "unpaid":
            return self.unpaid_count
        if state == "paid":
            return self.paid_count
        return self.unpaid_count + self.paid_count


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite gives back naive datetimes; they were written in UTC.
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _check(state: str) -> FeeFilter:
    for known in FEE_FILTERS:
        if state == known:
            return known
    raise UserError(E_BAD_FEE_FILTER, state=state, known=", ".join(FEE_FILTERS))


_OWN = aliased(Payment, name="own_payment")
_LAST = aliased(Payment, name="last_payment")
_PAYMENT_COLUMNS = (
    "ref",
    "state",
    "amount",
    "payment_url",
    "paid_at",
    "receipt_sha256",
    "created_at",
    "fee_ids",
)


def _overview_query(state: FeeFilter, limit: int, offset: int) -> Select[Any]:
    # The page is chosen on the fees alone (an index walk), and only its rows are joined
    # with dossier, procedure and payments: a page deep in a long list costs no more than
    # the first one.
    unpaid_first = (PortalFee.paid, PortalFee.id.desc())
    page = select(PortalFee.id)
    if state == "unpaid":
        page = page.where(PortalFee.paid.is_(False))
    elif state == "paid":
        page = page.where(PortalFee.paid.is_(True))
    chosen = page.order_by(*unpaid_first).limit(limit).offset(offset).subquery("page")
    newest = aliased(Payment, name="newest")
    latest_ref = (
        select(newest.ref)
        .where(newest.dossier_id == PortalFee.dossier_id)
        .order_by(newest.created_at.desc(), newest.ref.desc())
        .limit(1)
        .correlate(PortalFee)
        .scalar_subquery()
    )
    query = (
        select(
            PortalFee.dossier_id,
            models.Dossier.applicant_name,
            models.Procedure.name,
            models.Dossier.receipt_no,
            PortalFee.fee_id,
            PortalFee.description,
            PortalFee.amount,
            PortalFee.paid,
            *(getattr(_LAST, c) for c in _PAYMENT_COLUMNS),
            *(getattr(_OWN, c) for c in _PAYMENT_COLUMNS),
        )
        .join(chosen, chosen.c.id == PortalFee.id)
        .join(models.Dossier, models.Dossier.id == PortalFee.dossier_id)
        .join(models.Procedure, models.Procedure.key == models.Dossier.procedure_key)
        .outerjoin(_LAST, _LAST.ref == latest_ref)
        .outerjoin(
            _OWN, and_(_OWN.ref == PortalFee.payment_ref, _OWN.dossier_id == PortalFee.dossier_id)
        )
    )
    # Unpaid first; then the fee asked most recently first.
    return query.order_by(*unpaid_first)


def _payment(values: tuple[Any, ...]) -> FeePayment | None:
    ref, state, amount, url, paid_at, receipt, created_at, _fee_ids = values
    if ref is None:
        return None
    created = _aware(created_at)
    assert created is not None
    return FeePayment(
        str(ref), str(state), int(amount), str(url), _aware(paid_at), receipt, created
    )


def _row(values: tuple[Any, ...]) -> FeeRow:
    dossier_id, applicant, procedure, receipt_no, fee_id, description, amount, paid = values[:8]
    width = len(_PAYMENT_COLUMNS)
    last, own = values[8 : 8 + width], values[8 + width :]
    last_fee_ids = last[-1] or []
    covering = _payment(last) if fee_id in {str(f) for f in last_fee_ids} else None
    return FeeRow(
        dossier_id=int(dossier_id),
        applicant_name=str(applicant or ""),
        procedure_name=str(procedure),
        receipt_no=receipt_no,
        fee_id=str(fee_id),
        description=str(description),
        amount=int(amount),
        paid=bool(paid),
        payment=covering or _payment(own),
    )


def fees_overview(
    db: Database, *, state: str = "unpaid", limit: int = 100, offset: int = 0
) -> list[FeeRow]:
    """Fees of every submitted dossier, unpaid first, newest fee first.

    `state` is "unpaid", "paid" or "all"; `limit` is capped at MAX_PAGE rows.
    """
    query = _overview_query(_check(state), max(0, min(limit, MAX_PAGE)), max(0, offset))
    with db.session() as session:
        return [_row(tuple(r)) for r in session.execute(query)]


def fee_totals(db: Database) -> FeeTotals:
    """How many fees are unpaid and paid, their sums, and how many dossiers owe money."""
    unpaid = PortalFee.paid.is_(False)
    query = select(
        func.count(case((unpaid, 1))),
        func.coalesce(func.sum(case((unpaid, PortalFee.amount))), 0),
        func.count(distinct(case((unpaid, PortalFee.dossier_id)))),
        func.count(case((PortalFee.paid.is_(True), 1))),
        func.coalesce(func.sum(case((PortalFee.paid.is_(True), PortalFee.amount))), 0),
    )
    with db.session() as session:
        row = session.execute(query).one()
    return FeeTotals(*(int(v) for v in row))


class FeeOverview:
    """The fees list over one database (what the Thanh toán screen reads)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def rows(self, state: str = "unpaid", offset: int = 0, limit: int = 100) -> list[FeeRow]:
        """A page of `fees_overview`."""
        return fees_overview(self.db, state=state, limit=limit, offset=offset)

    def totals(self) -> FeeTotals:
        """`fee_totals` of the database."""
        return fee_totals(self.db)
