"""Payments: the API (create, state, receipt PDF) and the imitation bank page.

`payment_url` leads to /sandbox/pay/{ref}, where a person picks a bank or e-wallet and
pays or cancels, as on the national payment platform. Paying marks the fees paid,
issues a signed electronic receipt and, when no fee is left, the officer's dossier goes
back to processing (state 4).
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, HTMLResponse
from sqlalchemy import Connection, select, update

from desktop.portal.contract import PaymentCreate, PaymentCreated, PaymentStatus
from portal_sandbox import store as t
from portal_sandbox.auth import Account
from portal_sandbox.documents import write_signed
from portal_sandbox.dossiers import DossierUuid, own_dossier
from portal_sandbox.html import esc, local_time, page
from portal_sandbox.problems import ProblemError
from portal_sandbox.state import Sandbox, base_url, get_sandbox

router = APIRouter()
pages = APIRouter(include_in_schema=False)
SandboxDep = Annotated[Sandbox, Depends(get_sandbox)]

METHODS = (
    "Vietcombank",
    "VietinBank",
    "BIDV",
    "Agribank",
    "Ví MoMo",
    "ZaloPay",
    "VNPT Money",
)


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đ"


@router.post(
    "/v1/dossiers/{uuid}/payments",
    name="create_payment",
    response_model=PaymentCreated,
    status_code=201,
    responses={409: {"description": "a fee is already paid"}, 422: {"description": "bad fee"}},
)
def create_payment(
    uuid: DossierUuid, body: PaymentCreate, request: Request, account: Account, sandbox: SandboxDep
) -> PaymentCreated:
    """A payment for some of the dossier's fees; open `payment_url` in the browser."""
    with sandbox.store.begin() as conn:
        dossier = own_dossier(conn, uuid, account)
        rows = conn.execute(
            select(t.fees).where(
                t.fees.c.dossier_uuid == dossier.uuid, t.fees.c.id.in_(body.fee_ids)
            )
        ).all()
        if len(rows) != len(set(body.fee_ids)):
            known = {r.id for r in rows}
            raise ProblemError(
                422,
                "payment.unknown_fee",
                "No such fee on this dossier",
                fee_ids=sorted(set(body.fee_ids) - known),
            )
        if any(r.paid for r in rows):
            raise ProblemError(409, "payment.already_paid", "A chosen fee is already paid")
        ref = secrets.token_hex(6).upper()
        amount = sum(int(r.amount) for r in rows)
        conn.execute(
            t.payments.insert().values(
                ref=ref,
                dossier_uuid=dossier.uuid,
                account_id=account,
                fee_ids=sorted({r.id for r in rows}),
                amount=amount,
                state="pending",
            )
        )
        conn.execute(update(t.fees).where(t.fees.c.id.in_(body.fee_ids)).values(payment_ref=ref))
        sandbox.touch(conn, dossier.uuid)
    return PaymentCreated(
        payment_ref=ref, payment_url=f"{base_url(request)}/sandbox/pay/{ref}", amount=amount
    )


def _status(row: Any, base: str) -> PaymentStatus:
    return PaymentStatus(
        payment_ref=row.ref,
        state=row.state,
        amount=row.amount,
        fee_ids=list(row.fee_ids),
        method=row.method,
        paid_at=row.paid_at,
        receipt_url=f"{base}/v1/payments/{row.ref}/receipt" if row.state == "paid" else None,
    )


def _own_payment(conn: Connection, ref: str, account: int) -> Any:
    row = conn.execute(select(t.payments).where(t.payments.c.ref == ref)).first()
    if row is None or row.account_id != account:
        raise ProblemError(404, "payment.not_found", "No such payment", payment_ref=ref)
    return row


@router.get("/v1/payments/{ref}", name="get_payment", response_model=PaymentStatus)
def get_payment(ref: str, request: Request, account: Account, sandbox: SandboxDep) -> PaymentStatus:
    """pending, paid (with the electronic receipt) or cancelled."""
    with sandbox.store.begin() as conn:
        return _status(_own_payment(conn, ref, account), base_url(request))


@router.get(
    "/v1/payments/{ref}/receipt",
    name="payment_receipt",
    response_class=FileResponse,
    responses={200: {"content": {"application/pdf": {}}, "description": "signed receipt"}},
)
def payment_receipt(ref: str, account: Account, sandbox: SandboxDep) -> FileResponse:
    """The electronic receipt (biên lai điện tử) of a paid payment."""
    with sandbox.store.begin() as conn:
        row = _own_payment(conn, ref, account)
    if row.state != "paid":
        raise ProblemError(409, "payment.not_paid", "The payment is not paid", state=row.state)
    return FileResponse(
        sandbox.config.documents / f"receipt-{ref}.pdf",
        media_type="application/pdf",
        filename=f"bien-lai-{ref}.pdf",
    )


@pages.get("/sandbox/pay/{ref}", response_class=HTMLResponse)
def pay_page(ref: str, sandbox: SandboxDep) -> HTMLResponse:
    with sandbox.store.begin() as conn:
        row = conn.execute(select(t.payments).where(t.payments.c.ref == ref)).first()
        fees = conn.execute(select(t.fees).where(t.fees.c.id.in_(row.fee_ids))).all() if row else []
    if row is None:
        return page("Không tìm thấy giao dịch", "<p>Mã thanh toán không đúng.</p>", status_code=404)
    items = "".join(
        f"<tr><td>{esc(f.description)}</td><td>{_vnd(f.amount)}</td></tr>" for f in fees
    )
    summary = (
        f"<p>Mã giao dịch: <b>{esc(ref)}</b></p><table><tr><th>Khoản phí, lệ phí</th>"
        f"<th>Số tiền</th></tr>{items}<tr><th>Tổng cộng</th><th>{_vnd(row.amount)}</th></tr>"
        "</table>"
    )
    if row.state != "pending":
        label = "Đã thanh toán" if row.state == "paid" else "Đã huỷ"
        return page("Thanh toán phí, lệ phí", f"{summary}<p><b>{label}</b> {esc(row.method)}</p>")
    choices = "".join(
        f"<label><input type='radio' name='method' value='{esc(m)}'{' checked' if i == 0 else ''}>"
        f" {esc(m)}</label><br>"
        for i, m in enumerate(METHODS)
    )
    form = (
        f"<form method='post' action='/sandbox/pay/{esc(ref)}'><fieldset>"
        f"<legend>Chọn ngân hàng hoặc ví điện tử</legend>{choices}</fieldset>"
        "<button name='action' value='pay'>Thanh toán</button> "
        "<button name='action' value='cancel'>Huỷ giao dịch</button></form>"
    )
    return page("Thanh toán phí, lệ phí", summary + form)


@pages.post("/sandbox/pay/{ref}", response_class=HTMLResponse)
def pay_action(
    ref: str,
    sandbox: SandboxDep,
    action: Annotated[str, Form()],
    method: Annotated[str, Form()] = METHODS[0],
) -> HTMLResponse:
    now = sandbox.config.now()
    with sandbox.store.begin() as conn:
        row = conn.execute(select(t.payments).where(t.payments.c.ref == ref)).first()
        if row is None or row.state != "pending" or action not in {"pay", "cancel"}:
            return page(
                "Không thực hiện được",
                "<p>Giao dịch không tồn tại hoặc đã kết thúc.</p>",
                status_code=409,
            )
        if action == "cancel":
            conn.execute(
                update(t.payments).where(t.payments.c.ref == ref).values(state="cancelled")
            )
            sandbox.touch(conn, row.dossier_uuid)
            return page("Đã huỷ giao dịch", f"<p>Giao dịch {esc(ref)} đã được huỷ.</p>")
        if method not in METHODS:
            return page("Không thực hiện được", "<p>Hãy chọn ngân hàng.</p>", status_code=422)
        dossier = conn.execute(
            select(t.dossiers).where(t.dossiers.c.uuid == row.dossier_uuid)
        ).one()
        write_signed(
            sandbox.config.documents / f"receipt-{ref}.pdf",
            "BIÊN LAI THU PHÍ, LỆ PHÍ (điện tử)",
            [
                f"Mã giao dịch: {ref}",
                f"Hồ sơ: {dossier.receipt_no or dossier.uuid}",
                f"Thủ tục: {dossier.procedure_name[:80]}",
                f"Số tiền: {_vnd(row.amount)}",
                f"Thanh toán qua: {method}",
                f"Thời điểm: {local_time(now)}",
            ],
            sandbox.identity,
            reason="Biên lai điện tử",
        )
        conn.execute(
            update(t.payments)
            .where(t.payments.c.ref == ref)
            .values(state="paid", method=method, paid_at=now)
        )
        conn.execute(update(t.fees).where(t.fees.c.id.in_(row.fee_ids)).values(paid=True))
        unpaid = conn.execute(
            select(t.fees).where(
                t.fees.c.dossier_uuid == row.dossier_uuid, t.fees.c.paid.is_(False)
            )
        ).first()
        if dossier.state == 6 and unpaid is None:
            sandbox.record_state(conn, row.dossier_uuid, 4, "Đã thực hiện nghĩa vụ tài chính")
        else:
            sandbox.touch(conn, row.dossier_uuid)
    return page(
        "Thanh toán thành công",
        f"<p>Đã thanh toán {_vnd(row.amount)} qua {esc(method)}. "
        "Biên lai điện tử đã được gửi về cổng dịch vụ công; bạn có thể đóng trang này.</p>",
    )
