"""desktop/sync/payment_followup.py: the payment follow-up rules, once for every screen."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from desktop.errors import TransientError, UserError
from desktop.portal.errors import E_UNREACHABLE
from desktop.sync.payment_followup import FOLLOW_SECONDS, PaymentFollowUp
from desktop.sync.payments import E_NOTHING_TO_PAY, PaymentView


def view(ref: str, state: str) -> PaymentView:
    return PaymentView(ref, 7, 250_000, f"http://127.0.0.1/pay/{ref}", state, None, None)


@dataclass
class ScriptedPayments:
    """`Payments` with the portal's answers scripted."""

    answers: list[str]
    started: int = 0

    def start(self, dossier_id: int) -> PaymentView:
        self.started += 1
        return view(f"NEW{self.started}", "pending")

    def follow(self, ref: str, timeout: float) -> PaymentView:
        assert timeout == 0.0, "one question per round: no worker waits"
        return view(ref, self.answers.pop(0))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def followup(payments: ScriptedPayments, clock: Clock) -> PaymentFollowUp:
    return PaymentFollowUp(lambda: payments, monotonic=clock)  # type: ignore[arg-type, return-value]


def test_a_new_payment_is_followed_until_paid() -> None:
    payments, clock = ScriptedPayments(["pending", "paid"]), Clock()
    follow = followup(payments, clock)
    first = follow.begin(7)
    assert first.open_page and not first.finished and payments.started == 1
    assert not follow.round(first.payment.ref).finished
    last = follow.round(first.payment.ref)
    assert last.finished and last.outcome == "paid" and not follow.following("NEW1")


def test_a_pending_payment_is_reopened_not_started_twice() -> None:
    payments = ScriptedPayments(["pending"])
    step = followup(payments, Clock()).begin(7, "OLD1")
    assert step.open_page and step.payment.ref == "OLD1" and payments.started == 0


def test_a_payment_cancelled_meanwhile_gives_way_to_a_new_one() -> None:
    payments = ScriptedPayments(["cancelled"])
    step = followup(payments, Clock()).begin(7, "OLD1")
    assert step.open_page and step.payment.ref == "NEW1" and payments.started == 1


def test_a_payment_paid_meanwhile_is_only_reported() -> None:
    payments = ScriptedPayments(["paid"])
    step = followup(payments, Clock()).begin(7, "OLD1")
    assert step.finished and not step.open_page and step.outcome == "paid"
    assert payments.started == 0


def test_nobody_pays_within_the_follow_time() -> None:
    payments, clock = ScriptedPayments(["pending", "pending"]), Clock()
    follow = followup(payments, clock)
    ref = follow.begin(7).payment.ref
    assert not follow.round(ref).finished
    clock.now += FOLLOW_SECONDS
    last = follow.round(ref)
    assert last.finished and last.outcome == "pending"


def test_the_portal_out_of_reach_for_a_moment_keeps_the_follow_up() -> None:
    payments, clock = ScriptedPayments([]), Clock()
    follow = followup(payments, clock)
    ref = follow.begin(7).payment.ref
    offline = TransientError(E_UNREACHABLE, url="http://127.0.0.1:9", detail="refused")
    assert follow.keeps_following(ref, offline)
    assert not follow.keeps_following(ref, UserError(E_NOTHING_TO_PAY, id=7))
    assert not follow.following(ref)
    ref2 = follow.begin(7).payment.ref
    clock.now += FOLLOW_SECONDS
    assert not follow.keeps_following(ref2, offline), "time is up"


def test_a_refusal_to_start_reaches_the_caller() -> None:
    class Refusing(ScriptedPayments):
        def start(self, dossier_id: int) -> PaymentView:
            raise UserError(E_NOTHING_TO_PAY, id=dossier_id)

    with pytest.raises(UserError) as refused:
        followup(Refusing([]), Clock()).begin(7)
    assert refused.value.code == E_NOTHING_TO_PAY
