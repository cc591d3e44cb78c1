from __future__ import annotations

import os
from pathlib import Path

import pytest
from attachments.samples import HTML_PAGE, image_bytes, pdf_bytes, write
from sqlalchemy import func, select

from desktop.dossier.model import ERROR
from desktop.dossier.service import DossierService
from desktop.errors import UserError
from desktop.events import DossierChanged
from desktop.storage import models
from desktop.workspace import Workspace

from .conftest import CODE, GOOD_APPLICANT, MB, PROCEDURE


def _count(workspace: Workspace, table: type[models.Base]) -> int:
    with workspace.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_create_by_key_or_code_publishes_an_event(
    service: DossierService, catalog_ready: Workspace
) -> None:
    seen: list[DossierChanged] = []
    catalog_ready.events.subscribe(DossierChanged, seen.append)
    by_key = service.create(PROCEDURE)
    by_code = service.create(CODE)
    assert by_key.state == "DRAFT" and by_code.procedure_key == PROCEDURE
    assert seen == [DossierChanged(by_key.id, "DRAFT"), DossierChanged(by_code.id, "DRAFT")]
    assert [h.to_state for h in service.history(by_key.id)] == ["DRAFT"]


def test_unknown_procedure_is_refused(service: DossierService, catalog_ready: Workspace) -> None:
    with pytest.raises(UserError) as caught:
        service.create("KHONG-CO")
    assert caught.value.code == "catalog.unknown_procedure"
    assert _count(catalog_ready, models.Dossier) == 0


def test_fill_in_attach_validate_and_ready(service: DossierService, files: Path) -> None:
    dossier = service.create(PROCEDURE)
    dossier = service.set_fields(dossier.id, GOOD_APPLICANT)
    assert dossier.applicant.phone == "0912345678"
    assert dossier.applicant.date_of_birth == "1990-03-05"
    assert dossier.applicant.address.province == "Quảng Ngãi"
    errors = [p for p in service.validate(dossier.id) if p.severity == ERROR]
    assert [p.field for p in errors] == ["components.TP1", "components.TP2"]
    with pytest.raises(UserError) as refused:
        service.mark_ready(dossier.id)
    assert "2 lỗi" in refused.value.message()
    service.attach(dossier.id, "TP1", [write(files, "don.pdf", pdf_bytes(1))])
    dossier = service.attach(
        dossier.id,
        "TP2",
        [write(files, "bang-1.jpg", image_bytes()), write(files, "bang-2.png", image_bytes("PNG"))],
    )
    assert [(a.component_code, a.name) for a in dossier.attachments] == [
        ("TP1", "don.pdf"),
        ("TP2", "bang-1.jpg"),
        ("TP2", "bang-2.png"),
    ]
    assert [p for p in service.validate(dossier.id) if p.severity == ERROR] == []
    ready = service.mark_ready(dossier.id)
    assert ready.state == "READY"
    signed = service.transition(ready.id, "SIGNED")
    edited = service.set_fields(signed.id, {"notes": "sửa sau khi ký"})
    assert edited.state == "DRAFT"  # an edit invalidates validation and signatures
    history = [(h.from_state, h.to_state) for h in service.history(dossier.id)]
    assert history[0] == (None, "DRAFT")
    assert ("READY", "SIGNED") in history and history[-1] == ("SIGNED", "DRAFT")


def test_frozen_dossier_cannot_be_edited(
    service: DossierService, files: Path, catalog_ready: Workspace
) -> None:
    dossier = service.create(PROCEDURE)
    with catalog_ready.db.session() as session:
        row = session.get(models.Dossier, dossier.id)
        assert row is not None
        row.state = "QUEUED"
    for action in (
        lambda: service.set_fields(dossier.id, {"notes": "x"}),
        lambda: service.attach(dossier.id, "TP1", [write(files, "a.pdf", pdf_bytes(1))]),
        lambda: service.transition(dossier.id, "DRAFT"),
    ):
        with pytest.raises(UserError) as caught:
            action()
        assert caught.value.code in ("dossier.frozen", "dossier.illegal_transition")
    assert _count(catalog_ready, models.Blob) == 0
    assert service.get(dossier.id).notes == ""


def test_attach_is_all_or_nothing(
    service: DossierService, files: Path, catalog_ready: Workspace
) -> None:
    dossier = service.create(PROCEDURE)
    good = write(files, "tot.jpg", image_bytes())
    bad = write(files, "trang-web.pdf", HTML_PAGE)
    with pytest.raises(UserError) as caught:
        service.attach(dossier.id, "TP2", [good, bad])
    assert caught.value.code == "attachments.wrong_type"
    assert service.get(dossier.id).attachments == ()
    assert _count(catalog_ready, models.Blob) == 0
    assert [p for p in catalog_ready.paths.blobs.rglob("*") if p.is_file()] == []


def test_component_limits_apply_on_attach(service: DossierService, files: Path) -> None:
    dossier = service.create(PROCEDURE)
    with pytest.raises(UserError) as wrong:
        service.attach(dossier.id, "TP1", [write(files, "anh.jpg", image_bytes())])
    assert "ảnh JPEG" in wrong.value.message() and "PDF" in wrong.value.message()
    big = write(files, "lon.pdf", pdf_bytes(1) + b"%" + os.urandom(MB + 10) + b"\n%%EOF\n")
    with pytest.raises(UserError) as large:
        service.attach(dossier.id, "TP2", [big])
    assert large.value.code == "attachments.too_large"
    assert "1 MB" in large.value.message()
    with pytest.raises(UserError) as unknown:
        service.attach(dossier.id, "TP9", [big])
    assert unknown.value.code == "dossier.unknown_component"
    assert "TP1 (Đơn đề nghị)" in unknown.value.message()


def test_encrypted_pdf_is_accepted_and_an_error_until_saved_without_password(
    service: DossierService, files: Path
) -> None:
    dossier = service.create(PROCEDURE)
    dossier = service.attach(
        dossier.id, "TP1", [write(files, "khoa.pdf", pdf_bytes(1, password="x"))]
    )
    assert dossier.attachments[0].facts["encrypted"] is True
    problems = {p.code: p for p in service.validate(dossier.id)}
    # `dossier sign` cannot open it, so validation blocks it (issue #21), with the fix.
    assert problems["pdf.password"].severity == "error"


def test_detach(service: DossierService, files: Path) -> None:
    dossier = service.attach(
        service.create(PROCEDURE).id, "TP3", [write(files, "a.pdf", pdf_bytes(1))]
    )
    dossier = service.detach(dossier.id, dossier.attachments[0].id)
    assert dossier.attachments == ()
    with pytest.raises(UserError):
        service.detach(dossier.id, 12345)


def test_list_search_count(service: DossierService, files: Path) -> None:
    first = service.create(PROCEDURE)
    second = service.create(PROCEDURE)
    service.set_fields(
        first.id, {"applicant.name": "Nguyễn Văn An", "applicant.id_number": "051190001234"}
    )
    service.set_fields(second.id, {"applicant.name": "Trần Thị Bình"})
    service.attach(second.id, "TP3", [write(files, "a.pdf", pdf_bytes(1))])
    rows = service.list()
    assert [r.id for r in rows] == [second.id, first.id]  # newest change first
    assert rows[0].file_count == 1 and rows[0].procedure_name.startswith("Cấp Chứng chỉ")
    assert [r.applicant_name for r in service.list(search="Bình")] == ["Trần Thị Bình"]
    assert [r.id for r in service.list(search="051190001234")] == [first.id]
    assert [r.id for r in service.list(search=str(first.id))] == [first.id]
    assert service.count() == 2 and service.count(search="thử nghiệm") == 2
    assert service.list(state="ready") == []
    assert [r.id for r in service.list(limit=1, offset=1)] == [first.id]
    with pytest.raises(UserError):
        service.list(state="XONG")
    with pytest.raises(UserError):
        service.list(limit=0)


def test_missing_dossier(service: DossierService) -> None:
    with pytest.raises(UserError) as caught:
        service.get(999)
    assert "Không có hồ sơ số 999" in caught.value.message()


@pytest.mark.parametrize("window", [2, 3, 1000])
def test_search_pages_are_the_same_whatever_the_window(
    service: DossierService, monkeypatch: pytest.MonkeyPatch, window: int
) -> None:
    from desktop.dossier import repository

    names = ["Lê An", "Phạm Bình", "Vũ An", "Đỗ Chi", "Hồ An", "Ngô An", "Lý Bình"]
    ids = [
        service.set_fields(service.create(PROCEDURE).id, {"applicant.name": n}).id for n in names
    ]
    monkeypatch.setattr(repository, "SEARCH_WINDOW", window)
    newest_first = [i for i, n in reversed(list(zip(ids, names, strict=True))) if "An" in n]
    assert [r.id for r in service.list(search="An", limit=2)] == newest_first[:2]
    assert [r.id for r in service.list(search="An", limit=2, offset=2)] == newest_first[2:4]
    assert [r.id for r in service.list(search="Bình", limit=5)] == [ids[6], ids[1]]
    assert [r.id for r in service.list(search="An", state="READY")] == []


def test_a_pdf_stored_before_the_verdict_is_judged_at_validation(
    service: DossierService, catalog_ready: Workspace, files: Path
) -> None:
    # pdf_bytes(signed=True) carries a signature whose /Contents is no signature at all.
    dossier = service.attach(
        service.create(PROCEDURE).id, "TP3", [write(files, "da-ky.pdf", pdf_bytes(1, signed=True))]
    )
    sha = dossier.attachments[0].sha256
    with catalog_ready.db.session() as session:
        row = session.get(models.Blob, sha)
        assert row is not None
        row.facts = {k: v for k, v in row.facts.items() if k != "pdf"}  # as stored before
    problems = {p.code: p for p in service.validate(dossier.id)}
    # Not "already signed, signing again keeps it": the signature is broken, and sign
    # would refuse the file, so validation does too.
    assert problems["pdf.broken_signature"].severity == ERROR
    assert "dossier.attachment_signed" not in problems
    assert "pdf" in catalog_ready.store.info(sha).facts  # judged once, then kept
