"""Fakes for the Thanh toán screen: the fees list and the portal's payments.

`FakeFees` answers like desktop.sync.fees.FeeOverview over a list of real FeeRow
values; `FakePortal` answers like the SyncRunner (PortalInfo) and, when a payment is
paid, marks the fees paid in the list the way Payments.follow does in the database.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desktop.sync.fees import FeePayment, FeeRow, FeeTotals
from desktop.sync.payment_followup import PaymentFollowUp

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
CCHN = "Cấp Chứng chỉ hành nghề dược theo hình thức xét hồ sơ"
GPP = "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược (GPP)"


def fee(dossier_id: int, fee_id: str, description: str, amount: int, *, paid: bool = False,
        applicant: str = "Nguyễn Thị Thu Hà", procedure: str = CCHN,
        payment: FeePayment | None = None) -> FeeRow:  # fmt: skip
    return FeeRow(
        dossier_id=dossier_id,
        applicant_name=applicant,
        procedure_name=procedure,
        receipt_no=f"000.00.53.H48-261120-{dossier_id:04d}",
        fee_id=fee_id,
        description=description,
        amount=amount,
        paid=paid,
        payment=payment,
    )


def payment(
    ref: str, amount: int, state: str = "pending", receipt: str | None = None
) -> FeePayment:
    return FeePayment(
        ref=ref,
        state=state,
        amount=amount,
        payment_url=f"http://127.0.0.1:8765/sandbox/pay/{ref}",
        paid_at=T0 if state == "paid" else None,
        receipt_sha256=receipt,
        created_at=T0,
    )


class FakeFees:
    """FeeOverview over a list (unpaid first, in list order)."""

    def __init__(self, rows: list[FeeRow]) -> None:
        self.items = list(rows)
        self.reads = 0

    def _matching(self, state: str) -> list[FeeRow]:
        if state == "unpaid":
            return [r for r in self.items if not r.paid]
        if state == "paid":
            return [r for r in self.items if r.paid]
        return [r for r in self.items if not r.paid] + [r for r in self.items if r.paid]

    def rows(self, state: str = "unpaid", offset: int = 0, limit: int = 100) -> list[FeeRow]:
        self.reads += 1
        return self._matching(state)[offset : offset + limit]

    def totals(self) -> FeeTotals:
        unpaid = [r for r in self.items if not r.paid]
        paid = [r for r in self.items if r.paid]
        return FeeTotals(
            unpaid_count=len(unpaid),
            unpaid_amount=sum(r.amount for r in unpaid),
            unpaid_dossiers=len({r.dossier_id for r in unpaid}),
            paid_count=len(paid),
            paid_amount=sum(r.amount for r in paid),
        )

    def set_payment(self, dossier_id: int, made: FeePayment, *, paid: bool = False) -> None:
        self.items = [
            replace(r, payment=made, paid=paid or r.paid)
            if r.dossier_id == dossier_id and not r.paid
            else r
            for r in self.items
        ]


@dataclass(frozen=True)
class PaymentState:
    """What Payments.start / follow answer (desktop.sync.payments.PaymentView)."""

    ref: str
    dossier_id: int
    amount: int
    payment_url: str
    state: str


class FakePortal:
    """PortalInfo over the core's PaymentFollowUp; it plays `Payments` itself: starts
    payments, answers `follow` from a script, records threads."""

    def __init__(self, fees: FakeFees, receipts: Path) -> None:
        self.payments = PaymentFollowUp(lambda: self)  # type: ignore[arg-type, return-value]
        self.fees = fees
        self.receipts = receipts
        self.started: list[int] = []
        self.followed: list[str] = []
        self.script: list[str | BaseException] = []  # answers of follow, in order
        self.refuse: BaseException | None = None
        self.threads: set[int] = set()
        self.amounts: dict[str, tuple[int, int]] = {}  # ref → (dossier id, amount)
        self.pays = True  # the adapter's `payments` capability

    def takes_payments(self) -> bool:
        return self.pays

    def portal_view(self, dossier_id: int) -> dict[str, Any]:
        return {"history": [], "fees": [], "results": []}

    def start(self, dossier_id: int) -> PaymentState:
        self.threads.add(threading.get_ident())
        if self.refuse is not None:
            raise self.refuse
        self.started.append(dossier_id)
        ref = f"PAY{len(self.started)}"
        amount = sum(r.amount for r in self.fees.items if r.dossier_id == dossier_id and not r.paid)
        self.amounts[ref] = (dossier_id, amount)
        self.fees.set_payment(dossier_id, payment(ref, amount))
        return PaymentState(ref, dossier_id, amount, payment(ref, amount).payment_url, "pending")

    def follow(self, ref: str, timeout: float) -> PaymentState:
        self.threads.add(threading.get_ident())
        self.followed.append(ref)
        answer = self.script.pop(0) if self.script else "pending"
        if isinstance(answer, BaseException):
            raise answer
        dossier_id, amount = self.amounts[ref]
        if answer == "paid":
            sha = "ab" * 32
            path = self.blob_path(sha)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"%PDF-1.7 bien lai " + ref.encode())
            self.fees.set_payment(dossier_id, payment(ref, amount, "paid", sha), paid=True)
        elif answer == "cancelled":
            self.fees.set_payment(dossier_id, payment(ref, amount, "cancelled"))
        return PaymentState(ref, dossier_id, amount, payment(ref, amount).payment_url, answer)

    def blob_path(self, sha256: str) -> Path:
        return self.receipts / sha256[:2] / sha256
