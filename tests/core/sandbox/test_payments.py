from __future__ import annotations

import io

from fastapi.testclient import TestClient
from pypdf import PdfReader

from .helpers import account, submitted_dossier


def _ask_fee(api: TestClient, uuid: str, auth: dict[str, str]) -> str:
    api.post(f"/sandbox/officer/{uuid}/fees", data={"description": "Lệ phí", "amount": "500000"})
    status = api.get(f"/v1/dossiers/{uuid}", headers=auth).json()
    assert status["state"] == 6
    return str(status["fees"][0]["fee_id"])


def test_pay_on_the_bank_page_then_receipt_and_processing_resumes(api: TestClient) -> None:
    auth = account(api, "xa-a")
    uuid, _ = submitted_dossier(api, auth)
    fee_id = _ask_fee(api, uuid, auth)
    created = api.post(f"/v1/dossiers/{uuid}/payments", json={"fee_ids": [fee_id]}, headers=auth)
    assert created.status_code == 201
    payment = created.json()
    assert payment["amount"] == 500000
    bank_page = api.get(payment["payment_url"]).text
    assert "500.000 đ" in bank_page and "Ví MoMo" in bank_page
    ref = payment["payment_ref"]
    pending = api.get(f"/v1/payments/{ref}", headers=auth).json()
    assert (pending["state"], pending["receipt_url"]) == ("pending", None)
    done = api.post(payment["payment_url"], data={"action": "pay", "method": "ZaloPay"})
    assert "Thanh toán thành công" in done.text
    paid = api.get(f"/v1/payments/{ref}", headers=auth).json()
    assert (paid["state"], paid["method"]) == ("paid", "ZaloPay")
    receipt = api.get(paid["receipt_url"], headers=auth)
    assert receipt.headers["content-type"] == "application/pdf"
    assert PdfReader(io.BytesIO(receipt.content)).get_fields()  # the signature field
    status = api.get(f"/v1/dossiers/{uuid}", headers=auth).json()
    assert status["state"] == 4 and status["fees"][0]["paid"] is True
    twice = api.post(f"/v1/dossiers/{uuid}/payments", json={"fee_ids": [fee_id]}, headers=auth)
    assert (twice.status_code, twice.json()["code"]) == (409, "payment.already_paid")


def test_cancel_leaves_the_fee_unpaid(api: TestClient) -> None:
    auth = account(api, "xa-a")
    uuid, _ = submitted_dossier(api, auth)
    fee_id = _ask_fee(api, uuid, auth)
    payment = api.post(
        f"/v1/dossiers/{uuid}/payments", json={"fee_ids": [fee_id]}, headers=auth
    ).json()
    api.post(payment["payment_url"], data={"action": "cancel"})
    state = api.get(f"/v1/payments/{payment['payment_ref']}", headers=auth).json()["state"]
    assert state == "cancelled"
    receipt = api.get(f"/v1/payments/{payment['payment_ref']}/receipt", headers=auth)
    assert (receipt.status_code, receipt.json()["code"]) == (409, "payment.not_paid")
    unknown = api.post(f"/v1/dossiers/{uuid}/payments", json={"fee_ids": ["x"]}, headers=auth)
    assert unknown.json()["code"] == "payment.unknown_fee"
    other = account(api, "xa-b")
    assert api.get(f"/v1/payments/{payment['payment_ref']}", headers=other).status_code == 404
