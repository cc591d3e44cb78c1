"""ui/widgets/pdf_preview.py: pages, thumbnails, size and badge of a real PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfWriter
from ui_pdfs import write_pdf

from ui.widgets.pdf_preview import PdfPreview


@pytest.fixture
def preview(qtbot) -> PdfPreview:
    widget = PdfPreview()
    qtbot.addWidget(widget)
    widget.resize(700, 600)
    widget.show()
    return widget


def test_a_three_page_pdf_shows_its_pages_and_thumbnails(
    qtbot, preview: PdfPreview, tmp_path: Path
) -> None:
    path = write_pdf(tmp_path / "don.pdf", pages=3)
    size = path.stat().st_size
    assert preview.show_pdf(path, "Đơn đề nghị.pdf", size, {"signed": True, "signatures": 2})
    assert preview.page_count() == 3
    assert preview.title_label.text() == "Đơn đề nghị.pdf"
    assert preview.facts_label.text().startswith("3 trang · ")
    assert "210 × 297 mm" in preview.facts_label.text()
    assert preview.badge_label.text() == "✔ Đã ký số (2 chữ ký)"
    assert preview.thumbnails.count() == 3
    qtbot.waitUntil(lambda: all(preview.thumbnail_drawn(p) for p in range(3)), timeout=5000)
    icon = preview.thumbnails.item(0).icon()
    assert icon.availableSizes() and icon.availableSizes()[0].width() == 96
    # Each row is as large as its thumbnail (not shrunk to the page number's size).
    row = preview.thumbnails.visualItemRect(preview.thumbnails.item(0))
    assert row.width() >= 96 and row.height() >= 136


def test_an_unsigned_pdf_says_so(preview: PdfPreview, tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "a.pdf", pages=1)
    assert preview.show_pdf(path, "a.pdf", 10, {})
    assert preview.badge_label.text() == "Chưa ký số"
    assert preview.facts_label.text().startswith("1 trang · 10 byte")


def test_an_encrypted_pdf_says_what_to_do(preview: PdfPreview, tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="bimat", owner_password="bimat")
    path = tmp_path / "khoa.pdf"
    with path.open("wb") as out:
        writer.write(out)
    assert not preview.show_pdf(path, "khoa.pdf", path.stat().st_size, {})
    assert "đặt mật khẩu" in preview.message_label.text()
    assert "in lại ra PDF không mật khẩu" in preview.message_label.text()
    assert preview.stack.currentIndex() == 0 and preview.page_count() == 0


def test_a_damaged_file_is_explained(preview: PdfPreview, tmp_path: Path) -> None:
    path = tmp_path / "hong.pdf"
    path.write_bytes(b"%PDF-1.7\nnot really a pdf")
    assert not preview.show_pdf(path, "hong.pdf", 20, {})
    assert "không đọc được như một PDF" in preview.message_label.text()


def test_opening_another_file_replaces_the_pages(
    qtbot, preview: PdfPreview, tmp_path: Path
) -> None:
    first = write_pdf(tmp_path / "one.pdf", pages=3)
    second = write_pdf(tmp_path / "two.pdf", pages=1)
    preview.show_pdf(first, "one.pdf", 1, {})
    preview.show_pdf(second, "two.pdf", 1, {})
    assert preview.thumbnails.count() == 1 and preview.page_count() == 1
    qtbot.waitUntil(lambda: preview.thumbnail_drawn(0), timeout=5000)


def test_thumbnails_are_drawn_only_as_they_scroll_into_view(
    qtbot, preview: PdfPreview, tmp_path: Path
) -> None:
    path = write_pdf(tmp_path / "scan.pdf", pages=60)
    preview.show_pdf(path, "scan.pdf", 1, {})
    qtbot.waitUntil(lambda: preview.thumbnail_drawn(0), timeout=5000)
    drawn = [p for p in range(60) if preview.thumbnail_drawn(p)]
    assert preview.page_count() == 60 and len(drawn) < 10 and not preview.thumbnail_drawn(59)
    bar = preview.thumbnails.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: preview.thumbnail_drawn(59), timeout=5000)
    assert not preview.thumbnail_drawn(30)
