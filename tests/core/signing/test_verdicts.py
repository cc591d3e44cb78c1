"""Issue #11 (4, 5, 6): pyHanko's real verdict, one key-usage policy, foreign signatures.

The foreign signatures are made here with pyHanko's own API (no checks of ours),
poppler's `pdfsig -add-signature`, and a hand-built malformed CMS.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from foreign import mislabelled_ecdsa_sign, poppler_sign, pyhanko_sign
from signing_helpers import P12_PASSWORD, Identity, Pki
from validators import nss_db, openssl_cms_verify, pdfsig_verdicts

from desktop.signing.pkcs12 import load_p12
from desktop.signing.signer import sign_pdf
from desktop.signing.verifier import verify_pdf
from tests.pki import write_p12


def test_sha1_signature_is_invalid_with_exit_4(
    run_cli, pki: Pki, pdf: Path, tmp_path: Path
) -> None:
    out = pyhanko_sign(pdf, tmp_path / "sha1.pdf", pki.signer, md="sha1")
    for trust in ((), ("--trust", str(pki.root_pem))):
        result = run_cli("verify", str(out), *trust)
        assert result.code == 4, result.out
        assert "KHÔNG HỢP LỆ" in result.out and "SHA-1" in result.out
        assert "HỢP LỆ về toàn vẹn" not in result.out


def test_expired_at_signing_time_is_named(run_cli, pki: Pki, pdf: Path, tmp_path: Path) -> None:
    out = pyhanko_sign(pdf, tmp_path / "expired.pdf", pki.expired)
    result = run_cli("verify", str(out), "--trust", str(pki.root_pem), "--json")
    assert result.code == 4
    [sig] = json.loads(result.out)["signatures"]
    assert "expired" in sig["problems"] and not sig["ok"]
    text = run_cli("verify", str(out), "--trust", str(pki.root_pem)).out
    assert "hết hạn vào lúc ký" in text and "thiếu chứng thư gốc" not in text


def test_missing_intermediate_is_not_called_a_missing_root(
    run_cli, pki: Pki, pdf: Path, tmp_path: Path
) -> None:
    bare = tmp_path / "bare.p12"
    write_p12(bare, pki.sub_signer.key, pki.sub_signer.cert, None, password=P12_PASSWORD)
    out = pyhanko_sign(
        pdf, tmp_path / "o.pdf", Identity(pki.sub_signer.key, pki.sub_signer.cert, bare)
    )
    result = run_cli("verify", str(out), "--trust", str(pki.root_pem), "--json")
    assert result.code == 4
    assert json.loads(result.out)["signatures"][0]["problems"] == ["path_not_found"]
    assert (
        "thiếu chứng thư trung gian"
        in run_cli("verify", str(out), "--trust", str(pki.root_pem)).out
    )


def test_other_root_given_is_path_not_found_and_no_root_is_only_untrusted(
    run_cli, pki: Pki, pdf: Path, tmp_path: Path
) -> None:
    out = tmp_path / "o.pdf"
    sign_pdf(pdf, out, load_p12(pki.signer.p12, P12_PASSWORD))
    assert run_cli("verify", str(out), "--trust", str(pki.other_root_pem)).code == 4
    assert run_cli("verify", str(out)).code == 0


def test_digital_signature_only_certificate_is_trusted_by_everyone(
    pki: Pki, pdf: Path, tmp_path: Path
) -> None:
    """One policy: what `sign` accepts, `verify` accepts (so do pdfsig and openssl)."""
    out = tmp_path / "ds.pdf"
    sign_pdf(pdf, out, load_p12(pki.digital_signature_only.p12, P12_PASSWORD))
    [sig] = verify_pdf(out, [pki.root]).signatures
    assert sig.ok and sig.trusted, sig.problems
    [poppler] = pdfsig_verdicts(out, nss_db(tmp_path / "nss", pki.root_pem))
    assert poppler.valid and poppler.trusted
    assert openssl_cms_verify(out, pki.root_pem, tmp_path / "cms") == [True]


def test_certificate_without_signing_usage_is_refused_by_both(
    pki: Pki, pdf: Path, tmp_path: Path
) -> None:
    out = pyhanko_sign(pdf, tmp_path / "enc.pdf", pki.no_signing_usage)
    [sig] = verify_pdf(out, [pki.root]).signatures
    assert not sig.ok and "key_usage" in sig.problems


def test_malformed_foreign_signature_does_not_hide_the_others(
    run_cli, pki: Pki, pdf: Path, tmp_path: Path
) -> None:
    first = pyhanko_sign(pdf, tmp_path / "1.pdf", pki.signer, field="First")
    broken = mislabelled_ecdsa_sign(first, tmp_path / "2.pdf", pki.ec_signer)
    last = poppler_sign(broken, tmp_path / "3.pdf", pki.signer, tmp_path / "nss", pki.root_pem)
    result = run_cli("verify", str(last), "--trust", str(pki.root_pem), "--json")
    assert result.code == 4, result.err
    sigs = json.loads(result.out)["signatures"]
    assert [s["field"] for s in sigs] == ["First", "Endesive", "Poppler"]
    assert [s["ok"] for s in sigs] == [True, False, True]
    assert sigs[1]["problems"] == ["unreadable_signature"]
    text = run_cli("verify", str(last), "--trust", str(pki.root_pem))
    assert "Chữ ký 2: KHÔNG ĐỌC ĐƯỢC" in text.out and "không đọc được" in text.out
    assert "Traceback" not in text.err + text.out and "AssertionError" not in text.err


def test_signing_on_top_of_a_malformed_signature_is_refused_naming_it(
    pki: Pki, pdf: Path, tmp_path: Path
) -> None:
    """One verdict (docs/pdf-verdict.md): poppler says "Unknown Validation Failure" for
    this signature, so signing on top would hand on a file with a bad signature; sign
    refuses it naming the field, and writes nothing."""
    from desktop.errors import UserError

    broken = mislabelled_ecdsa_sign(pdf, tmp_path / "b.pdf", pki.ec_signer)
    out = tmp_path / "o.pdf"
    with pytest.raises(UserError) as caught:
        sign_pdf(broken, out, load_p12(pki.signer.p12, P12_PASSWORD))
    assert caught.value.code == "pdf.broken_signature"
    assert caught.value.params["field"] == "Endesive"
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["b.pdf", pdf.name])


def test_verify_on_a_non_pdf_says_verify(run_cli, tmp_path: Path) -> None:
    junk = tmp_path / "note.txt"
    junk.write_text("not a pdf")
    result = run_cli("verify", str(junk))
    assert result.code == 1
    assert "kiểm tra" in result.err and "để ký" not in result.err


def test_info_change_after_signing_is_not_called_validation_data(
    run_cli, pki: Pki, pdf: Path, tmp_path: Path
) -> None:
    from pyhanko.pdf_utils.generic import NameObject, TextStringObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    out = tmp_path / "o.pdf"
    sign_pdf(pdf, out, load_p12(pki.signer.p12, P12_PASSWORD))
    changed = tmp_path / "changed.pdf"
    with out.open("rb") as handle:
        writer = IncrementalPdfFileWriter(handle, strict=False)
        info = writer.trailer["/Info"]
        info[NameObject("/Title")] = TextStringObject("Tờ khai đã sửa")
        writer.update_container(info)
        buffer = io.BytesIO()
        writer.write(buffer)
    changed.write_bytes(buffer.getvalue())
    [sig] = verify_pdf(changed, [pki.root]).signatures
    assert sig.modifications == "metadata"
    text = run_cli("verify", str(changed), "--trust", str(pki.root_pem)).out
    assert "chỉ thêm dữ liệu xác thực" not in text and "thông tin mô tả tệp" in text


def test_verify_never_prints_library_warnings(
    run_cli, pki: Pki, pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    out = tmp_path / "o.pdf"
    sign_pdf(pdf, out, load_p12(pki.signer.p12, P12_PASSWORD))
    program = Path(sys.executable).with_name("dvc-desk")
    done = subprocess.run(
        [str(program), "--data-dir", str(tmp_path / "d"), "verify", str(out)],
        capture_output=True, text=True, timeout=120, check=False,
        env={k: v for k, v in __import__("os").environ.items() if k != "PYTHONWARNINGS"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr and "deprecated" not in done.stderr, done.stderr
