"""The text layer of a dossier's scans (OCR) is part of its search text (migration 0010)."""

from __future__ import annotations

from pathlib import Path

import pikepdf
from sqlalchemy import text

from desktop.dossier.service import DossierService
from desktop.workspace import Workspace

from .conftest import PROCEDURE


def text_layer_pdf(path: Path, words: str) -> Path:
    """A page whose only text is `words` (ASCII, in a standard font): like an OCR layer."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(595, 842))
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(f"BT /F1 12 Tf 72 720 Td ({words}) Tj ET".encode())
    pdf.save(path)
    return path


def test_a_word_of_a_scan_finds_its_dossier_until_the_scan_is_removed(
    service: DossierService, catalog_ready: Workspace, tmp_path: Path
) -> None:
    dossier = service.create(PROCEDURE)
    other = service.create(PROCEDURE)
    scan = text_layer_pdf(tmp_path / "giay-kham.pdf", "Benh vien Da khoa Phu Tho ket luan")
    attached = service.attach(dossier.id, "TP3", [scan])
    service.attach(other.id, "TP3", [text_layer_pdf(tmp_path / "x.pdf", "Giay uy quyen")])
    assert [r.id for r in service.list(search="benh vien phu")] == [dossier.id]
    assert [r.id for r in service.list(search="uy quyen")] == [other.id]
    service.detach(dossier.id, attached.attachments[0].id)
    assert service.list(search="benh vien phu") == []
    with catalog_ready.db.session() as session:
        session.execute(
            text("INSERT INTO dossier_search (dossier_search) VALUES ('integrity-check')")
        )
