"""`catalog import --format dvcqg`: the portal's own records, verbatim from shared/data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop.catalog.problems import MAX_PROBLEMS
from desktop.catalog.service import CatalogService
from desktop.errors import UserError
from desktop.storage import models as orm
from desktop.workspace import Workspace

from .portal_records import SHARED_RECORDS as RECORDS
from .portal_records import copy_records


def editions(workspace: Workspace) -> int:
    with workspace.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(orm.ProcedureEdition)) or 0)


@pytest.fixture
def imported(service: CatalogService) -> CatalogService:
    report = service.import_file(RECORDS, "dvcqg")
    assert (report.procedures, report.added, report.updated) == (20, 20, 0)
    return service


def test_every_shared_record_imports_with_what_a_clerk_needs(imported: CatalogService) -> None:
    residence = imported.get("1.010038")  # Tách hộ
    assert residence.name == "Tách hộ"
    assert residence.levels == ("xa",)
    assert residence.agency.code == "BCA_CAX"
    assert residence.field.code == "G01-CA05"
    direct = next(c for c in residence.channels if c.kind == "truc_tiep")
    amounts = [(f.amount, f.kind) for f in direct.fees]
    assert (10000, "le_phi") in amounts
    assert direct.time is not None and (direct.time.value, direct.time.unit) == (5, "working_day")
    online = next(c for c in residence.channels if c.kind == "truc_tuyen")
    assert any(f.amount == 5000 for f in online.fees)
    assert [c.code for c in residence.cases] == ["TH1", "TH2"]
    assert residence.component("000.00.00.G01-KQ003625") is not None
    note = residence.component("000.00.00.G01-KQ002868")
    assert note is not None and note.kind == "note"  # the "*Lưu ý:" row
    form = residence.component("000.00.00.G01-KQ003625")
    assert form is not None and form.templates and form.required is None
    assert residence.legal_basis and residence.subject_types
    assert residence.steps and residence.result_details[0].code

    business = imported.get("1.001612")  # hộ kinh doanh: base list + one of four cases
    assert [c.code for c in business.cases] == ["TH0", "TH1", "TH2", "TH3", "TH4"]
    base = {c.code for c in business.checklist("TH0")}
    assert base == {"TP-G12.0001000000069", "000.00.00.G12-464235"}
    assert base < {c.code for c in business.checklist("TH2")}
    assert business.returning_methods

    telecom = imported.get("1.013888")  # processingTimeUnit OTHER: no real duration
    assert all(c.time is not None and c.time.unit == "text" for c in telecom.channels)
    council = imported.get("1.001612").channels[0].fees[0]
    assert council.amount is None and council.description  # "do HĐND tỉnh quyết định"
    assert imported.get("1.002051").levels == ("bo", "tinh", "xa")
    assert isinstance(imported.get("3.000272").dvcqg_page_id, str)  # a UUID


def test_fees_are_in_dong_not_the_portals_currency_id(imported: CatalogService) -> None:
    """The portal's currencyId is an internal UUID; its currencyName says Việt Nam Đồng."""
    residence = imported.get("1.010038")
    currencies = {f.currency for c in residence.channels for f in c.fees}
    assert currencies == {"VND"}
    assert all(
        f.currency == "VND"
        for key in ("1.010039", "1.014911")
        for c in imported.get(key).channels
        for f in c.fees
    )


def test_unclear_components_make_the_procedure_page_say_so(imported: CatalogService) -> None:
    reasons = imported.get("1.003440").incomplete()
    assert any("cần kiểm tra" in r for r in reasons)


def test_the_same_records_again_change_nothing(
    workspace: Workspace, imported: CatalogService
) -> None:
    before = editions(workspace)
    report = imported.import_file(RECORDS, "dvcqg")
    assert (report.added, report.updated, report.unchanged) == (0, 0, 20)
    assert editions(workspace) == before


def test_a_changed_record_is_a_new_edition_with_its_provenance(
    workspace: Workspace, imported: CatalogService, tmp_path: Path
) -> None:
    folder = copy_records(tmp_path / "portal")
    path = folder / "1.003440.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    del record["executionCases"][0]["profileComponents"][0]
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    report = imported.import_file(folder, "dvcqg")
    assert (report.added, report.updated, report.unchanged) == (0, 1, 19)
    assert report.changed_keys == ("1.003440",)
    current = imported.get("1.003440")
    assert current.edition is not None and current.edition.number == 2
    assert current.edition.source_format == "dvcqg"
    import hashlib

    assert current.edition.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert len(current.components) == 4
    first = imported.edition("1.003440", 1)
    assert len(first.components) == 5  # the old edition is kept as it was


def broken(record: dict[str, Any]) -> dict[str, Any]:
    record = dict(record)
    record["executionMethods"] = [{"submissionMethod": "FAX", "processingTime": "ba", "fees": []}]
    del record["name"]
    return record


def test_every_problem_of_every_record_is_listed_and_nothing_is_written(
    workspace: Workspace, service: CatalogService, tmp_path: Path
) -> None:
    folder = copy_records(tmp_path / "portal")
    for name in ("1.003440.json", "3.000365.json"):
        path = folder / name
        path.write_text(json.dumps(broken(json.loads(path.read_text("utf-8")))), "utf-8")
    (folder / "9.999999.json").write_text("{ not json", encoding="utf-8")
    before = service.count()
    with pytest.raises(UserError) as caught:
        service.import_file(folder, "dvcqg")
    paths = [item["path"] for item in caught.value.params["items"]]
    for name in ("1.003440.json", "3.000365.json"):
        assert f"{name}: name" in paths
        assert f"{name}: executionMethods[0].submissionMethod" in paths
        assert f"{name}: executionMethods[0].processingTime" in paths
    assert "9.999999.json" in paths
    assert caught.value.code == "catalog.invalid"
    assert service.count() == before
    assert editions(workspace) == before  # the bundled procedures' only


def test_what_the_fast_parser_refuses_gets_the_same_words_and_a_bom_is_read(
    service: CatalogService, tmp_path: Path
) -> None:
    """Records are parsed from their bytes (orjson); a byte-order mark, bytes that are
    not UTF-8, broken JSON and what only the standard library reads (NaN) keep their
    behaviour and their Vietnamese messages."""
    folder = tmp_path / "portal"
    folder.mkdir()
    record = json.loads((RECORDS / "1.003440.json").read_text("utf-8"))
    (folder / "1.003440.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(record).encode())
    (folder / "8.000001.json").write_bytes(b'{"code": "8.000001", "name": "\xff\xfe"}')
    (folder / "8.000002.json").write_text('{"code": "8.000002",\n "name": }', "utf-8")
    with pytest.raises(UserError) as caught:
        service.import_file(folder, "dvcqg")
    messages = {i["path"]: i["message"] for i in caught.value.params["items"]}
    assert sorted(messages) == ["8.000001.json", "8.000002.json"]
    assert "không phải UTF-8 (byte 30)" in messages["8.000001.json"]
    assert "JSON sai ở dòng 2, cột 10" in messages["8.000002.json"]
    for name in ("8.000001.json", "8.000002.json"):
        (folder / name).unlink()
    (folder / "8.000003.json").write_text(
        json.dumps({**record, "code": "8.000003", "id": "x"}).replace('"x"', "NaN"), "utf-8"
    )
    report = service.import_file(folder, "dvcqg")
    assert (report.added, report.procedures) == (2, 2)


def test_problems_past_the_cap_are_counted_not_kept(
    service: CatalogService, tmp_path: Path
) -> None:
    bad = [
        {"code": f"9.{n:06d}", "executionMethods": [], "executionCases": []} for n in range(1200)
    ]
    path = tmp_path / "many.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(UserError) as caught:
        service.import_file(path, "dvcqg")
    assert len(caught.value.params["items"]) == MAX_PROBLEMS
    assert caught.value.params["more"] == 200
    assert caught.value.params["count"] == 1200
    assert "… (+1150)" in caught.value.message()


def test_an_empty_folder_is_refused(service: CatalogService, tmp_path: Path) -> None:
    with pytest.raises(UserError) as caught:
        service.import_file(tmp_path, "dvcqg")
    assert caught.value.code == "catalog.no_records"


def test_the_cli_imports_the_portal_format(run_cli: Any) -> None:
    result = run_cli("catalog", "import", "--format", "dvcqg", str(RECORDS), "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["added"] == 20
    shown = run_cli("catalog", "show", "1.001612")
    assert "Trường hợp" in shown.out and "cần kiểm tra" in shown.out


def test_the_cli_lists_editions_and_filters_by_level(run_cli: Any, tmp_path: Path) -> None:
    assert run_cli("catalog", "import", "--format", "dvcqg", str(RECORDS)).code == 0
    editions_out = json.loads(run_cli("catalog", "editions", "1.010038", "--json").out)
    assert [e["number"] for e in editions_out] == [1]
    assert editions_out[0]["source_format"] == "dvcqg" and len(editions_out[0]["sha256"]) == 64
    found = json.loads(run_cli("catalog", "search", "", "--level", "bo", "--json").out)
    assert found and all("bo" in row["levels"] for row in found)
    refused = run_cli("catalog", "search", "x", "--level", "huyen")
    assert refused.code == 2
