"""The bundled catalog: valid, faithful to the facts, unknowns kept unknown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from desktop.catalog.resources import BUNDLED_CATALOG, SCHEMA_PATH
from desktop.catalog.validation import validate

# The facts the bundled catalog was built from (../shared beside the project).
FACTS = Path(__file__).resolve().parents[4] / "shared" / "data" / "catalog-facts.json"


@pytest.fixture(scope="module")
def bundled() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(BUNDLED_CATALOG.read_text(encoding="utf-8"))
    return data


def by_key(bundled: dict[str, Any], key: str) -> dict[str, Any]:
    return next(p for p in bundled["procedures"] if p["key"] == key)


def test_the_schema_is_valid_draft_2020_12() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_bundled_catalog_passes_schema_and_semantic_checks(bundled: dict[str, Any]) -> None:
    assert validate(bundled) == []
    assert len(bundled["procedures"]) == 7


def test_no_national_code_is_invented(bundled: dict[str, Any]) -> None:
    codes = {p["key"]: p["code"] for p in bundled["procedures"]}
    # The facts give one national code only (cosmetics notification, 1.002600).
    assert {k: c for k, c in codes.items() if c is not None} == {
        "SYT-MYPHAM-CONG-BO-SX-TRONG-NUOC": "1.002600"
    }
    page_ids = {p["dvcqg_page_id"] for p in bundled["procedures"]}
    assert page_ids == {None, 6361, 2734, 175941, 212227, 406962}


def test_unknown_components_stay_unknown(bundled: dict[str, Any]) -> None:
    unknown = {p["key"] for p in bundled["procedures"] if p["components"] is None}
    assert unknown == {
        "SYT-MYPHAM-CONG-BO-SX-TRONG-NUOC",
        "SYT-DUOC-GPP-DANH-GIA",
        "SYT-DUOC-GCN-DKKD-CAP-LAI",
    }
    kbcb = by_key(bundled, "SYT-KBCB-GPHN-CHUYEN-TIEP")["components"]
    # Counts the facts do not give are null, never 0 or 1.
    assert [(c["originals"], c["copies"]) for c in kbcb[2:]] == [(None, None)] * 6
    assert [c["code"] for c in kbcb] == [f"TP{i}" for i in range(1, 9)]


def test_unknown_fees_and_times_stay_unknown(bundled: dict[str, Any]) -> None:
    ke_thuoc = by_key(bundled, "SYT-DUOC-KE-THUOC-CONG-BO")
    assert {c["kind"] for c in ke_thuoc["channels"]} == {"truc_tiep", "truc_tuyen", "buu_chinh"}
    assert all(c["fees"] is None for c in ke_thuoc["channels"])
    kbcb = by_key(bundled, "SYT-KBCB-GPHN-CHUYEN-TIEP")
    assert kbcb["channels"] is None
    cchn = by_key(bundled, "SYT-DUOC-CCHN-XET-HO-SO")
    (channel,) = cchn["channels"]
    assert (channel["kind"], channel["processing_days"], channel["day_type"]) == (None, 15, None)
    assert all(p["results"] is None for p in bundled["procedures"])


def test_two_amount_fee_becomes_two_fees_with_notes(bundled: dict[str, Any]) -> None:
    gpp = by_key(bundled, "SYT-DUOC-GPP-DANH-GIA")
    for channel in gpp["channels"]:
        assert [f["amount"] for f in channel["fees"]] == [500000, 1000000]
        assert "khó khăn" in channel["fees"][0]["note"]
        assert "còn lại" in channel["fees"][1]["note"]
        assert (channel["processing_days"], channel["day_type"]) == (30, "calendar")


def test_case_dependent_processing_time_is_a_note(bundled: dict[str, Any]) -> None:
    gcn = by_key(bundled, "SYT-DUOC-GCN-DKKD-CAP-LAI")
    for channel in gcn["channels"]:
        assert channel["processing_days"] is None
        assert "20 ngày" in channel["note"] and "7 ngày" in channel["note"]


def test_agencies_model_the_2025_merger(bundled: dict[str, Any]) -> None:
    agencies = {a["code"]: a for a in bundled["agencies"]}
    assert agencies["SYT-KONTUM"]["valid_to"] == "2025-06-30"
    assert agencies["SYT-KONTUM"]["successor"] == "SYT-QUANGNGAI"
    assert agencies["SYT-QUANGNGAI"]["valid_from"] == "2025-07-01"
    assert agencies["SYT-QUANGNGAI"]["valid_to"] is None
    owners = {p["key"]: p["agency"] for p in bundled["procedures"]}
    assert owners.pop("BYT-DUOC-CCHN-CAP-LAI-THI") == "BYT"  # the facts say Bộ Y tế
    assert set(owners.values()) == {"SYT-QUANGNGAI"}  # nobody points at the dissolved one


def test_names_and_legal_bases_come_from_the_facts(bundled: dict[str, Any]) -> None:
    if not FACTS.is_file():
        pytest.skip("the shared facts file is not beside this checkout")
    facts = json.loads(FACTS.read_text(encoding="utf-8"))
    assert sorted(p["name"] for p in bundled["procedures"]) == sorted(
        p["name"] for p in facts["procedures"]
    )
    numbers = {b["number"] for p in bundled["procedures"] for b in p["legal_basis"] or []}
    assert numbers == {
        "105/2016/QH13",
        "54/2017/NĐ-CP",
        "07/2018/TT-BYT",
        "15/2023/QH15",
        "96/2023/NĐ-CP",
    }
