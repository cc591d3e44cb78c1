"""The real OCR step: Debian's ocrmypdf and tesseract with Vietnamese data (installed by
scripts/system-deps.sh for `make test`), on pages of known Vietnamese text."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pdfa_fakes import image_streams
from pypdf import PdfReader
from vietnamese_pages import TEXT, character_accuracy, save_page

from desktop.attachments.scan_text import pdf_text
from desktop.intake import metadata, ocr
from desktop.intake.convert import images_to_pdf
from desktop.intake.pdfa_check import check

LINES = 8


def test_the_tools_are_installed() -> None:
    assert ocr.missing_tools() == [], "run: bash scripts/system-deps.sh test"


def test_a_vietnamese_text_layer_on_untouched_images_as_pdfa(scans: Path) -> None:
    jpeg = save_page(scans / "trang1.jpg", 300, lines=LINES)
    source = scans / "scan.pdf"
    images_to_pdf([jpeg], source)
    record = metadata.build({"record_code": "H1", "title": "Tờ khai khai sinh"}, "test")
    out = scans / "scan-ocr.pdf"
    report = ocr.ocr(source, out, pdfa=True, record=record)
    assert report.pdfa and check(out) == []
    # Text layer only: the scan's JPEG is still in the file byte for byte.
    assert image_streams(out) == [jpeg.read_bytes()]
    text = PdfReader(out).pages[0].extract_text()
    expected = "\n".join(TEXT.splitlines()[:LINES])
    assert "Nguyễn Thị Hương" in text and "Ủy ban nhân dân xã Hòa Bình" in text
    assert character_accuracy(expected, text) >= 0.97
    assert "Căn cước số 025186004512" in pdf_text(out)


def test_ocrmypdfs_own_pdfa_output_passes_the_checker(scans: Path) -> None:
    """A cross-check with another producer: ocrmypdf's PDF/A (made by Ghostscript)."""
    jpeg = save_page(scans / "p.jpg", 200, lines=2)
    out = scans / "gs-pdfa.pdf"
    subprocess.run(
        ["ocrmypdf", "--output-type", "pdfa-2", "--tesseract-timeout", "0", "--image-dpi",
         "200", str(jpeg), str(out)],
        check=True, capture_output=True,
    )  # fmt: skip
    assert check(out) == []
