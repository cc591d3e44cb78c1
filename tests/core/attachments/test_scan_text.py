"""desktop.attachments.scan_text: the text layer of scans, read only where there is one."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from desktop.attachments import scan_text
from desktop.intake.convert import images_to_pdf


def _image_pdf(folder: Path, pages: int) -> Path:
    Image.new("RGB", (60, 80), "white").save(folder / "p.png", dpi=(300, 300))
    out = folder / "scan.pdf"
    images_to_pdf([folder / "p.png"] * pages, out)
    return out


def test_a_scan_without_text_is_not_parsed_page_by_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _image_pdf(tmp_path, 40)

    def no_reader(*_args: object) -> None:
        raise AssertionError("pypdf was asked to read a PDF without any font")

    monkeypatch.setattr(scan_text, "PdfReader", no_reader)
    assert scan_text.pdf_text(source) == ""


def test_text_in_a_form_xobject_is_read_and_bounded(tmp_path: Path) -> None:
    source = _image_pdf(tmp_path, 2)
    with pikepdf.open(source, allow_overwriting_input=True) as pdf:
        font = pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
        form = pdf.make_stream(b"BT /F1 10 Tf 5 5 Td (Giay khai sinh so 12) Tj ET")
        form.Type, form.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
        form.BBox = [0, 0, 100, 100]
        form.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page = pdf.pages[1]
        page.obj.Resources.XObject.Text = form
        page.contents_add(pdf.make_stream(b"q /Text Do Q"))
        pdf.save(source)
    assert scan_text.pdf_text(source) == "Giay khai sinh so 12"
    assert scan_text.pdf_text(source, limit=4) == "Giay"
