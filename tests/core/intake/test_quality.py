"""The quality check before signing (desktop.intake.quality): each finding on a scan
made to show it, and nothing on a good scan."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from vietnamese_pages import page

from desktop.intake.convert import images_to_pdf
from desktop.intake.quality import check_file


def scan(folder: Path, name: str, image: Image.Image, dpi: int) -> Path:
    path = folder / name
    image.save(path, "JPEG", quality=88, dpi=(dpi, dpi))
    return path


def kinds(report) -> set[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return {(i.kind, i.page) for i in report.issues}


@pytest.fixture
def good(scans: Path) -> Path:
    return scan(scans, "good.jpg", page(300, lines=8).convert("RGB"), 300)


def test_a_good_colour_scan_has_no_finding(good: Path, scans: Path) -> None:
    images_to_pdf([good], scans / "ok.pdf")
    report = check_file(scans / "ok.pdf", expected_pages=1)
    assert report.ok, [i.message() for i in report.issues]
    assert report.pages[0].dpi == 300 and report.pages[0].colour == "colour"
    assert report.pages[0].skew is not None and abs(report.pages[0].skew) < 0.5


def test_each_problem_is_found_on_its_page_with_the_action(good: Path, scans: Path) -> None:
    low = scan(scans, "low.jpg", page(150, lines=8).convert("RGB"), 150)
    blank = scan(scans, "blank.jpg", Image.new("RGB", (1240, 1754), (248, 247, 240)), 150 * 2)
    crooked = scan(scans, "crooked.jpg", page(300, lines=8, skew=3).convert("RGB"), 300)
    grey = scan(scans, "grey.jpg", page(300, lines=8), 300)
    images_to_pdf([good, low, blank, crooked, grey], scans / "all.pdf")
    report = check_file(scans / "all.pdf", expected_pages=4)
    assert kinds(report) == {
        ("low_dpi", 2),
        ("blank", 3),
        ("skewed", 4),
        ("not_colour", 5),
        ("page_count", 0),
    }
    by_kind = {i.kind: i for i in report.issues}
    assert by_kind["blank"].action == "delete"
    assert by_kind["low_dpi"].action == "rescan" and "150 dpi" in by_kind["low_dpi"].message()
    assert abs(report.pages[3].skew - 3) <= 0.3  # type: ignore[operator]
    assert "5 trang" in by_kind["page_count"].message()
    assert "page 3" in by_kind["blank"].message("en")


def test_ocr_confidence_and_orientation_by_tesseract(good: Path, scans: Path) -> None:
    upside_down = scan(scans, "turned.jpg", page(300, lines=8).rotate(180).convert("RGB"), 300)
    images_to_pdf([good, upside_down], scans / "ocr.pdf")
    report = check_file(scans / "ocr.pdf", ocr=True)
    first, second = report.pages
    assert first.confidence is not None and first.confidence >= 85
    assert first.rotation == 0 and second.rotation == 180
    assert ("rotated", 2) in kinds(report) and ("rotated", 1) not in kinds(report)
    assert ("low_confidence", 2) in kinds(report)
    rotate = next(i for i in report.issues if i.kind == "rotated")
    assert rotate.action == "rotate" and "180°" in rotate.message()
