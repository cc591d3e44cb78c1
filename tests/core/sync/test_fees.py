"""desktop/sync/fees.py: every fee across dossiers, with the payment that covers it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import event, update

from desktop.errors import UserError
from desktop.storage import models
from desktop.storage.outbox_models import Payment, PortalFee
from desktop.sync.fees import FeeOverview, fee_totals, fees_overview
from desktop.sync.payments import Payments
from desktop.sync.status import StatusPoller
from desktop.workspace import Workspace
from portal_sandbox.server import ThreadedSandbox

from .factory import APPLICANT, PROCEDURE, pdf, valid_dossier
from .portal import make_engine, register, start_sandbox

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _submitted(ws: Workspace, name: str, receipt: str) -> int:
    """A dossier as the portal took it: uuid and receipt number set."""
    dossier = ws.dossiers.create(PROCEDURE)
    ws.dossiers.set_fields(dossier.id, {**APPLICANT, "applicant.name": name})
    with ws.db.session() as session:
        session.execute(
            update(models.Dossier)
            .where(models.Dossier.id == dossier.id)
            .values(
                uuid=f"00000000-0000-4000-8000-{dossier.id:012d}",
                receipt_no=receipt,
                state="SUBMITTED",
                portal_state=6,
            )
        )
    return dossier.id


def _fee(
    ws: Workspace,
    dossier_id: int,
    fee_id: str,
    description: str,
    amount: int,
    *,
    paid: bool = False,
    ref: str | None = None,
) -> None:
    with ws.db.session() as session:
        session.add(
            PortalFee(
                dossier_id=dossier_id,
                fee_id=fee_id,
                description=description,
                amount=amount,
                paid=paid,
                payment_ref=ref,
            )
        )


def _payment(
    ws: Workspace,
    dossier_id: int,
    ref: str,
    fee_ids: list[str],
    amount: int,
    state: str,
    at: datetime,
    receipt: str | None = None,
) -> None:
    with ws.db.session() as session:
        session.add(
            Payment(
                ref=ref,
                dossier_id=dossier_id,
                fee_ids=fee_ids,
                amount=amount,
                payment_url=f"http://127.0.0.1:8765/sandbox/pay/{ref}",
                state=state,
                paid_at=at if state == "paid" else None,
                receipt_sha256=receipt,
                created_at=at,
            )
        )


@pytest.fixture
def office(workspace: Workspace, tmp_path: Path) -> dict[str, int]:
    """Three submitted dossiers: one owing two fees, one paid with a receipt, one with a
    pending payment and a fee asked after it."""
    workspace.catalog.ensure_bundled()
    ha = _submitted(workspace, "Nguyễn Thị Thu Hà", "000.00.53.H48-261120-0001")
    phuc_an = _submitted(workspace, "Nhà thuốc Phúc An", "000.00.53.H48-261120-0002")
    khang = _submitted(workspace, "Võ Minh Khang", "000.00.53.H48-261121-0003")
    _fee(workspace, ha, "F1", "Phí thẩm định hồ sơ", 500_000)
    _fee(workspace, ha, "F2", "Lệ phí cấp chứng chỉ hành nghề", 750_000)
    receipt_pdf = tmp_path / "bien-lai.pdf"
    receipt_pdf.write_bytes(pdf("biên lai PA1"))
    receipt = workspace.store.put(receipt_pdf, accepted=("application/pdf",)).sha256
    _fee(
        workspace,
        phuc_an,
        "F3",
        "Phí thẩm định điều kiện kinh doanh",
        1_000_000,
        paid=True,
        ref="PA1",
    )
    _payment(workspace, phuc_an, "PA1", ["F3"], 1_000_000, "paid", T0, receipt)
    _fee(workspace, khang, "F4", "Phí thẩm định hồ sơ", 500_000, ref="PK1")
    _payment(workspace, khang, "PK1", ["F4"], 500_000, "pending", T0 + timedelta(hours=1))
    _fee(workspace, khang, "F5", "Lệ phí bổ sung", 200_000)
    return {"ha": ha, "phuc_an": phuc_an, "khang": khang}


def test_unpaid_fees_of_every_dossier_newest_first_with_who_and_which_procedure(
    workspace: Workspace, office: dict[str, int]
) -> None:
    rows = fees_overview(workspace.db, state="unpaid")
    assert [(r.dossier_id, r.fee_id) for r in rows] == [
        (office["khang"], "F5"),
        (office["khang"], "F4"),
        (office["ha"], "F2"),
        (office["ha"], "F1"),
    ]
    first = rows[-1]
    assert first.applicant_name == "Nguyễn Thị Thu Hà"
    assert "Chứng chỉ hành nghề dược" in first.procedure_name
    assert first.receipt_no == "000.00.53.H48-261120-0001"
    assert (first.description, first.amount, first.paid) == ("Phí thẩm định hồ sơ", 500_000, False)
    assert first.payment is None


def test_a_fee_shows_the_payment_that_covers_it_and_a_later_fee_shows_none(
    workspace: Workspace, office: dict[str, int]
) -> None:
    rows = {r.fee_id: r for r in fees_overview(workspace.db, state="all")}
    pending = rows["F4"].payment
    assert pending is not None
    assert (pending.ref, pending.state, pending.amount) == ("PK1", "pending", 500_000)
    assert pending.payment_url.endswith("/sandbox/pay/PK1")
    assert pending.created_at == T0 + timedelta(hours=1)
    assert rows["F5"].payment is None, "asked after the payment started: not covered by it"


def test_paid_fees_carry_their_payment_and_the_kept_receipt(
    workspace: Workspace, office: dict[str, int]
) -> None:
    rows = fees_overview(workspace.db, state="paid")
    assert [(r.dossier_id, r.fee_id, r.paid) for r in rows] == [(office["phuc_an"], "F3", True)]
    payment = rows[0].payment
    assert payment is not None and payment.state == "paid" and payment.paid_at == T0
    assert payment.receipt_sha256 is not None
    assert workspace.store.path(payment.receipt_sha256).read_bytes().startswith(b"%PDF")


def test_all_lists_unpaid_before_paid(workspace: Workspace, office: dict[str, int]) -> None:
    rows = fees_overview(workspace.db, state="all")
    assert [r.paid for r in rows] == [False, False, False, False, True]


def test_totals_say_what_is_still_due_and_how_many_dossiers_owe_it(
    workspace: Workspace, office: dict[str, int]
) -> None:
    totals = fee_totals(workspace.db)
    assert (totals.unpaid_count, totals.unpaid_amount, totals.unpaid_dossiers) == (4, 1_950_000, 2)
    assert (totals.paid_count, totals.paid_amount) == (1, 1_000_000)
    assert [totals.count(s) for s in ("unpaid", "paid", "all")] == [4, 1, 5]
    assert FeeOverview(workspace.db).totals() == totals


def test_no_fee_at_all_is_zero_not_none(workspace: Workspace) -> None:
    totals = fee_totals(workspace.db)
    assert (totals.unpaid_count, totals.unpaid_amount, totals.paid_amount) == (0, 0, 0)
    assert fees_overview(workspace.db, state="all") == []


def test_pages_follow_each_other_without_gaps(workspace: Workspace, office: dict[str, int]) -> None:
    overview = FeeOverview(workspace.db)
    pages = [overview.rows("all", offset=o, limit=2) for o in (0, 2, 4)]
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [r.key for p in pages for r in p] == [r.key for r in overview.rows("all", limit=10)]


def test_an_unknown_filter_is_refused_with_the_known_ones(workspace: Workspace) -> None:
    with pytest.raises(UserError) as refused:
        fees_overview(workspace.db, state="due")
    assert refused.value.code == "sync.bad_fee_filter"
    assert "unpaid, paid, all" in refused.value.message()


def test_one_query_lists_a_page_of_a_thousand_dossiers_quickly(workspace: Workspace) -> None:
    workspace.catalog.ensure_bundled()
    dossier = workspace.dossiers.create(PROCEDURE)
    with workspace.db.session() as session:
        base = session.get(models.Dossier, dossier.id)
        assert base is not None
        for n in range(1000):
            session.add(
                models.Dossier(
                    procedure_key=PROCEDURE,
                    state="SUBMITTED",
                    applicant_name=f"Công dân {n}",
                    applicant={},
                    delivery={},
                    receipt_no=f"000.00.53.H48-261120-{n:04d}",
                    created_at=base.created_at,
                    updated_at=base.created_at,
                )
            )
        session.flush()
        ids = [d.id for d in session.query(models.Dossier.id).filter(models.Dossier.id != base.id)]
        for n, dossier_id in enumerate(ids):
            session.add(
                PortalFee(
                    dossier_id=dossier_id,
                    fee_id="F1",
                    description="Phí thẩm định",
                    amount=500_000,
                    paid=n % 3 == 0,
                )
            )
            if n % 2:
                session.add(
                    Payment(
                        ref=f"P{n}",
                        dossier_id=dossier_id,
                        fee_ids=["F1"],
                        amount=500_000,
                        payment_url="http://127.0.0.1/p",
                        state="cancelled",
                        created_at=T0,
                    )
                )
    statements: list[str] = []
    engine = workspace.db.engine

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        started = time.perf_counter()
        rows = fees_overview(workspace.db, state="unpaid", limit=200, offset=400)
        elapsed = time.perf_counter() - started
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(rows) == 200
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
    assert elapsed < 1.0, f"a page took {elapsed:.3f} s"
    assert fee_totals(workspace.db).unpaid_count == 666


# --- with the sandbox portal: fees asked by an officer, paid in the (simulated) browser --


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[ThreadedSandbox]:
    server = start_sandbox(tmp_path / "portal")
    yield server
    server.stop()


def test_a_fee_asked_on_the_portal_is_listed_then_paid_with_its_receipt(
    workspace: Workspace, sandbox: ThreadedSandbox, tmp_path: Path
) -> None:
    user = register(sandbox.url)
    dossier = valid_dossier(workspace, tmp_path / "f", "fees")
    workspace.outbox.submit(dossier.id)
    engine = make_engine(workspace, sandbox.url, user)
    poller = StatusPoller(
        workspace.db, workspace.store, workspace.paths, workspace.events, engine.portal
    )
    engine.run_once()
    submitted = workspace.dossiers.get(dossier.id)
    assert submitted.uuid is not None and submitted.receipt_no is not None
    for action, form in (
        ("accept", {}),
        ("fees", {"description": "Phí thẩm định", "amount": 500000}),
    ):
        response = httpx.post(
            f"{sandbox.url}/sandbox/officer/{submitted.uuid}/{action}",
            headers=sandbox.secret_headers,
            data=form,
            timeout=10,
        )
        assert response.status_code in (200, 303), response.text
    poller.poll()
    [due] = fees_overview(workspace.db)
    assert (due.dossier_id, due.receipt_no, due.amount) == (
        dossier.id,
        submitted.receipt_no,
        500_000,
    )
    assert due.applicant_name == APPLICANT["applicant.name"] and due.payment is None

    payments = Payments(
        workspace.db, workspace.store, workspace.paths, workspace.events, engine.portal
    )
    started = payments.start(dossier.id)
    [waiting] = fees_overview(workspace.db)
    assert waiting.payment is not None and waiting.payment.state == "pending"
    assert waiting.payment.payment_url == started.payment_url
    httpx.post(started.payment_url, data={"action": "pay"}, timeout=10)
    payments.follow(started.ref, timeout=0)
    assert fees_overview(workspace.db) == []
    [paid] = fees_overview(workspace.db, state="paid")
    assert paid.paid and paid.payment is not None and paid.payment.state == "paid"
    assert paid.payment.receipt_sha256 is not None
    assert workspace.store.path(paid.payment.receipt_sha256).read_bytes().startswith(b"%PDF")
    assert fee_totals(workspace.db).unpaid_amount == 0
    engine.close()
