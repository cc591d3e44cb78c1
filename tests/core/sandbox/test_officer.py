from __future__ import annotations

import hashlib
import io

from fastapi.testclient import TestClient
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from portal_sandbox.config import SandboxConfig

from .helpers import account, manifest, new_uuid, submitted_dossier, upload_all


def _status(api: TestClient, uuid: str, auth: dict[str, str]) -> dict:  # type: ignore[type-arg]
    return api.get(f"/v1/dossiers/{uuid}", headers=auth).json()  # type: ignore[no-any-return]


def test_officer_lists_opens_and_downloads(api: TestClient) -> None:
    auth = account(api, "xa-a")
    uuid, receipt = submitted_dossier(api, auth, {"don": b"%PDF-1.4 noi dung don"})
    listing = api.get("/sandbox/officer").text
    assert receipt["receipt_no"] in listing and "xa-a" in listing
    detail = api.get(f"/sandbox/officer/{uuid}").text
    assert "Nguyễn Văn A" in detail and "Tiếp nhận" in detail
    link = detail.split(f"/sandbox/officer/{uuid}/files/")[1].split("'")[0]
    download = api.get(f"/sandbox/officer/{uuid}/files/{link}")
    assert download.content == b"%PDF-1.4 noi dung don"


def test_finish_gives_a_result_pdf_signed_by_the_test_agency(
    api: TestClient, config: SandboxConfig
) -> None:
    auth = account(api, "xa-a")
    uuid, _ = submitted_dossier(api, auth)
    assert api.post(f"/sandbox/officer/{uuid}/accept", follow_redirects=False).status_code == 303
    api.post(f"/sandbox/officer/{uuid}/finish", data={"result": "Cấp chứng chỉ"})
    status = _status(api, uuid, auth)
    assert [h["state"] for h in status["history"]] == [1, 2, 9, 10]
    result = status["results"][0]
    pdf = api.get(result["url"], headers=auth)
    assert pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == result["sha256"]
    signature = PdfFileReader(io.BytesIO(pdf.content)).embedded_signatures[0]
    trust = ValidationContext(trust_roots=[load_cert_from_pemder(str(config.pki / "ca.pem"))])
    assert validate_pdf_signature(signature, trust).bottom_line
    other = account(api, "xa-b")
    assert api.get(result["url"], headers=other).status_code == 404


def test_refusal_needs_the_right_state(api: TestClient) -> None:
    auth = account(api, "xa-a")
    uuid, _ = submitted_dossier(api, auth)
    api.post(f"/sandbox/officer/{uuid}/refuse", data={"note": "Sai thủ tục"})
    assert _status(api, uuid, auth)["state"] == 3
    again = api.post(f"/sandbox/officer/{uuid}/finish", data={"result": "x"})
    assert again.status_code == 409 and "Không được tiếp nhận" in again.text


def test_supplement_request_is_answered_by_uploaded_documents(api: TestClient) -> None:
    auth = account(api, "xa-a")
    uuid, _ = submitted_dossier(api, auth)
    api.post(f"/sandbox/officer/{uuid}/supplement", data={"note": "Thiếu bản sao bằng cấp"})
    status = _status(api, uuid, auth)
    assert status["state"] == 5
    request = status["supplement_requests"][0]
    assert request["note"] == "Thiếu bản sao bằng cấp"
    files = {"bang": b"%PDF-1.4 bang cap"}
    body = {"request_id": request["request_id"], "files": manifest(files)["files"]}
    created = api.put(f"/v1/dossiers/{uuid}/supplements/bs-1", json=body, headers=auth)
    assert created.status_code == 201
    assert (
        api.put(f"/v1/dossiers/{uuid}/supplements/bs-1", json=body, headers=auth).status_code == 200
    )
    upload_all(api, created.json(), files, auth)
    status = _status(api, uuid, auth)
    assert status["state"] == 4
    assert status["supplement_requests"][0]["answered_by"] == "bs-1"
    late = api.put(f"/v1/dossiers/{uuid}/supplements/bs-2", json=body, headers=auth)
    assert (late.status_code, late.json()["code"]) == (409, "supplement.not_requested")


def test_supplement_without_request_is_refused(api: TestClient) -> None:
    auth = account(api, "xa-a")
    uuid = new_uuid()
    api.put(f"/v1/dossiers/{uuid}", json=manifest({"don": b"x"}), headers=auth)
    body = {"request_id": "khong-co", "files": manifest({"bang": b"y"})["files"]}
    response = api.put(f"/v1/dossiers/{uuid}/supplements/bs-1", json=body, headers=auth)
    assert (response.status_code, response.json()["code"]) == (422, "supplement.unknown_request")
