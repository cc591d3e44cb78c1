from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.dossier.address_resolve import ASK, EXACT, UNKNOWN, resolve

DATA = Path(__file__).parents[2] / "data"
SAMPLED = json.loads((DATA / "old-addresses.json").read_text(encoding="utf-8"))["cases"]
CLERK = json.loads((DATA / "old-addresses-clerk.json").read_text(encoding="utf-8"))["cases"]


def test_the_sampled_set_covers_every_former_province_full_and_partial() -> None:
    assert len(SAMPLED) >= 200
    assert {c["type"] for c in SAMPLED} == {"full", "partial"}
    from desktop.dossier.admin_units import units

    provinces = {units().old_unit(c["old_code"]).old_province_code for c in SAMPLED}  # type: ignore[union-attr]
    assert len(provinces) == 63


@pytest.mark.parametrize("case", SAMPLED, ids=lambda c: c["text"])
def test_sampled_old_addresses_resolve_or_ask_never_guess(case: dict[str, object]) -> None:
    answer = resolve(str(case["text"]))
    expected = case["expect"]
    assert isinstance(expected, list)
    if answer.status == EXACT:
        assert answer.commune is not None
        assert [answer.commune.code] == expected, answer.message()
    else:
        assert answer.status == ASK, answer.message()
        assert set(expected) <= {c.code for c in answer.candidates}
    if case["type"] == "partial":
        assert answer.status == ASK, "a split commune is never decided without the clerk"


@pytest.mark.parametrize("case", CLERK, ids=lambda c: c["text"])
def test_addresses_as_clerks_type_them(case: dict[str, object]) -> None:
    answer = resolve(str(case["text"]))
    if "exact" in case:
        assert answer.status == EXACT, answer.message()
        assert answer.commune is not None and answer.commune.code == case["exact"]
    else:
        assert answer.status == ASK, answer.message()
        assert set(case["ask"]) <= {c.code for c in answer.candidates}  # type: ignore[arg-type]


def test_the_issue_example_gives_the_new_unit_and_says_why() -> None:
    answer = resolve("xã Đăk Pxi, huyện Đăk Hà, tỉnh Kon Tum")
    assert answer.status == EXACT
    assert answer.commune is not None
    assert (answer.commune.code, answer.commune.full_name) == ("23504", "Xã Đăk Pxi")
    assert answer.province is not None and answer.province.code == "51"
    assert answer.message() == (
        "Xã Đắk PXi (Tỉnh Kon Tum cũ) đã nhập vào Xã Đăk Pxi, Quảng Ngãi từ 01/7/2025."
    )
    assert "became part of" in answer.message("en")


def test_a_split_commune_offers_its_new_units_with_a_sentence() -> None:
    answer = resolve("Thôn 2, phường Ngọc Hà, quận Ba Đình, Hà Nội")
    assert answer.status == ASK
    assert [c.full_name for c in answer.candidates] == ["Phường Ba Đình", "Phường Ngọc Hà"]
    assert "đã được chia cho 2 đơn vị mới" in answer.message()
    assert "hãy hỏi người nộp" in answer.message()
    assert answer.detail == "Thôn 2"


def test_same_name_in_other_merged_provinces_asks() -> None:
    answer = resolve("Xã Tân Lập, tỉnh Phú Thọ")
    assert answer.status == ASK
    assert len(answer.old) >= 2
    assert "cùng tên «Xã Tân Lập»" in answer.message()


def test_a_current_address_resolves_as_itself() -> None:
    answer = resolve("12 Lê Lợi, P. Cẩm Thành, Quảng Ngãi")
    assert answer.status == EXACT
    assert answer.commune is not None and answer.commune.code == "21025"
    assert answer.detail == "12 Lê Lợi"


def test_nothing_is_guessed_for_unknown_places() -> None:
    assert resolve("Xã Xứ Sở, tỉnh Kon Tum").status == UNKNOWN
    assert resolve("Xứ Sở, Atlantis").status == UNKNOWN
    assert resolve("tỉnh Kon Tum").status == UNKNOWN
    no_province = resolve("xa dak pxi")
    assert no_province.status == ASK and no_province.commune is None
    assert "Không nhận ra tỉnh" in no_province.message()


def test_names_that_differ_only_by_diacritics_are_told_apart_or_asked() -> None:
    lang = resolve("Xã Văn Lăng, Thái Nguyên")
    assert lang.status == EXACT and lang.commune is not None
    assert lang.commune.name == "Văn Lăng"
    plain = resolve("xa van lang, thai nguyen")
    assert plain.status == ASK
    assert [c.name for c in plain.candidates] == ["Văn Lang", "Văn Lăng"]
    assert "khác dấu" in plain.message()
