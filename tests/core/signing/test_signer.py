"""Signing PDFs: PAdES B-B with SHA-256, checked with pyHanko and with poppler's pdfsig."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from signing_helpers import (
    EC_TOKEN,
    P12_PASSWORD,
    SIGNER_NAME,
    TOKEN_LABEL,
    Pki,
    Token,
    closed_port_url,
    make_hybrid_pdf,
    make_pdf,
    tsa_server,
)

from desktop.errors import UserError
from desktop.signing.keys import SigningKey
from desktop.signing.pkcs12 import load_p12
from desktop.signing.signer import SignOptions, sign_pdf
from desktop.signing.stamp import StampSpec
from desktop.signing.tokens import open_token_key
from desktop.signing.verifier import verify_pdf


@pytest.fixture(scope="module")
def key(pki: Pki) -> SigningKey:
    return load_p12(pki.signer.p12, P12_PASSWORD)


def pdfsig(path: Path, *extra: str) -> str:
    """poppler's independent verdict on every signature of `path`."""
    assert shutil.which("pdfsig"), "poppler-utils is needed (scripts/system-deps.sh)"
    done = subprocess.run(
        ["pdfsig", "-nocert", *extra, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.stdout + done.stderr


def test_invisible_signature_is_valid_for_pyhanko_and_pdfsig(
    pki: Pki, key: SigningKey, pdf: Path, tmp_path: Path
) -> None:
    original = pdf.read_bytes()
    out = tmp_path / "signed.pdf"
    result = sign_pdf(pdf, out, key)
    assert result.level == "B-B" and result.signer == SIGNER_NAME
    assert result.signed_at.endswith("+07:00")
    assert pdf.read_bytes() == original  # the original stays
    assert out.read_bytes().startswith(original)  # incremental update
    report = verify_pdf(out, [pki.root])
    assert report.ok
    [sig] = report.signatures
    assert sig.trusted and sig.covers_whole_file and sig.signer == SIGNER_NAME
    text = pdfsig(out)
    assert "Signature is Valid" in text
    assert "ETSI.CAdES.detached" in text
    assert "SHA-256" in text or "SHA256" in text
    assert "Total document signed" in text
    assert not list(tmp_path.glob(".signing-*"))  # no temp file left behind


def test_second_signature_keeps_the_first_valid(
    pki: Pki, key: SigningKey, pdf: Path, tmp_path: Path
) -> None:
    once = sign_pdf(pdf, tmp_path / "once.pdf", key)
    twice = sign_pdf(Path(once.output), tmp_path / "twice.pdf", key, SignOptions(stamp=StampSpec()))
    report = verify_pdf(Path(twice.output), [pki.root])
    assert len(report.signatures) == 2 and report.ok
    first, second = report.signatures
    assert not first.covers_whole_file and second.covers_whole_file
    assert first.modifications_allowed
    assert pdfsig(Path(twice.output)).count("Signature is Valid") == 2


def test_same_output_as_input_is_refused(key: SigningKey, pdf: Path) -> None:
    with pytest.raises(UserError) as caught:
        sign_pdf(pdf, pdf, key)
    assert caught.value.code == "signing.same_output"


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("expired", "signing.cert_expired"),
        ("not_yet_valid", "signing.cert_not_yet_valid"),
        ("no_signing_usage", "signing.cert_usage"),
    ],
)
def test_unfit_certificates_are_refused_before_anything_is_written(
    pki: Pki, pdf: Path, tmp_path: Path, who: str, code: str
) -> None:
    unfit = load_p12(getattr(pki, who).p12, P12_PASSWORD)
    out = tmp_path / "out" / "signed.pdf"
    with pytest.raises(UserError) as caught:
        sign_pdf(pdf, out, unfit)
    assert caught.value.code == code
    assert not out.exists()


def test_not_a_pdf_is_refused(key: SigningKey, tmp_path: Path) -> None:
    fake = tmp_path / "anh.pdf"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    with pytest.raises(UserError) as caught:
        sign_pdf(fake, tmp_path / "o.pdf", key)
    assert caught.value.code == "signing.not_pdf"
    assert "không phải là tệp PDF" in caught.value.message()


def test_truncated_pdf_is_refused_and_repair_says_it_cannot(
    key: SigningKey, pdf: Path, tmp_path: Path
) -> None:
    data = pdf.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) * 7 // 10])
    with pytest.raises(UserError) as caught:
        sign_pdf(cut, tmp_path / "o.pdf", key)
    # Its end is lost: no rewrite brings it back, so --repair is not offered (issue #21).
    assert caught.value.code == "pdf.damaged"
    assert "--repair" not in caught.value.message()
    assert "quét lại" in caught.value.message()
    with pytest.raises(UserError) as caught:
        sign_pdf(cut, tmp_path / "o.pdf", key, SignOptions(repair=True))
    assert caught.value.code == "pdf.damaged"
    assert not (tmp_path / "o.pdf").exists()
    assert not list(tmp_path.glob(".repair-*")) and not list(tmp_path.glob(".signing-*"))


def broken_xref(pdf: Path, target: Path) -> Path:
    data = pdf.read_bytes()
    at = data.rindex(b"startxref")
    target.write_bytes(data[:at] + b"startxref\n99999\n%%EOF\n")
    return target


def test_broken_xref_is_repaired_only_when_asked(
    pki: Pki, key: SigningKey, pdf: Path, tmp_path: Path
) -> None:
    broken = broken_xref(pdf, tmp_path / "broken.pdf")
    before = broken.read_bytes()
    with pytest.raises(UserError) as caught:
        sign_pdf(broken, tmp_path / "o.pdf", key)
    assert caught.value.code == "pdf.repairable"
    assert "--repair" in caught.value.message()
    result = sign_pdf(broken, tmp_path / "o.pdf", key, SignOptions(repair=True))
    assert result.repaired
    assert broken.read_bytes() == before  # the damaged original is kept as it was
    assert verify_pdf(tmp_path / "o.pdf", [pki.root]).ok
    assert "Signature is Valid" in pdfsig(tmp_path / "o.pdf")


def test_damaged_signed_file_is_never_rewritten(key: SigningKey, pdf: Path, tmp_path: Path) -> None:
    signed = sign_pdf(pdf, tmp_path / "signed.pdf", key)
    broken = broken_xref(Path(signed.output), tmp_path / "broken-signed.pdf")
    with pytest.raises(UserError) as caught:
        sign_pdf(broken, tmp_path / "o.pdf", key, SignOptions(repair=True))
    # Its last bytes changed after signing: the signature is broken, and named so.
    assert caught.value.code == "pdf.broken_signature"
    assert not (tmp_path / "o.pdf").exists()


def test_encrypted_pdf_is_signed_with_its_password(
    pki: Pki, key: SigningKey, tmp_path: Path
) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(make_pdf(tmp_path / "plain.pdf"))))
    writer.encrypt(user_password="mở khoá", owner_password="chủ", algorithm="AES-256")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(UserError) as caught:
        sign_pdf(locked, tmp_path / "o.pdf", key)
    assert caught.value.code == "signing.pdf_password_needed"
    with pytest.raises(UserError) as caught:
        sign_pdf(locked, tmp_path / "o.pdf", key, SignOptions(pdf_password="sai"))
    assert caught.value.code == "signing.pdf_password_wrong"
    out = tmp_path / "o.pdf"
    sign_pdf(locked, out, key, SignOptions(pdf_password="mở khoá", stamp=StampSpec()))
    assert verify_pdf(out, [pki.root], password="mở khoá").ok
    assert "Signature is Valid" in pdfsig(out, "-upw", "mở khoá")


def test_hybrid_xref_file_is_signed(pki: Pki, key: SigningKey, tmp_path: Path) -> None:
    hybrid = make_hybrid_pdf(tmp_path / "word.pdf")
    out = tmp_path / "word-signed.pdf"
    sign_pdf(hybrid, out, key, SignOptions(stamp=StampSpec()))
    assert verify_pdf(out, [pki.root]).ok
    assert "Signature is Valid" in pdfsig(out)


def test_document_certified_without_changes_is_refused(
    key: SigningKey, pdf: Path, tmp_path: Path
) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    certified = tmp_path / "certified.pdf"
    meta = signers.PdfSignatureMetadata(
        field_name="Certification",
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    with pdf.open("rb") as src, certified.open("wb") as out:
        signers.PdfSigner(meta, signer=key.pyhanko_signer()).sign_pdf(
            IncrementalPdfFileWriter(src), output=out
        )
    with pytest.raises(UserError) as caught:
        sign_pdf(certified, tmp_path / "o.pdf", key)
    assert caught.value.code == "pdf.locked"
    assert "không cho phép thay đổi" in caught.value.message()


def test_token_key_signs_a_valid_pdf(pki: Pki, softhsm: Token, pdf: Path, tmp_path: Path) -> None:
    out = tmp_path / "token.pdf"
    with open_token_key(softhsm.module, softhsm.pin, token_label=TOKEN_LABEL) as token_key:
        sign_pdf(pdf, out, token_key, SignOptions(stamp=StampSpec()))
    report = verify_pdf(out, [pki.root])
    assert report.ok and report.signatures[0].trusted
    assert "Signature is Valid" in pdfsig(out)


def test_timestamp_server_gives_b_t(pki: Pki, key: SigningKey, pdf: Path, tmp_path: Path) -> None:
    out = tmp_path / "bt.pdf"
    with tsa_server(pki) as url:
        result = sign_pdf(pdf, out, key, SignOptions(tsa_url=url))
    assert result.level == "B-T"
    [sig] = verify_pdf(out, [pki.root]).signatures
    assert sig.ok and sig.timestamp_time is not None and sig.timestamp_time.endswith("+07:00")
    assert "Signature is Valid" in pdfsig(out)


def test_unreachable_timestamp_server_stops_unless_allowed(
    pki: Pki, key: SigningKey, pdf: Path, tmp_path: Path
) -> None:
    url = closed_port_url()
    out = tmp_path / "o.pdf"
    with pytest.raises(UserError) as caught:
        sign_pdf(pdf, out, key, SignOptions(tsa_url=url))
    assert caught.value.code == "signing.tsa_unreachable"
    assert "--allow-no-timestamp" in caught.value.message()
    assert not out.exists()
    result = sign_pdf(pdf, out, key, SignOptions(tsa_url=url, allow_no_timestamp=True))
    assert result.level == "B-B" and result.timestamp_skipped
    assert verify_pdf(out, [pki.root]).ok


def test_ecdsa_keys_sign_from_p12_and_from_a_token(
    pki: Pki, softhsm: Token, pdf: Path, tmp_path: Path
) -> None:
    soft = sign_pdf(pdf, tmp_path / "ec-p12.pdf", load_p12(pki.ec_signer.p12, P12_PASSWORD))
    with open_token_key(softhsm.module, softhsm.pin, token_label=EC_TOKEN) as token_key:
        hard = sign_pdf(pdf, tmp_path / "ec-token.pdf", token_key)
    for result in (soft, hard):
        out = Path(result.output)
        assert verify_pdf(out, [pki.root]).ok
        assert "Signature is Valid" in pdfsig(out)


def test_pdf_with_only_an_owner_password_is_signed_without_asking(
    pki: Pki, key: SigningKey, tmp_path: Path
) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(make_pdf(tmp_path / "plain.pdf"))))
    writer.encrypt(user_password="", owner_password="chủ", algorithm="AES-256")
    protected = tmp_path / "protected.pdf"
    with protected.open("wb") as handle:
        writer.write(handle)
    out = tmp_path / "o.pdf"
    sign_pdf(protected, out, key)
    assert verify_pdf(out, [pki.root]).ok
    assert "Signature is Valid" in pdfsig(out)
