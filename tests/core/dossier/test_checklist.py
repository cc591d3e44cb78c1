"""The honest checklist, cases and editions, on the portal's real records (shared/data)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from attachments.samples import pdf_bytes, write

from desktop.dossier import checklist
from desktop.dossier.model import ERROR
from desktop.dossier.service import DossierService
from desktop.errors import UserError
from desktop.workspace import Workspace

from .conftest import GOOD_APPLICANT

RECORDS = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "portal-procedures"
PLAN = "1.003440"  # 5 components, the portal says nothing about which are required
RESIDENCE = "1.010038"  # Tách hộ: two cases and a "*Lưu ý:" row


@pytest.fixture
def portal(workspace: Workspace) -> DossierService:
    workspace.catalog.import_file(RECORDS, "dvcqg")
    return workspace.dossiers


def errors(service: DossierService, dossier_id: int) -> list[tuple[str, str]]:
    return [(p.code, p.field) for p in service.validate(dossier_id) if p.severity == ERROR]


def test_an_empty_dossier_of_a_portal_record_cannot_be_ready(
    portal: DossierService, files: Path
) -> None:
    dossier = portal.create(PLAN)
    portal.set_fields(dossier.id, GOOD_APPLICANT)
    unclear = [e for e in errors(portal, dossier.id) if e[0] == checklist.COMPONENT_UNCLEAR]
    assert len(unclear) == 4  # the fifth says "(nếu có)": known to be optional
    with pytest.raises(UserError) as caught:
        portal.mark_ready(dossier.id)
    assert "cần kiểm tra" in caught.value.message()
    statuses = {i.spec.code: i.status for i in portal.checklist_items(dossier.id)}
    assert statuses["000.00.00.G10-KQ2146"] == checklist.OPTIONAL
    assert list(statuses.values()).count(checklist.UNCLEAR) == 4


def test_each_unclear_component_needs_a_file_or_a_recorded_not_applicable(
    portal: DossierService, files: Path
) -> None:
    dossier = portal.create(PLAN)
    portal.set_fields(dossier.id, GOOD_APPLICANT)
    codes = [i.spec.code for i in portal.checklist_items(dossier.id) if i.status == "unclear"]
    portal.attach(dossier.id, codes[0], [write(files, "to-trinh.pdf", pdf_bytes(1))])
    portal.attach(dossier.id, codes[1], [write(files, "du-thao.pdf", pdf_bytes(1))])
    portal.mark_not_applicable(dossier.id, codes[2], by="Nguyễn Văn Cán Bộ", reason="xã không có")
    assert len(errors(portal, dossier.id)) == 1
    portal.mark_not_applicable(dossier.id, codes[3])  # the OS account by default
    marked = portal.get(dossier.id).mark_of(codes[2])
    assert marked is not None and marked.marked_by == "Nguyễn Văn Cán Bộ"
    assert marked.reason == "xã không có" and marked.marked_at is not None
    assert portal.get(dossier.id).mark_of(codes[3]).marked_by  # type: ignore[union-attr]
    assert errors(portal, dossier.id) == []
    assert portal.mark_ready(dossier.id).state == "READY"
    notes = [h.note for h in portal.history(dossier.id)]
    assert any("không áp dụng cho hồ sơ này (Nguyễn Văn Cán Bộ)" in n for n in notes)


def test_a_mark_is_refused_on_a_component_with_files_and_goes_when_a_file_comes(
    portal: DossierService, files: Path
) -> None:
    dossier = portal.create(PLAN)
    code = portal.checklist_items(dossier.id)[0].spec.code
    portal.mark_not_applicable(dossier.id, code)
    portal.attach(dossier.id, code, [write(files, "a.pdf", pdf_bytes(1))])
    assert portal.get(dossier.id).mark_of(code) is None
    with pytest.raises(UserError) as caught:
        portal.mark_not_applicable(dossier.id, code)
    assert caught.value.code == "dossier.mark_has_files"


def test_a_required_component_cannot_be_marked_not_applicable(
    workspace: Workspace, files: Path
) -> None:
    service = workspace.dossiers
    dossier = service.create("SYT-DUOC-CCHN-XET-HO-SO")  # bundled: TP1 required
    with pytest.raises(UserError) as caught:
        service.mark_not_applicable(dossier.id, "TP1")
    assert caught.value.code == "dossier.mark_required"


def test_a_procedure_with_cases_asks_for_the_case_and_lists_its_components(
    portal: DossierService, files: Path
) -> None:
    dossier = portal.create(RESIDENCE)
    portal.set_fields(dossier.id, GOOD_APPLICANT)
    assert errors(portal, dossier.id)[0] == (checklist.CASE_MISSING, "case")
    with pytest.raises(UserError) as caught:
        portal.create(RESIDENCE, case="TH9")
    assert caught.value.code == checklist.CASE_UNKNOWN
    assert "TH1" in caught.value.message() and "TH2" in caught.value.message()
    chosen = portal.create(RESIDENCE, case="th2")
    assert chosen.case_code == "TH2"
    listed = [i.spec.code for i in portal.checklist_items(chosen.id)]
    assert listed == ["000.00.00.G01-KQ002868", "000.00.00.G01-KQ003624"]
    other = portal.set_case(dossier.id, "TH1")
    assert [i.spec.code for i in portal.checklist_items(other.id)] == [
        "000.00.00.G01-KQ002868",
        "000.00.00.G01-KQ003625",
        "000.00.00.G01-KQ003626",
    ]
    portal.attach(other.id, "000.00.00.G01-KQ003626", [write(files, "ly-hon.pdf", pdf_bytes(1))])
    with pytest.raises(UserError) as refused:
        portal.set_case(other.id, "TH2")
    assert refused.value.code == "dossier.case_has_files"
    with pytest.raises(UserError) as note:
        portal.attach(other.id, "000.00.00.G01-KQ002868", [write(files, "x.pdf", pdf_bytes(1))])
    assert note.value.code == "dossier.component_is_note"


def test_dossier_new_case_through_the_cli(run_cli: Any) -> None:
    assert run_cli("catalog", "import", "--format", "dvcqg", str(RECORDS)).code == 0
    made = run_cli("dossier", "new", "--procedure", RESIDENCE, "--case", "TH1", "--json")
    assert made.code == 0, made.err
    dossier_id = json.loads(made.out)["id"]
    shown = run_cli("dossier", "show", str(dossier_id))
    assert "TH1" in shown.out and "cần kiểm tra" in shown.out
    marked = run_cli("dossier", "not-applicable", str(dossier_id), "000.00.00.G01-KQ003626")
    assert marked.code == 0, marked.err
    assert "không áp dụng cho hồ sơ này" in run_cli("dossier", "show", str(dossier_id)).out


# ------------------------------------------------------------------ editions


NATIVE: dict[str, Any] = {
    "format_version": 2,
    "agencies": [{"code": "A1", "name": "Sở Thử nghiệm"}],
    "fields": [{"code": "F1", "name": "Lĩnh vực thử"}],
    "procedures": [
        {
            "key": "P1",
            "name": "Cấp giấy phép thử nghiệm",
            "agency": "A1",
            "field": "F1",
            "components": [
                {"code": "TP1", "name": "Đơn đề nghị", "required": True},
                {"code": "TP2", "name": "Bản sao giấy tờ tùy thân", "required": True},
                {"code": "TP3", "name": "Ảnh 4x6", "required": True},
            ],
        }
    ],
}


def test_a_new_edition_moves_no_file_and_shows_what_changed(
    workspace: Workspace, files: Path, tmp_path: Path
) -> None:
    """The bug seen with real data: components re-inserted by position moved a READY
    dossier's application form under "Ảnh", and it still validated."""
    first = tmp_path / "v1.json"
    first.write_text(json.dumps(NATIVE, ensure_ascii=False), encoding="utf-8")
    workspace.catalog.import_file(first)
    service = workspace.dossiers
    dossier = service.create("P1")
    service.set_fields(dossier.id, GOOD_APPLICANT)
    service.attach(dossier.id, "TP1", [write(files, "don.pdf", pdf_bytes(1))])
    service.attach(dossier.id, "TP2", [write(files, "cccd.pdf", pdf_bytes(1))])
    service.attach(dossier.id, "TP3", [write(files, "anh.pdf", pdf_bytes(1))])
    service.mark_ready(dossier.id)
    # Edition 2 drops the form; the positional codes shift (TP2 is now the photo).
    second = copy.deepcopy(NATIVE)
    second["procedures"][0]["components"] = [
        {"code": "TP1", "name": "Bản sao giấy tờ tùy thân", "required": True},
        {"code": "TP2", "name": "Ảnh 4x6", "required": True},
    ]
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(second, ensure_ascii=False), encoding="utf-8")
    assert workspace.catalog.import_file(path).updated == 1
    items = {
        i.spec.code: (i.spec.name, [f.name for f in i.files])
        for i in service.checklist_items(dossier.id)
    }
    assert items["TP1"] == ("Đơn đề nghị", ["don.pdf"])
    assert items["TP3"] == ("Ảnh 4x6", ["anh.pdf"])
    assert service.get(dossier.id).state == "READY"
    assert errors(service, dossier.id) == []
    newer = service.newer_edition(dossier.id)
    assert newer is not None and newer.current == 2
    assert [c.code for c in newer.diff.removed] == ["TP3"]
    assert [new.name for _old, new in newer.diff.changed] == ["Bản sao giấy tờ tùy thân", "Ảnh 4x6"]
    assert any(line.startswith("- bỏ thành phần TP3") for line in newer.diff.lines())
    # A dossier created now is under edition 2.
    fresh = service.create("P1")
    assert fresh.procedure_edition == 2 and service.newer_edition(fresh.id) is None
    # The same file again: no edition 3, the dossier's banner unchanged.
    assert workspace.catalog.import_file(path).unchanged == 1
    assert service.newer_edition(dossier.id).current == 2  # type: ignore[union-attr]
