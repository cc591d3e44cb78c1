"""Verifier: integrity, coverage, signer, time, trust anchors, changes after signing."""

from __future__ import annotations

from pathlib import Path

import pytest
from signing_helpers import P12_PASSWORD, SIGNER_NAME, SIGNER_ORG, Pki

from desktop.errors import UserError
from desktop.signing.pkcs12 import load_p12
from desktop.signing.signer import sign_pdf
from desktop.signing.verifier import load_trust, verify_pdf


@pytest.fixture
def signed(pki: Pki, pdf: Path, tmp_path: Path) -> Path:
    return Path(
        sign_pdf(pdf, tmp_path / "signed.pdf", load_p12(pki.signer.p12, P12_PASSWORD)).output
    )


def test_report_names_signer_time_and_trust(pki: Pki, signed: Path) -> None:
    report = verify_pdf(signed, [pki.root])
    [sig] = report.signatures
    assert report.ok and sig.trusted and sig.intact and sig.valid and sig.covers_whole_file
    assert sig.signer == SIGNER_NAME and sig.organisation == SIGNER_ORG
    assert sig.signing_time is not None and sig.signing_time.endswith("+07:00")
    assert sig.modifications == "none" and sig.problems == ()


def test_without_the_root_the_signature_is_sound_but_untrusted(pki: Pki, signed: Path) -> None:
    [sig] = verify_pdf(signed, []).signatures
    assert sig.intact and sig.valid and not sig.trusted and sig.ok
    assert sig.problems == ("untrusted",)
    # With roots trusted but not the signer's, no path is found: not valid (issue #11).
    other = load_trust(None, [pki.other_root_pem])
    [sig] = verify_pdf(signed, other).signatures
    assert sig.intact and sig.valid and not sig.trusted and not sig.ok
    assert sig.problems == ("path_not_found",)


def test_changed_byte_breaks_integrity(pki: Pki, signed: Path) -> None:
    data = signed.read_bytes()
    assert b"/Producer (pypdf)" in data
    signed.write_bytes(data.replace(b"/Producer (pypdf)", b"/Producer (pypdX)", 1))
    report = verify_pdf(signed, [pki.root])
    assert not report.ok
    assert "content_changed" in report.signatures[0].problems


def test_change_appended_after_signing_is_reported(pki: Pki, signed: Path) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    with signed.open("r+b") as handle:
        writer = IncrementalPdfFileWriter(handle)
        page_ref = writer.root["/Pages"]["/Kids"][0]
        page = page_ref.get_object()
        page["/Rotate"] = generic.NumberObject(90)
        writer.update_container(page)
        writer.write_in_place()
    report = verify_pdf(signed, [pki.root])
    [sig] = report.signatures
    assert sig.intact and not sig.covers_whole_file
    assert sig.modifications == "other" and not sig.modifications_allowed
    assert not report.ok


def test_trust_folder_and_files(pki: Pki, tmp_path: Path) -> None:
    folder = tmp_path / "trust"
    folder.mkdir()
    (folder / "root.pem").write_bytes(pki.root_pem.read_bytes())
    (folder / "notes.txt").write_text("ignored")
    (folder / "broken.pem").write_text("-----BEGIN CERTIFICATE-----\nxx\n")
    roots = load_trust(folder, [pki.other_root_pem])
    assert [r.subject for r in roots] == [
        pki.root.subject,
        load_trust(None, [pki.other_root_pem])[0].subject,
    ]
    with pytest.raises(UserError) as caught:
        load_trust(None, [folder / "broken.pem"])
    assert caught.value.code == "signing.trust_unreadable"


def test_unsigned_pdf_has_no_signature(pdf: Path) -> None:
    report = verify_pdf(pdf, [])
    assert report.signatures == [] and not report.ok
