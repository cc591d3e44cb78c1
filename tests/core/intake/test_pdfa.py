"""PDF/A-2b output (desktop.intake.pdfa) and its checker (desktop.intake.pdfa_check),
cross-checked with qpdf and Ghostscript's own PDF/A output."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pdfa_fakes import (
    image_streams,
    text_pdf,
    with_hidden_annotation,
    with_interpolated_image,
    with_javascript,
    with_lzw_stream,
    with_xmp,
)
from PIL import Image
from scanfakes import quadrants, render, save, signed_pdf

from desktop.errors import UserError
from desktop.intake import metadata, pdfa
from desktop.intake.convert import images_to_pdf
from desktop.intake.pdfa_check import check

RECORD = metadata.build(
    {
        "record_code": "H49.21.01-2025-0012",
        "title": "Hồ sơ đăng ký khai sinh cho cháu Nguyễn Thị Hương",
        "start_date": "02/01/2025",
        "end_date": "2025-01-15",
        "sheets": "3",
        "pages": "4",
        "access": "cong khai",
        "retention": "vinh vien",
        "condition": "Bình thường",
        "paper_ref": "HS-GIAY-2025-0012",
    },
    "test",
    defaults=True,
)


def rules(path: Path) -> set[str]:
    return {p.rule for p in check(path)}


@pytest.fixture
def scan_pdf(scans: Path) -> Path:
    jpeg = save(quadrants((300, 420)), scans / "trang1.jpg", dpi=(300, 300), quality=90)
    png = save(quadrants((300, 420), "L"), scans / "trang2.png", dpi=(300, 300))
    out = scans / "plain.pdf"
    images_to_pdf([jpeg, png], out)
    return out


def test_images_to_pdfa_passes_the_checker_and_qpdf(scans: Path) -> None:
    jpeg = save(quadrants((300, 420)), scans / "a.jpg", dpi=(300, 300))
    grey = save(quadrants((300, 420), "L"), scans / "b.png", dpi=(300, 300))
    out = scans / "a.pdf"
    images_to_pdf([jpeg, grey], out, pdfa=True, record=RECORD)
    assert check(out) == []
    subprocess.run(["qpdf", "--check", str(out)], check=True, capture_output=True)
    with pikepdf.open(out) as pdf:
        meta = pdf.open_metadata()
        assert meta.pdfa_status == "2B"
        assert meta["dc:title"] == RECORD.get("title")
        assert str(pdf.trailer.Info.Title) == RECORD.get("title")
        packet = pdf.Root.Metadata.read_bytes().decode()
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFA1"
        assert intent.DestOutputProfile.read_bytes() == pdfa.icc_profile()
    assert "<hstl:RecordCode>H49.21.01-2025-0012</hstl:RecordCode>" in packet
    assert "<hstl:RetentionPeriod>Vĩnh viễn</hstl:RetentionPeriod>" in packet
    assert "<hstl:StartDate>2025-01-02</hstl:StartDate>" in packet
    # The JPEG is still embedded byte for byte.
    assert image_streams(out)[0] == jpeg.read_bytes()


def test_the_same_scans_give_the_same_pdfa_bytes(scans: Path) -> None:
    jpeg = save(quadrants(), scans / "a.jpg", dpi=(300, 300))
    images_to_pdf([jpeg], scans / "1.pdf", pdfa=True, record=RECORD)
    images_to_pdf([jpeg], scans / "2.pdf", pdfa=True, record=RECORD)
    assert (scans / "1.pdf").read_bytes() == (scans / "2.pdf").read_bytes()


def test_a_plain_pdf_fails_the_checker_on_what_pdfa_needs(scan_pdf: Path) -> None:
    found = rules(scan_pdf)
    assert {"trailer_id", "output_intent", "xmp", "device_colour"} <= found


def test_converting_a_pdf_is_lossless_and_checked(scan_pdf: Path, scans: Path) -> None:
    out = scans / "pdfa.pdf"
    report = pdfa.convert(scan_pdf, out, RECORD)
    assert report.pages == 2
    assert check(out) == []
    assert image_streams(out) == image_streams(scan_pdf)
    assert render(out, 1) == render(scan_pdf, 1)


def test_a_cmyk_scan_is_refused_for_pdfa(scans: Path) -> None:
    cmyk = save(quadrants(mode="CMYK"), scans / "cmyk.jpg", dpi=(300, 300))
    with pytest.raises(UserError) as refused:
        images_to_pdf([cmyk], scans / "out.pdf", pdfa=True)
    assert refused.value.code == "intake.pdfa_cmyk"
    assert "RGB" in refused.value.message()
    assert not (scans / "out.pdf").exists()


@pytest.mark.parametrize(
    ("make", "rule"),
    [
        (lambda src, dst: text_pdf(dst), "font"),
        (with_javascript, "action"),
        (with_hidden_annotation, "annotation"),
        (with_interpolated_image, "image"),
    ],
)
def test_what_cannot_be_made_pdfa_without_loss_is_refused_with_the_reason(
    scan_pdf: Path,
    scans: Path,
    make,
    rule: str,  # type: ignore[no-untyped-def]
) -> None:
    source = make(scan_pdf, scans / "bad.pdf")
    assert rule in rules(source)
    with pytest.raises(UserError) as refused:
        pdfa.convert(source, scans / "out.pdf")
    assert refused.value.code == "intake.pdfa_not_lossless"
    assert "ISO 19005-2" in refused.value.message()
    assert not (scans / "out.pdf").exists()


def test_lzw_data_is_recompressed_losslessly(scan_pdf: Path, scans: Path) -> None:
    source = with_lzw_stream(scan_pdf, scans / "lzw.pdf")
    assert "lzw" in rules(source)
    pdfa.convert(source, scans / "out.pdf")
    assert check(scans / "out.pdf") == []
    with pikepdf.open(source) as before, pikepdf.open(scans / "out.pdf") as after:
        assert after.Root.Extra.read_bytes() == before.Root.Extra.read_bytes()


def test_an_embedded_font_is_accepted(scans: Path) -> None:
    assert "font" not in rules(text_pdf(scans / "t.pdf", embedded=True))
    assert "font" in rules(text_pdf(scans / "u.pdf"))


def test_signed_and_encrypted_pdfs_are_refused(scan_pdf: Path, scans: Path) -> None:
    signed = signed_pdf(scan_pdf, scans / "signed.pdf")
    with pytest.raises(UserError) as refused:
        pdfa.convert(signed, scans / "out.pdf")
    assert refused.value.code == "pdf.signed"
    with pikepdf.open(scan_pdf) as pdf:
        pdf.save(scans / "locked.pdf", encryption=pikepdf.Encryption(owner="x", user="y"))
    with pytest.raises(UserError) as locked:
        pdfa.convert(scans / "locked.pdf", scans / "out.pdf")
    assert locked.value.code == "pdf.password"


def test_the_checker_catches_bad_metadata(scan_pdf: Path, scans: Path) -> None:
    good = scans / "good.pdf"
    pdfa.convert(scan_pdf, good, RECORD)
    wrong_part = with_xmp(good, scans / "p1.pdf", b"<pdfaid:part>2<", b"<pdfaid:part>1<")
    assert rules(wrong_part) == {"pdfaid"}
    undeclared = with_xmp(
        good, scans / "p2.pdf", b"<hstl:Sheets>", b"<hstl:Boxes>1</hstl:Boxes><hstl:Sheets>"
    )
    assert rules(undeclared) == {"extension_schema"}
    other_title = with_xmp(good, scans / "p3.pdf", "cháu".encode(), b"chau")
    assert rules(other_title) == {"info_xmp"}
    bytes_attr = with_xmp(good, scans / "p4.pdf", b'id="W5M', b'bytes="1" id="W5M')
    assert rules(bytes_attr) == {"xmp"}


@pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript: scripts/system-deps.sh")
def test_the_checker_agrees_with_ghostscripts_pdfa_output(scan_pdf: Path, scans: Path) -> None:
    lib = next(Path("/usr/share/ghostscript").glob("*/lib/PDFA_def.ps"))
    profile = next(Path("/usr/share/ghostscript").glob("*/iccprofiles/srgb.icc"))
    definition = scans / "pdfa_def.ps"
    definition.write_text(lib.read_text().replace("(srgb.icc)", f"({profile})"))

    def ghostscript(out: Path, *prefix: str) -> Path:
        subprocess.run(
            ["gs", "-q", "-dPDFA=2", "-dBATCH", "-dNOPAUSE", "-dNOOUTERSAVE",
             f"--permit-file-read={profile.parent}/", "-sColorConversionStrategy=RGB",
             "-dPDFACompatibilityPolicy=1", "-sDEVICE=pdfwrite", "-o", str(out),
             *prefix, str(scan_pdf)],
            check=True, capture_output=True,
        )  # fmt: skip
        return out

    # With its PDFA_def.ps (an OutputIntent) Ghostscript makes PDF/A-2b: no problem found.
    assert check(ghostscript(scans / "gs.pdf", str(definition))) == []
    # Without it Ghostscript's file lacks the OutputIntent (it warns): the checker says so.
    assert "output_intent" in rules(ghostscript(scans / "gs-no-intent.pdf"))


def test_images_are_never_resampled_for_pdfa(scans: Path) -> None:
    big = Image.effect_noise((640, 900), 60).convert("RGB")
    jpeg = save(big, scans / "noise.jpg", dpi=(300, 300), quality=85)
    images_to_pdf([jpeg], scans / "n.pdf", pdfa=True)
    assert image_streams(scans / "n.pdf") == [jpeg.read_bytes()]
