from __future__ import annotations

from desktop.dossier.address_search import search_communes


def test_typing_without_diacritics_finds_the_ward() -> None:
    found = search_communes("cam thanh")
    assert found[0].full_name == "Phường Cẩm Thành" and found[0].code == "21025"


def test_search_within_a_province_and_by_kind() -> None:
    assert {c.province_code for c in search_communes("tan", "79")} == {"79"}
    assert all(c.kind == "Phường" for c in search_communes("p. tan", "79"))
    assert search_communes("dak pxi", "51")[0].code == "23504"


def test_exact_names_come_first_then_prefixes() -> None:
    names = [c.name for c in search_communes("ba dinh", "01")]
    assert names[0] == "Ba Đình"
    assert search_communes("xyzzy") == []


def test_empty_query_lists_the_province() -> None:
    from desktop.dossier.admin_units import units

    assert search_communes("", "51", limit=500) == list(units().communes_of("51"))


def test_provinces_by_current_former_and_usual_names() -> None:
    from desktop.dossier.address_search import search_provinces

    assert [p.name for p in search_provinces("tp hcm")] == ["Hồ Chí Minh"]
    assert [p.name for p in search_provinces("thua thien")] == ["Huế"]
    assert [p.name for p in search_provinces("kon tum")] == ["Quảng Ngãi"]
    assert [p.name for p in search_provinces("dak")][:2] == ["Đắk Lắk", "Lâm Đồng"]
    assert search_provinces("") == []
