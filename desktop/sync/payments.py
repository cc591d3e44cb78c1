"""Paying fees: ask the portal for a payment URL, follow the payment, keep the receipt.

The clerk (or the applicant) pays in the browser on the bank / e-wallet page; we only
poll `GET /v1/payments/{ref}` until it is paid or cancelled, then store the receipt PDF
as a blob. The payment row is written before the browser opens, so a payment started
before a crash is followed again, never started twice by accident.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from desktop.attachments.store import BlobStore
from desktop.errors import UserError, define
from desktop.events import EventBus
from desktop.paths import Paths
from desktop.portal.adapter import PortalAdapter
from desktop.storage import models
from desktop.storage.db import Database
from desktop.storage.outbox_models import Payment, PortalFee
from desktop.sync.events import PaymentChanged
from desktop.sync.retry import Clock, utc_now

E_NOTHING_TO_PAY = define(
    "sync.nothing_to_pay",
    vi=(
        "Hồ sơ {id} không có khoản phí nào cần thanh toán. Chạy «dvc-desk sync --once» để "
        "cập nhật trạng thái từ cổng rồi thử lại."
    ),
    en="Dossier {id} has no fee to pay. Run 'dvc-desk sync --once' to refresh, then retry.",
)
E_NOT_ON_PORTAL = define(
    "sync.not_on_portal",
    vi="Hồ sơ {id} chưa được nộp lên cổng nên chưa thể thanh toán.",
    en="Dossier {id} has not been submitted yet, so nothing can be paid.",
)
E_UNKNOWN_FEE = define(
    "sync.unknown_fee",
    vi="Hồ sơ {id} không có khoản phí «{fee}» chưa thanh toán. Các khoản còn nợ: {known}.",
    en="Dossier {id} has no unpaid fee '{fee}'. Unpaid: {known}.",
)


@dataclass(frozen=True)
class PaymentView:
    ref: str
    dossier_id: int
    amount: int
    payment_url: str
    state: str
    paid_at: datetime | None
    receipt_sha256: str | None


def _view(row: Payment) -> PaymentView:
    return PaymentView(
        row.ref, row.dossier_id, row.amount, row.payment_url, row.state, row.paid_at,
        row.receipt_sha256,
    )  # fmt: skip


class Payments:
    def __init__(
        self,
        db: Database,
        store: BlobStore,
        paths: Paths,
        events: EventBus,
        portal: PortalAdapter,
        *,
        clock: Clock = utc_now,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db, self.store, self.paths = db, store, paths
        self.events, self.portal, self.clock = events, portal, clock
        self.sleep, self.monotonic = sleep, monotonic

    def start(self, dossier_id: int, fee_ids: Sequence[str] = ()) -> PaymentView:
        """Ask the portal for a payment of `fee_ids` (default: every unpaid fee)."""
        with self.db.session() as session:
            dossier = session.get(models.Dossier, dossier_id)
            if dossier is None or dossier.uuid is None or dossier.receipt_no is None:
                raise UserError(E_NOT_ON_PORTAL, id=dossier_id)
            uuid = dossier.uuid
            unpaid = [
                f.fee_id
                for f in session.scalars(
                    select(PortalFee).where(
                        PortalFee.dossier_id == dossier_id, PortalFee.paid.is_(False)
                    )
                )
            ]
        if not unpaid:
            raise UserError(E_NOTHING_TO_PAY, id=dossier_id)
        for fee in fee_ids:
            if fee not in unpaid:
                raise UserError(E_UNKNOWN_FEE, id=dossier_id, fee=fee, known=", ".join(unpaid))
        created = self.portal.create_payment(uuid, list(fee_ids) or unpaid)
        with self.db.session() as session:
            row = Payment(
                ref=created.payment_ref,
                dossier_id=dossier_id,
                fee_ids=list(fee_ids) or unpaid,
                amount=created.amount,
                payment_url=self.portal.url(created.payment_url),
                state="pending",
                created_at=self.clock(),
            )
            session.add(row)
            session.flush()
            view = _view(row)
        self.events.publish(PaymentChanged(dossier_id, view.ref, view.state))
        return view

    def follow(self, ref: str, timeout: float, interval: float = 2.0) -> PaymentView:
        """Poll until paid or cancelled (or `timeout` seconds); keeps the receipt when paid."""
        deadline = self.monotonic() + timeout
        while True:
            status = self.portal.payment(ref)
            if status.state != "pending" or self.monotonic() >= deadline:
                break
            self.sleep(interval)
        receipt = None
        if status.state == "paid" and status.receipt_url:
            receipt = self._keep_receipt(status.receipt_url)
        with self.db.session() as session:
            row = session.get(Payment, ref)
            assert row is not None
            row.state, row.paid_at = status.state, status.paid_at
            row.receipt_sha256 = receipt or row.receipt_sha256
            if status.state == "paid":
                for fee in session.scalars(
                    select(PortalFee).where(
                        PortalFee.dossier_id == row.dossier_id, PortalFee.fee_id.in_(status.fee_ids)
                    )
                ):
                    fee.paid, fee.payment_ref = True, ref
            view = _view(row)
        self.events.publish(PaymentChanged(view.dossier_id, ref, view.state))
        return view

    def _keep_receipt(self, url: str) -> str:
        fd, name = tempfile.mkstemp(prefix="receipt-", suffix=".pdf", dir=self.paths.tmp)
        os.close(fd)
        temp = Path(name)
        try:
            self.portal.download(url, temp)
            return self.store.put(temp, accepted=("application/pdf",)).sha256
        finally:
            temp.unlink(missing_ok=True)
