"""PAdES B-LT / B-LTA against the sandbox CA's OCSP responder, CRL and TSA (issue #11).

The sandbox runs on 127.0.0.1; certificates it issues name its OCSP and CRL URLs. The
signed files are then checked offline by `dvc-desk verify`, and by pdfsig and openssl
trusting only the sandbox root.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from sandbox_ca import PASSWORD, SandboxPki
from validators import nss_db, openssl_cms_verify, pdfsig_verdicts

from desktop.errors import UserError
from desktop.signing.pkcs12 import load_p12
from desktop.signing.signer import SignOptions, sign_pdf
from desktop.signing.verifier import verify_pdf


@pytest.mark.parametrize("level", ["B-LT", "B-LTA"])
def test_long_term_signature_verifies_offline_and_everyone_agrees(
    level: str, sandbox_pki: SandboxPki, pdf: Path, tmp_path: Path
) -> None:
    p12, _ = sandbox_pki.issue(f"NGƯỜI KÝ {level}")
    key = load_p12(p12, PASSWORD)
    out = tmp_path / f"{level}.pdf"
    options = SignOptions(tsa_url=f"{sandbox_pki.url}/pki/tsa", level=level)
    result = sign_pdf(pdf, out, key, options)
    assert result.level == level
    report = verify_pdf(out, [sandbox_pki.root])
    assert report.ok, report
    assert report.signatures[0].level == level and report.signatures[0].trusted
    kinds = [s.kind for s in report.signatures]
    assert kinds == (["signature", "document_timestamp"] if level == "B-LTA" else ["signature"])
    [poppler, *_] = pdfsig_verdicts(out, nss_db(tmp_path / "nss", sandbox_pki.root_pem))
    assert poppler.valid and poppler.trusted, poppler.text
    assert openssl_cms_verify(out, sandbox_pki.root_pem, tmp_path / "cms")[0] is True


def test_revocation_in_the_console_shows_in_ocsp_and_crl(
    sandbox_pki: SandboxPki, pdf: Path, tmp_path: Path
) -> None:
    from cryptography.x509 import ocsp

    p12, serial = sandbox_pki.issue("TRẦN BỊ THU HỒI")
    loaded = pkcs12.load_pkcs12(p12.read_bytes(), PASSWORD.encode())
    assert loaded.cert is not None
    cert = loaded.cert.certificate

    def ocsp_status() -> ocsp.OCSPCertStatus:
        from cryptography.hazmat.primitives import hashes, serialization

        request = (
            ocsp.OCSPRequestBuilder()
            .add_certificate(cert, sandbox_pki.root, hashes.SHA1())
            .build()
            .public_bytes(serialization.Encoding.DER)
        )
        answer = httpx.post(
            f"{sandbox_pki.url}/pki/ocsp",
            content=request,
            headers={"Content-Type": "application/ocsp-request"},
        )
        return ocsp.load_der_ocsp_response(answer.content).certificate_status

    def in_crl() -> bool:
        crl = x509.load_der_x509_crl(httpx.get(f"{sandbox_pki.url}/pki/crl").content)
        assert crl.is_signature_valid(sandbox_pki.root.public_key())  # type: ignore[arg-type]
        return crl.get_revoked_certificate_by_serial_number(cert.serial_number) is not None

    assert ocsp_status() == ocsp.OCSPCertStatus.GOOD and not in_crl()
    console = httpx.get(f"{sandbox_pki.url}/sandbox/pki", headers=sandbox_pki.key).text
    assert serial in console and "Thu hồi" in console
    revoked = httpx.post(
        f"{sandbox_pki.url}/sandbox/pki/certificates/{serial}/revoke",
        data={"html": "1"},
        headers=sandbox_pki.key,
    )
    assert revoked.status_code == 303
    assert ocsp_status() == ocsp.OCSPCertStatus.REVOKED and in_crl()
    assert "Đã thu hồi" in httpx.get(f"{sandbox_pki.url}/sandbox/pki", headers=sandbox_pki.key).text
    # A revoked certificate cannot make a long-term signature.
    with pytest.raises(UserError) as caught:
        sign_pdf(
            pdf,
            tmp_path / "o.pdf",
            load_p12(p12, PASSWORD),
            SignOptions(tsa_url=f"{sandbox_pki.url}/pki/tsa", level="B-LT"),
        )
    assert caught.value.code == "signing.cert_revoked"


def test_signature_made_before_revocation_stays_valid_offline(
    sandbox_pki: SandboxPki, pdf: Path, tmp_path: Path
) -> None:
    """The DSS proves the certificate was good at the timestamp; a later revocation
    does not change the offline verdict of the B-LT file."""
    p12, serial = sandbox_pki.issue("LÊ KÝ TRƯỚC")
    out = tmp_path / "lt.pdf"
    sign_pdf(
        pdf, out, load_p12(p12, PASSWORD),
        SignOptions(tsa_url=f"{sandbox_pki.url}/pki/tsa", level="B-LT"),
    )  # fmt: skip
    sandbox_pki.revoke(serial)
    [sig] = verify_pdf(out, [sandbox_pki.root]).signatures
    assert sig.ok and sig.level == "B-LT", sig.problems


def test_level_option_on_the_command_line(
    run_cli, sandbox_pki: SandboxPki, pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p12, _ = sandbox_pki.issue("PHẠM DÒNG LỆNH")
    out = tmp_path / "o.pdf"
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    result = run_cli(
        "sign", str(pdf), "-o", str(out), "--p12", str(p12), "--password-stdin",
        "--tsa", f"{sandbox_pki.url}/pki/tsa", "--level", "B-LTA", "--json",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert json.loads(result.out)["level"] == "B-LTA"
    checked = run_cli("verify", str(out), "--trust", str(sandbox_pki.root_pem))
    assert checked.code == 0, checked.out
    assert "PAdES B-LTA" in checked.out
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    no_tsa = run_cli(
        "sign", str(pdf), "-o", str(tmp_path / "x.pdf"), "--p12", str(p12), "--password-stdin",
        "--level", "B-LT",
    )  # fmt: skip
    assert no_tsa.code == 1 and "--tsa" in no_tsa.err


def test_b_lt_file_verifies_with_the_ca_gone(pdf: Path, tmp_path: Path) -> None:
    """Offline: once signed, the OCSP responder, CRL and TSA can disappear."""
    import httpx

    from portal_sandbox.config import SandboxConfig
    from portal_sandbox.server import ThreadedSandbox

    out = tmp_path / "lt.pdf"
    with ThreadedSandbox(SandboxConfig(tmp_path / "data")) as running:
        root = x509.load_pem_x509_certificate(httpx.get(f"{running.url}/pki/ca.pem").content)
        issued = httpx.post(
            f"{running.url}/sandbox/pki/certificates",
            json={"common_name": "VÕ NGOẠI TUYẾN", "password": PASSWORD},
            headers=running.secret_headers,
        )
        (tmp_path / "k.p12").write_bytes(issued.content)
        key = load_p12(tmp_path / "k.p12", PASSWORD)
        sign_pdf(pdf, out, key, SignOptions(tsa_url=f"{running.url}/pki/tsa", level="B-LTA"))
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{running.url}/pki/crl", timeout=2)
    report = verify_pdf(out, [root])
    assert report.ok and [s.level for s in report.signatures] == ["B-LTA", "B-LTA"]
