"""desktop.dossier.scan_quality: the check of an attachment and the fixes from its list."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from desktop.dossier.service import DossierService
from desktop.errors import UserError
from desktop.intake import metadata
from desktop.intake.convert import images_to_pdf
from desktop.intake.pdfa_check import check
from desktop.intake.quality import Issue
from desktop.workspace import Workspace

from .conftest import PROCEDURE


def two_pages(folder: Path, *, pdfa: bool) -> Path:
    for n in (1, 2):
        Image.new("RGB", (620, 877), (200, 40 * n, 40)).save(folder / f"{n}.jpg", dpi=(150, 150))
    out = folder / "scan.pdf"
    images_to_pdf([folder / "1.jpg", folder / "2.jpg"], out, pdfa=pdfa)
    return out


def test_rotate_keeps_pdfa_and_the_record_and_replaces_the_file(
    service: DossierService, catalog_ready: Workspace, tmp_path: Path
) -> None:
    dossier = service.create(PROCEDURE)
    record = metadata.build({"record_code": "H7", "title": "Hồ sơ H7", "pages": "3"}, "t")
    catalog_ready.records.save(dossier.id, record)
    [old] = service.attach(dossier.id, "TP3", [two_pages(tmp_path, pdfa=True)]).attachments
    scans = catalog_ready.scan_quality
    report = scans.check(dossier.id, old.id)
    assert {(i.kind, i.page) for i in report.issues} >= {("low_dpi", 1), ("page_count", 0)}
    fixed = scans.fix(dossier.id, old.id, Issue("rotated", 2, "90"))
    [new] = fixed.attachments
    assert new.component_code == "TP3" and new.name == "scan.pdf" and new.id != old.id
    path = catalog_ready.store.path(new.sha256)
    with pikepdf.open(path) as pdf:
        assert [int(p.obj.get("/Rotate", 0)) for p in pdf.pages] == [0, 90]
    assert check(path) == [] and b"H7" in path.read_bytes()


def test_delete_on_a_plain_pdf_and_what_needs_a_person(
    service: DossierService, catalog_ready: Workspace, tmp_path: Path
) -> None:
    dossier = service.create(PROCEDURE)
    [old] = service.attach(dossier.id, "TP3", [two_pages(tmp_path, pdfa=False)]).attachments
    scans = catalog_ready.scan_quality
    [new] = scans.fix(dossier.id, old.id, Issue("blank", 1, "")).attachments
    with pikepdf.open(catalog_ready.store.path(new.sha256)) as pdf:
        assert len(pdf.pages) == 1 and "/OutputIntents" not in pdf.Root
    with pytest.raises(UserError) as refused:
        scans.fix(dossier.id, new.id, Issue("low_dpi", 1, "150"))
    assert refused.value.code == "scans.no_fix" and "quét lại" in refused.value.message()
