"""Import: all or nothing, upsert per procedure key, index rebuilt in the same transaction."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from desktop.catalog import loader, search
from desktop.catalog.service import CatalogService
from desktop.errors import UserError
from desktop.events import CatalogImported
from desktop.storage import models as orm
from desktop.workspace import Workspace


def table_counts(workspace: Workspace) -> dict[str, int]:
    with workspace.db.session() as session:
        counts = {
            table.__tablename__: session.scalar(select(func.count()).select_from(table))
            for table in (
                orm.Agency,
                orm.Field,
                orm.Procedure,
                orm.ProcedureComponent,
                orm.ProcedureEdition,
                orm.CatalogImport,
            )
        }
        counts["procedure_search"] = session.scalar(text("SELECT count(*) FROM procedure_search"))
    return {k: int(v or 0) for k, v in counts.items()}


def test_import_adds_procedures_beside_the_bundled_ones(
    workspace: Workspace,
    service: CatalogService,
    catalog_data: dict[str, Any],
    write_catalog: Callable[[Any], Path],
) -> None:
    seen: list[CatalogImported] = []
    workspace.events.subscribe(CatalogImported, seen.append)
    bundled = service.count()
    report = service.import_file(write_catalog(catalog_data))
    assert (report.procedures, report.added, report.updated, report.indexed) == (1, 1, 0, 1)
    assert report.catalog_version == "test-1"
    assert service.count() == bundled + 1
    assert seen == [CatalogImported(procedures=1, changed=1, changed_keys=("P1",))]
    procedure = service.get("P1")
    assert [c.code for c in procedure.components] == ["TP1", "TP2"]
    assert procedure.components[0].originals == 1
    assert procedure.components[1].originals is None  # absent = unknown, not 0
    assert [s.key for s in service.search("giay phep thu nghiem")] == ["P1"]
    with workspace.db.session() as session:
        imports = session.scalars(select(orm.CatalogImport).order_by(orm.CatalogImport.id)).all()
        assert [i.catalog_version for i in imports] == ["so-y-te-2026.11", "test-1"]
        assert imports[-1].sha256 == report.sha256 and imports[-1].procedures == 1


def test_reimport_replaces_a_procedure_and_its_components_and_keeps_the_others(
    workspace: Workspace,
    service: CatalogService,
    catalog_data: dict[str, Any],
    write_catalog: Callable[[Any], Path],
) -> None:
    service.import_file(write_catalog(catalog_data))
    before = table_counts(workspace)
    procedure = catalog_data["procedures"][0]
    procedure["name"] = "Gia hạn giấy phép thử nghiệm"
    procedure["components"] = [{"code": "TP9", "name": "Tờ khai mới", "required": True}]
    report = service.import_file(write_catalog(catalog_data))
    assert (report.added, report.updated) == (0, 1)
    after = table_counts(workspace)
    assert after["procedures"] == before["procedures"]
    # A new edition (the old one stays for the dossiers created under it).
    assert after["procedure_editions"] == before["procedure_editions"] + 1
    assert after["procedure_search"] == before["procedure_search"]  # one row per procedure
    assert [c.code for c in service.get("P1").components] == ["TP9"]
    assert service.search("gia han giay phep thu")[0].key == "P1"
    # The old name is no longer indexed ("cấp" was only in it).
    assert "P1" not in [s.key for s in service.search("cap giay")]
    # The bundled procedures were not in the file and stay.
    assert service.get("SYT-DUOC-CCHN-XET-HO-SO").name.startswith("Cấp Chứng chỉ")


def test_an_invalid_file_imports_nothing(
    workspace: Workspace,
    service: CatalogService,
    catalog_data: dict[str, Any],
    write_catalog: Callable[[Any], Path],
) -> None:
    before = table_counts(workspace)
    catalog_data["procedures"].append(
        dict(catalog_data["procedures"][0], key="P2", field="NOFIELD")
    )
    with pytest.raises(UserError) as caught:
        service.import_file(write_catalog(catalog_data))
    assert caught.value.code == "catalog.invalid"
    assert "procedures[1].field" in caught.value.message()
    assert "KHÔNG có gì được nhập" in caught.value.message()
    assert caught.value.params["count"] == 1
    assert [i["path"] for i in caught.value.params["items"]] == ["procedures[1].field"]
    assert table_counts(workspace) == before


def test_a_failure_while_writing_rolls_everything_back(
    workspace: Workspace,
    service: CatalogService,
    catalog_data: dict[str, Any],
    write_catalog: Callable[[Any], Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = table_counts(workspace)

    def broken_index(*_args: Any, **_kwargs: Any) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(search, "replace_rows", broken_index)
    with pytest.raises(OSError, match="No space"):
        loader.import_catalog(workspace.db, write_catalog(catalog_data))
    assert table_counts(workspace) == before


def test_the_merger_is_kept_as_two_dated_agencies(service: CatalogService) -> None:
    old = next(a for a in service.agencies() if a.code == "SYT-KONTUM")
    assert old.name == "Sở Y tế tỉnh Kon Tum"
    assert str(old.valid_to) == "2025-06-30"
    assert old.successor_code == "SYT-QUANGNGAI"
