"""A PDF/A-2b file stays PDF/A-2b when dvc-desk signs it (pyHanko's incremental update
rewrites the XMP; desktop.signing.pdfa_info keeps Info and XMP saying the same)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image
from signing_helpers import P12_PASSWORD, Pki

from desktop.intake import metadata, pdfa
from desktop.intake.convert import images_to_pdf
from desktop.intake.pdfa_check import check
from desktop.signing.pkcs12 import load_p12
from desktop.signing.signer import SignOptions, sign_pdf
from desktop.signing.stamp import StampSpec


def _pdfa(folder: Path) -> Path:
    scan = folder / "scan.jpg"
    Image.new("RGB", (620, 877), (250, 250, 245)).save(scan, dpi=(300, 300))
    record = metadata.build({"record_code": "H01-2025-1", "title": "Hồ sơ khai sinh"}, "test")
    out = folder / "scan.pdf"
    images_to_pdf([scan], out, pdfa=True, record=record)
    assert check(out) == []
    return out


def test_signing_keeps_a_pdfa_file_pdfa(tmp_path: Path, pki: Pki) -> None:
    key = load_p12(pki.signer.p12, P12_PASSWORD)
    source = _pdfa(tmp_path)
    invisible = tmp_path / "invisible.pdf"
    sign_pdf(source, invisible, key, SignOptions())
    assert check(invisible) == []
    visible = tmp_path / "visible.pdf"
    sign_pdf(source, visible, key, SignOptions(stamp=StampSpec()))
    assert check(visible) == []
    twice = tmp_path / "twice.pdf"
    sign_pdf(visible, twice, key, SignOptions(stamp=StampSpec()))
    assert check(twice) == []
    # The record metadata is still in the signed file's XMP, and poppler verifies both.
    assert "H01-2025-1" in twice.read_bytes().decode("latin-1")
    shown = subprocess.run(["pdfsig", str(twice)], capture_output=True, text=True, check=False)
    assert shown.stdout.count("Signature Validation: Signature is Valid.") == 2


def test_signing_a_converted_pdf_with_dates_keeps_it_pdfa(tmp_path: Path, pki: Pki) -> None:
    key = load_p12(pki.signer.p12, P12_PASSWORD)
    scan = tmp_path / "scan.jpg"
    Image.new("L", (620, 877), 240).save(scan, dpi=(300, 300))
    plain = tmp_path / "plain.pdf"
    images_to_pdf([scan], plain)
    converted = tmp_path / "pdfa.pdf"
    pdfa.convert(plain, converted)
    signed = tmp_path / "signed.pdf"
    sign_pdf(converted, signed, key, SignOptions(stamp=StampSpec()))
    assert check(signed) == []
