"""Following a payment the clerk makes in the browser, one portal question at a time.

The window (Thanh toán, and the dossier's Trên cổng tab) and the CLI share the rules:
a payment still pending from an earlier session is asked about first and reopened
rather than started twice; a cancelled one gives way to a new one; a pending one is
asked again each round until it is paid, cancelled, or `FOLLOW_SECONDS` have passed;
while the portal is out of reach for a moment the rounds go on. The caller decides
only when the next round runs (a timer in the window), so no worker sits waiting.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.errors import TransientError

if TYPE_CHECKING:
    from desktop.sync.payments import Payments, PaymentView

FOLLOW_SECONDS = 900.0
PENDING, PAID, CANCELLED = "pending", "paid", "cancelled"


@dataclass(frozen=True)
class FollowRound:
    """Where a followed payment stands after one round."""

    payment: PaymentView
    finished: bool
    """Stop following: paid, cancelled, or nobody paid within FOLLOW_SECONDS."""
    open_page: bool = False
    """A payment page to open in the browser (just started, or resumed)."""

    @property
    def outcome(self) -> str:
        """`paid`, `cancelled` or `pending` (given up waiting): what the screen says."""
        return self.payment.state


class PaymentFollowUp:
    """Payments followed until they end; safe to call from several worker threads."""

    def __init__(
        self,
        payments: Callable[[], Payments],
        *,
        monotonic: Callable[[], float] = time.monotonic,
        follow_seconds: float = FOLLOW_SECONDS,
    ) -> None:
        self._payments = payments
        self._monotonic = monotonic
        self._follow_seconds = follow_seconds
        self._deadlines: dict[str, float] = {}
        self._lock = threading.Lock()

    def begin(self, dossier_id: int, pending_ref: str | None = None) -> FollowRound:
        """Pay every unpaid fee of the dossier: resume `pending_ref` (asked first, so a
        page cancelled meanwhile is not opened) or start a new payment."""
        payments = self._payments()
        if pending_ref is not None:
            asked = payments.follow(pending_ref, 0.0)
            if asked.state == PENDING:
                return self._opened(asked)
            if asked.state != CANCELLED:
                return FollowRound(asked, finished=True)
        return self._opened(payments.start(dossier_id))

    def round(self, ref: str) -> FollowRound:
        """Ask the portal once about `ref` (keeping the receipt when it is paid)."""
        payment = self._payments().follow(ref, 0.0)
        finished = payment.state != PENDING or self._expired(ref)
        if finished:
            with self._lock:
                self._deadlines.pop(ref, None)
        return FollowRound(payment, finished=finished)

    def keeps_following(self, ref: str, error: BaseException) -> bool:
        """After a failed round: True when the portal is only out of reach for a moment
        (the payment goes on in the browser) and time is left; else it stops here."""
        if isinstance(error, TransientError) and not self._expired(ref):
            return True
        with self._lock:
            self._deadlines.pop(ref, None)
        return False

    def following(self, ref: str) -> bool:
        with self._lock:
            return ref in self._deadlines

    def _opened(self, payment: PaymentView) -> FollowRound:
        with self._lock:
            self._deadlines[payment.ref] = self._monotonic() + self._follow_seconds
        return FollowRound(payment, finished=False, open_page=True)

    def _expired(self, ref: str) -> bool:
        with self._lock:
            deadline = self._deadlines.get(ref)
        return deadline is None or self._monotonic() >= deadline
