"""Search over the bundled catalog: what a clerk types finds the right procedure first."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop.catalog.folding import fold
from desktop.catalog.query import match_expressions, query_words, relaxed_expression
from desktop.catalog.service import CatalogService
from desktop.errors import UserError

CCHN = "SYT-DUOC-CCHN-XET-HO-SO"  # Cấp Chứng chỉ hành nghề dược theo hình thức xét hồ sơ


def keys(service: CatalogService, text: str, **kwargs: Any) -> list[str]:
    return [s.key for s in service.search(text, **kwargs)]


@pytest.mark.parametrize(
    "query",
    [
        "chung chi hanh nghe duoc",
        "Chứng chỉ hành nghề dược",
        "CCHN dược",
        "cchn duoc",
        "CCHN",
        "cap chung chi hanh nghe duoc",
        "cấp cchn",
        "CHUNG CHI HANH NGHE DUOC",
    ],
)
def test_what_clerks_type_finds_the_pharmacist_certificate_first(
    service: CatalogService, query: str
) -> None:
    found = keys(service, query)
    assert found[0] == CCHN
    assert "BYT-DUOC-CCHN-CAP-LAI-THI" in found  # "Cấp lại …" is found too, after it


@pytest.mark.parametrize(
    ("typed", "expected_first"),
    [
        ("cap c", CCHN),
        ("cap chu", CCHN),
        ("cap chung chi hanh nghe d", CCHN),
        ("cap la", "BYT-DUOC-CCHN-CAP-LAI-THI"),
        ("danh gia", "SYT-DUOC-GPP-DANH-GIA"),
        ("danh g", "SYT-DUOC-GPP-DANH-GIA"),
        ("cong bo", "SYT-DUOC-KE-THUOC-CONG-BO"),
        ("my ph", "SYT-MYPHAM-CONG-BO-SX-TRONG-NUOC"),
        ("ke thu", "SYT-DUOC-KE-THUOC-CONG-BO"),
    ],
)
def test_results_appear_while_typing(
    service: CatalogService, typed: str, expected_first: str
) -> None:
    assert keys(service, typed)[0] == expected_first


@pytest.mark.parametrize("typed", ["c", "ca", "d", "đ", "co"])
def test_names_starting_with_what_is_typed_come_first(service: CatalogService, typed: str) -> None:
    starts = [fold(s.name).startswith(fold(typed)) for s in service.search(typed)]
    assert starts[0]
    assert starts == sorted(starts, reverse=True)


def test_every_word_may_be_a_prefix(service: CatalogService) -> None:
    assert keys(service, "ch ch ha ng du")[0] == CCHN


def test_name_start_ranks_before_a_match_inside_the_name(service: CatalogService) -> None:
    found = keys(service, "cong bo")
    # "Công bố cơ sở…" starts with the words; "Cấp số tiếp nhận Phiếu công bố…" has them inside.
    assert found.index("SYT-DUOC-KE-THUOC-CONG-BO") < found.index(
        "SYT-MYPHAM-CONG-BO-SX-TRONG-NUOC"
    )


def test_abbreviations_in_names_are_found_by_full_words_and_by_d(service: CatalogService) -> None:
    assert (
        keys(service, "giay chung nhan du dieu kien kinh doanh")[0] == "SYT-DUOC-GCN-DKKD-CAP-LAI"
    )
    assert keys(service, "GCN ĐKKD")[0] == "SYT-DUOC-GCN-DKKD-CAP-LAI"
    assert keys(service, "gcn dkkd duoc")[0] == "SYT-DUOC-GCN-DKKD-CAP-LAI"
    assert keys(service, "kham benh chua benh")[0] == "SYT-KBCB-GPHN-CHUYEN-TIEP"


def test_national_code_and_field_are_searchable(service: CatalogService) -> None:
    assert keys(service, "1.002600") == ["SYT-MYPHAM-CONG-BO-SX-TRONG-NUOC"]
    assert "SYT-MYPHAM-CONG-BO-SX-TRONG-NUOC" in keys(service, "my pham")


def test_nothing_matches_an_unknown_word(service: CatalogService) -> None:
    assert service.search("xyzzy") == []
    assert service.search("xyzzy chung") == []


def test_a_word_nothing_has_is_left_out_only_when_nothing_matches(
    service: CatalogService,
) -> None:
    # A typo in a longer query: the rest still finds the procedure (a fallback).
    assert keys(service, "chung chi hanh ngeh duoc")[0] == CCHN
    # Words around a name ("làm", "xin", "giấy") are dropped only in that fallback.
    assert keys(service, "xin cchn duoc")[0] == CCHN


def test_empty_query_lists_everything_by_name(service: CatalogService) -> None:
    found = service.search("")
    assert len(found) == service.count() == 7
    names = [s.name for s in found]
    # Folded order: "Cấp Chứng…" < "Cấp lại…" < … < "Công bố…" < "Đánh giá…" (Đ sorts as D).
    assert names[0].startswith("Cấp Chứng chỉ")
    assert names[-1].startswith("Đánh giá")
    assert service.search("   ") == found
    assert len(service.search("", limit=3)) == 3


@pytest.mark.parametrize(
    "hostile",
    [
        '"',
        '"cchn',
        "cchn*",
        "*",
        "name:cchn",
        "initials : cchn",
        "(cchn",
        "cchn)",
        "cchn AND",
        "OR",
        "NOT duoc",
        "NEAR(cchn duoc)",
        "cchn + duoc",
        "^cchn",
        "{name}: x",
        "-duoc",
        "'; DROP TABLE procedures; --",
        "\x00",
        "a" * 5000,
        "x " * 500,
    ],
)
def test_fts_syntax_in_user_text_never_breaks_search(service: CatalogService, hostile: str) -> None:
    found = service.search(hostile)  # must not raise
    words = query_words(hostile)
    if {"cchn", "duoc"} & set(words) and not {"and", "or", "not", "near", "name", "initials"} & set(
        words
    ):
        assert CCHN in [s.key for s in found]
    assert service.count() == 7


def test_operators_are_searched_as_words(service: CatalogService) -> None:
    # "NOT duoc" is the words "not" and "duoc", not "everything but duoc".
    assert service.search("NOT duoc") == []
    words = query_words('a" OR name:* (b) NOT c')
    for expression in [*match_expressions(words), relaxed_expression(words) or ""]:
        # OR only ever joins this module's own parenthesised groups; NOT never appears.
        assert " OR " not in expression.replace(") OR (", "")
        assert "NOT" not in expression


def test_filter_by_field(service: CatalogService) -> None:
    assert keys(service, "", field="MY-PHAM") == ["SYT-MYPHAM-CONG-BO-SX-TRONG-NUOC"]
    assert keys(service, "cong bo", field="DUOC") == ["SYT-DUOC-KE-THUOC-CONG-BO"]
    with pytest.raises(UserError) as caught:
        service.search("", field="NOPE")
    assert caught.value.code == "catalog.unknown_field"


def test_filter_by_agency_follows_the_merger_both_ways(service: CatalogService) -> None:
    current = keys(service, "", agency="SYT-QUANGNGAI")
    assert len(current) == 6 and "BYT-DUOC-CCHN-CAP-LAI-THI" not in current
    # The old Kon Tum code still finds the work its successor does now.
    assert keys(service, "", agency="SYT-KONTUM") == current
    assert keys(service, "cchn", agency="SYT-KONTUM") == [CCHN]
    assert keys(service, "", agency="BYT") == ["BYT-DUOC-CCHN-CAP-LAI-THI"]
    with pytest.raises(UserError) as caught:
        service.search("", agency="SYT-HANOI")
    assert caught.value.code == "catalog.unknown_agency"
    assert "dvc-desk catalog agencies" in caught.value.message()


def test_agency_filter_finds_procedures_still_filed_under_the_old_code(
    service: CatalogService, catalog_data: dict[str, Any], write_catalog: Callable[[Any], Path]
) -> None:
    catalog_data["agencies"] = []
    catalog_data["fields"] = []
    catalog_data["procedures"][0].update(agency="SYT-KONTUM", field="DUOC")
    service.import_file(write_catalog(catalog_data))
    assert "P1" in keys(service, "", agency="SYT-QUANGNGAI")
    assert "P1" in keys(service, "", agency="SYT-KONTUM")
    assert "P1" not in keys(service, "", agency="BYT")


def test_summaries_carry_agency_field_fee_and_time(service: CatalogService) -> None:
    (gpp,) = service.search("gpp")
    assert (gpp.agency_name, gpp.field_name) == ("Sở Y tế tỉnh Quảng Ngãi", "Dược phẩm")
    assert gpp.fee_summary == "500.000 – 1.000.000 đ"
    assert gpp.processing_summary == "30 ngày"
    first = service.search("cchn duoc")[0]
    assert (first.fee_summary, first.processing_summary) == ("500.000 đ", "15 ngày")
    (gcn,) = service.search("gcn dkkd")
    assert (gcn.fee_summary, gcn.processing_summary) == ("Không rõ", "Tuỳ trường hợp")


def test_decomposed_and_upper_case_input_finds_the_same(service: CatalogService) -> None:
    typed = unicodedata.normalize("NFD", "ĐÁNH GIÁ ĐÁP ỨNG")
    assert typed != unicodedata.normalize("NFC", typed)
    assert keys(service, typed) == keys(service, "danh gia dap ung") == ["SYT-DUOC-GPP-DANH-GIA"]
