"""Every problem of a catalog file is named by its path; JSON errors by line/column."""

from __future__ import annotations

import copy
from typing import Any

from desktop.catalog.validation import validate

NOT_AGENCY = "is neither in the file's agencies nor in the imported catalog"
NOT_FIELD = "is neither in the file's fields nor in the imported catalog"


def paths(problems: list[Any]) -> list[str]:
    return [p.message("en") for p in problems]


def test_a_valid_catalog_has_no_problem(catalog_data: dict[str, Any]) -> None:
    assert validate(catalog_data) == []


def test_a_missing_component_name_is_named_by_its_path(catalog_data: dict[str, Any]) -> None:
    for i in range(3):
        extra = copy.deepcopy(catalog_data["procedures"][0]) | {"key": f"P{i + 2}"}
        catalog_data["procedures"].append(extra)
    del catalog_data["procedures"][3]["components"][1]["name"]
    assert paths(validate(catalog_data)) == ["procedures[3].components[1].name: missing"]
    assert validate(catalog_data)[0].message("vi") == (
        "procedures[3].components[1].name: thiếu (bắt buộc phải có)"
    )


def test_schema_problems_are_all_listed_at_once(catalog_data: dict[str, Any]) -> None:
    procedure = catalog_data["procedures"][0]
    procedure["name"] = ""
    procedure["channels"][0]["kind"] = "fax"
    procedure["channels"][0]["fees"][0]["amount"] = "200.000"
    procedure["components"][0]["originals"] = -1
    procedure["compnents"] = []
    del catalog_data["agencies"][0]["name"]
    found = paths(validate(catalog_data))
    assert "agencies[0].name: missing" in found
    assert "procedures[0].name: must not be empty" in found
    assert any(f.startswith('procedures[0].channels[0].kind: invalid value "fax"') for f in found)
    assert any(f.startswith("procedures[0].channels[0].fees[0].amount: wrong type") for f in found)
    assert "procedures[0].components[0].originals: -1 must be ≥ 0" in found
    assert "procedures[0].compnents: unknown property (misspelt?)" in found
    assert len(found) == 6


def test_wrong_format_version_and_wrong_root_are_refused() -> None:
    assert paths(validate([])) == ["$: wrong type: expected đối tượng"]
    problems = paths(
        validate({"format_version": 3, "agencies": [], "fields": [], "procedures": []})
    )
    assert problems == [
        "format_version: format version 3 is not supported (only 1 and 2); update dvc-desk"
    ]
    assert validate({"format_version": 2, "agencies": [], "fields": [], "procedures": []}) == []


def test_meaning_problems_are_named_by_path(catalog_data: dict[str, Any]) -> None:
    catalog_data["agencies"].append(
        {"code": "A1", "name": "Trùng mã", "valid_from": "2025-07-01", "valid_to": "2025-06-30"}
    )
    catalog_data["agencies"].append({"code": "A2", "name": "Ngày sai", "valid_to": "2025-02-30"})
    catalog_data["agencies"].append({"code": "A3", "name": "Kế nhiệm lạ", "successor": "ZZ"})
    procedure = catalog_data["procedures"][0]
    procedure["components"][1]["code"] = "TP1"
    # Several rows of one channel are allowed (one per case or stage).
    procedure["channels"].append(dict(procedure["channels"][0]))
    catalog_data["procedures"].append(dict(procedure, agency="NOPE", field="NOFIELD"))
    found = paths(validate(catalog_data))
    assert found == [
        'agencies[1].code: "A1" duplicates agencies[0]',
        'procedures[1].key: "P1" duplicates procedures[0]',
        "agencies[1].valid_from: valid_from 2025-07-01 is after valid_to 2025-06-30",
        "agencies[2].valid_to: 2025-02-30 is not a real date (YYYY-MM-DD)",
        f"agencies[3].successor: agency ZZ {NOT_AGENCY}",
        'procedures[0].components[1].code: "TP1" duplicates procedures[0].components[0]',
        f"procedures[1].agency: agency NOPE {NOT_AGENCY}",
        f"procedures[1].field: field NOFIELD {NOT_FIELD}",
        'procedures[1].components[1].code: "TP1" duplicates procedures[1].components[0]',
    ]


def test_references_to_already_imported_agencies_and_fields_are_accepted(
    catalog_data: dict[str, Any],
) -> None:
    catalog_data["agencies"] = []
    catalog_data["fields"] = []
    assert paths(validate(catalog_data)) == [
        f"procedures[0].agency: agency A1 {NOT_AGENCY}",
        f"procedures[0].field: field F1 {NOT_FIELD}",
    ]
    assert validate(catalog_data, known_agencies={"A1"}, known_fields={"F1"}) == []


def test_a_loop_of_successors_is_refused(catalog_data: dict[str, Any]) -> None:
    catalog_data["agencies"] = [
        {"code": "A1", "name": "Một", "successor": "A2"},
        {"code": "A2", "name": "Hai", "successor": "A1"},
    ]
    assert paths(validate(catalog_data)) == [
        "agencies[0].successor: the successor chain loops: A1 → A2 → A1"
    ]
