"""Issue #11, item 8: the smaller defects, each with its test."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from signing_helpers import CA_CERT_ID, P12_PASSWORD, SUB_TOKEN, Pki, Token

from desktop.errors import UserError
from desktop.signing.pkcs12 import load_p12
from desktop.signing.signer import SignOptions, sign_pdf
from desktop.signing.stamp import StampSpec
from desktop.signing.verifier import verify_pdf
from tests.pki import write_p12


def stdin(monkeypatch: pytest.MonkeyPatch, *lines: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in lines)))


def test_p12_without_a_password_signs(
    run_cli, pki: Pki, pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare = tmp_path / "nopass.p12"
    write_p12(bare, pki.signer.key, pki.signer.cert, [pki.root], password=None)
    assert load_p12(bare, "").info.common_name == load_p12(bare, None).info.common_name
    stdin(monkeypatch, "")
    out = tmp_path / "o.pdf"
    result = run_cli("sign", str(pdf), "-o", str(out), "--p12", str(bare), "--password-stdin")
    assert result.code == 0, result.err
    assert verify_pdf(out, [pki.root]).ok


def test_p12_with_a_password_still_says_the_password_is_wrong_when_empty(
    run_cli, pki: Pki, pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin(monkeypatch, "")
    result = run_cli(
        "sign", str(pdf), "-o", str(tmp_path / "o.pdf"), "--p12", str(pki.signer.p12),
        "--password-stdin",
    )  # fmt: skip
    assert result.code == 1 and "Mật khẩu" in result.err


def test_certs_list_with_an_unknown_token_is_refused(run_cli, softhsm: Token) -> None:
    result = run_cli("certs", "list", "--pkcs11", softhsm.module, "--token", "NOPE")
    assert result.code == 1
    assert "NOPE" in result.err and "Không thấy token" in result.err


def test_certs_list_marks_a_ca_certificate_without_a_key(run_cli, softhsm: Token) -> None:
    result = run_cli("certs", "list", "--pkcs11", softhsm.module, "--token", SUB_TOKEN, "--json")
    assert result.code == 0, result.err
    rows = {r["key_id"]: r for r in json.loads(result.out)}
    assert rows[CA_CERT_ID.hex()]["can_sign"] is False
    assert [r["can_sign"] for k, r in rows.items() if k != CA_CERT_ID.hex()] == [True]
    text = run_cli("certs", "list", "--pkcs11", softhsm.module, "--token", SUB_TOKEN).out
    ca_block = (
        next(b for b in text.split("\n\n") if "Test Issuing CA —" in b) if "\n\n" in text else text
    )
    assert "không dùng để ký" in ca_block


def test_visible_signature_on_a_form_filling_certified_pdf_is_refused_first(
    pki: Pki, pdf: Path, tmp_path: Path
) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    key = load_p12(pki.signer.p12, P12_PASSWORD)
    certified = tmp_path / "certified.pdf"
    meta = signers.PdfSignatureMetadata(
        field_name="Certification",
        certify=True,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    with pdf.open("rb") as src, certified.open("wb") as out:
        signers.PdfSigner(meta, signer=key.pyhanko_signer()).sign_pdf(
            IncrementalPdfFileWriter(src), output=out
        )
    with pytest.raises(UserError) as caught:
        sign_pdf(certified, tmp_path / "o.pdf", key, SignOptions(stamp=StampSpec()))
    assert caught.value.code == "signing.certified_visible"
    assert "--invisible" in caught.value.message()
    assert not (tmp_path / "o.pdf").exists()
    sign_pdf(certified, tmp_path / "o.pdf", key)
    assert verify_pdf(tmp_path / "o.pdf", [pki.root]).ok


@pytest.mark.parametrize(
    ("raised", "code"),
    [
        ("SigningError", "signing.failed_library"),
        ("PdfReadError", "signing.failed_pdf"),
    ],
)
def test_a_library_failure_is_told_without_its_english_sentence(
    raised: str, code: str, pki: Pki, pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.sign import signers
    from pyhanko.sign.general import SigningError

    kind = {"SigningError": SigningError, "PdfReadError": PdfReadError}[raised]

    def fail(*_args: object, **_kwargs: object) -> None:
        raise kind("Some English sentence from the library")

    monkeypatch.setattr(signers.PdfSigner, "sign_pdf", fail)
    with pytest.raises(UserError) as caught:
        sign_pdf(pdf, tmp_path / "o.pdf", load_p12(pki.signer.p12, P12_PASSWORD))
    assert caught.value.code == code
    assert "English" not in caught.value.message()
    assert not (tmp_path / "o.pdf").exists()
