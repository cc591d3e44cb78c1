"""HTTP face of the sandbox CA (`ca.py`): OCSP, CRL and TSA for clients, and an officer
page to issue test certificates and revoke them. Not part of API v1 (hidden from the
OpenAPI document)."""

from __future__ import annotations

import threading
from html import escape
from typing import Annotated, Any

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from portal_sandbox.ca import CA_PATH, CRL_PATH, OCSP_PATH, TSA_PATH, SandboxCA
from portal_sandbox.html import esc, local_time, page
from portal_sandbox.problems import ProblemError
from portal_sandbox.state import Sandbox, base_url, get_sandbox

router = APIRouter(include_in_schema=False)
_CA_LOCK = threading.Lock()
MAX_REQUEST = 64 * 1024


def get_ca(request: Request) -> SandboxCA:
    """The sandbox's CA, loaded once per app."""
    state = request.app.state
    with _CA_LOCK:
        ca: SandboxCA | None = getattr(state, "sandbox_ca", None)
        if ca is None:
            sandbox: Sandbox = get_sandbox(request)
            ca = SandboxCA(sandbox.identity, sandbox.config.now)
            state.sandbox_ca = ca
    return ca


CaDep = Annotated[SandboxCA, Depends(get_ca)]


async def _body(request: Request) -> bytes:
    data = await request.body()
    if len(data) > MAX_REQUEST:
        raise ProblemError(413, "pki.request_too_large", "Request too large")
    return data


@router.get(CA_PATH)
def ca_certificate(ca: CaDep) -> Response:
    pem = ca.cert.public_bytes(serialization.Encoding.PEM)
    return Response(pem, media_type="application/x-pem-file")


@router.get(CRL_PATH)
def crl(ca: CaDep) -> Response:
    return Response(
        ca.crl(), media_type="application/pkix-crl", headers={"Cache-Control": "no-store"}
    )


@router.post(OCSP_PATH)
async def ocsp(request: Request, ca: CaDep) -> Response:
    return Response(ca.ocsp(await _body(request)), media_type="application/ocsp-response")


@router.post(TSA_PATH)
async def tsa(request: Request, ca: CaDep) -> Response:
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    try:
        query = tsp.TimeStampReq.load(await _body(request))
        query.native  # noqa: B018 (parse it all now: a malformed request is refused here)
    except ValueError as exc:
        raise ProblemError(400, "pki.bad_timestamp_request", "Malformed request") from exc
    cert, key = ca.tsa_identity(base_url(request))

    def asn1(c: Any) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))

    stamper = DummyTimeStamper(
        tsa_cert=asn1(cert),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        certs_to_embed=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [asn1(ca.cert)]
        ),
    )
    reply = stamper.request_tsa_response(query)
    return Response(reply.dump(), media_type="application/timestamp-reply")


class IssueRequest(BaseModel):
    common_name: str = Field(min_length=1, max_length=200)
    organisation: str = Field(default="dvc-desk sandbox", max_length=200)
    password: str = Field(default="", max_length=200)


@router.post("/sandbox/pki/certificates")
def issue(body: IssueRequest, request: Request, ca: CaDep) -> Response:
    """A test signing certificate as a .p12 (its serial in X-Serial)."""
    cert, blob = ca.issue_p12(body.common_name, body.organisation, body.password, base_url(request))
    return Response(
        blob,
        media_type="application/x-pkcs12",
        headers={"X-Serial": f"{cert.serial_number:x}"},
    )


@router.post("/sandbox/pki/certificates/{serial}/revoke")
def revoke(serial: str, ca: CaDep, html: Annotated[str, Form()] = "") -> Response:
    try:
        known = ca.revoke(serial)
    except ValueError:
        known = False
    if not known:
        raise ProblemError(404, "pki.unknown_certificate", "No certificate with this serial")
    if html:
        return RedirectResponse("/sandbox/pki", status_code=303)
    return Response(status_code=204)


@router.get("/sandbox/pki", response_class=HTMLResponse)
def console(ca: CaDep) -> HTMLResponse:
    rows = []
    for cert in ca.issued():
        if cert.revoked_at is not None:
            action = f"Đã thu hồi lúc {esc(local_time(cert.revoked_at))}"
        else:
            action = (
                f"<form class='inline' method='post' "
                f"action='/sandbox/pki/certificates/{escape(cert.serial)}/revoke'>"
                "<input type='hidden' name='html' value='1'>"
                "<button>Thu hồi</button></form>"
            )
        rows.append(
            f"<tr><td>{esc(cert.common_name)}</td><td>{esc(cert.organisation)}</td>"
            f"<td><code>{esc(cert.serial)}</code></td><td>{esc(local_time(cert.not_after))}</td>"
            f"<td>{action}</td></tr>"
        )
    body = (
        "<p class='note'>Chứng thư số do CA thử nghiệm cấp. Thu hồi ở đây thì OCSP "
        f"(<code>{OCSP_PATH}</code>) và CRL (<code>{CRL_PATH}</code>) đều báo ngay; dấu "
        f"thời gian: <code>{TSA_PATH}</code>; chứng thư gốc: <a href='{CA_PATH}'>{CA_PATH}</a>."
        "</p><table><tr><th>Người được cấp</th><th>Tổ chức</th><th>Số hiệu</th>"
        "<th>Hết hạn</th><th></th></tr>" + "".join(rows) + "</table>"
    )
    return page("Chứng thư số thử nghiệm", body)
