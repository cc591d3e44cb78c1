from __future__ import annotations

import pytest

from desktop.dossier.addresses import find_commune, former_provinces, provinces, resolve_province
from desktop.dossier.admin_units import units


def test_34_provinces_and_3321_communes_with_official_codes() -> None:
    table = units()
    assert len(provinces()) == 34
    assert len(table.communes) == 3321
    assert all(len(p.code) == 2 and p.code.isdigit() for p in table.provinces)
    assert all(len(c.code) == 5 and c.code.isdigit() for c in table.communes)
    assert {c.kind for c in table.communes} == {"Xã", "Phường", "Đặc khu"}
    assert sum(1 for c in table.communes if c.kind == "Đặc khu") == 13
    assert sum(1 for p in table.provinces if p.kind == "Thành phố") == 6
    assert {c.province_code for c in table.communes} == {p.code for p in table.provinces}
    # 63 former provinces = 34 kept names (Huế counted once) + 29 merged in.
    assert len(table.old_provinces) == 63
    assert len(former_provinces()) == 29
    assert not set(former_provinces()) & set(provinces())


def test_a_commune_is_found_by_code_or_name_only_in_its_province() -> None:
    cam_thanh = find_commune("51", "cam thanh")
    assert cam_thanh is not None
    assert (cam_thanh.code, cam_thanh.full_name) == ("21025", "Phường Cẩm Thành")
    assert find_commune("51", "P. Cẩm Thành") == cam_thanh
    assert find_commune("51", "21025") == cam_thanh
    assert find_commune("01", "21025") is None
    assert find_commune("01", "Cẩm Thành") is None


@pytest.mark.parametrize(
    ("typed", "current", "former"),
    [
        ("Kon Tum", "Quảng Ngãi", "Kon Tum"),
        ("tinh kon tum", "Quảng Ngãi", "Kon Tum"),
        ("Quảng Ngãi", "Quảng Ngãi", None),
        ("Bình Dương", "Hồ Chí Minh", "Bình Dương"),
        ("TP. Hồ Chí Minh", "Hồ Chí Minh", None),
        ("Bà Rịa – Vũng Tàu", "Hồ Chí Minh", "Bà Rịa - Vũng Tàu"),
        ("Thừa Thiên Huế", "Huế", "Thừa Thiên Huế"),
        ("Hà Giang", "Tuyên Quang", "Hà Giang"),
        ("Hòa Bình", "Phú Thọ", "Hoà Bình"),
        ("Hoà Bình", "Phú Thọ", "Hoà Bình"),
        ("TP HCM", "Hồ Chí Minh", None),
        ("tphcm", "Hồ Chí Minh", None),
        ("Đăk Lăk", "Đắk Lắk", None),
        ("Dak Nong", "Lâm Đồng", "Đắk Nông"),
        ("51", "Quảng Ngãi", None),
        ("Đắk Nông", "Lâm Đồng", "Đắk Nông"),
        ("Quảng Nam", "Đà Nẵng", "Quảng Nam"),
        ("Bình Định", "Gia Lai", "Bình Định"),
        ("Kiên Giang", "An Giang", "Kiên Giang"),
        ("thanh hoa", "Thanh Hóa", None),
    ],
)
def test_old_and_new_names_resolve(typed: str, current: str, former: str | None) -> None:
    match = resolve_province(typed)
    assert match is not None
    assert match.name == current
    assert match.former == former


def test_unknown_names_do_not_resolve() -> None:
    assert resolve_province("Atlantis") is None
    assert resolve_province("Huyện Đăk Hà") is None


def test_every_former_province_maps_to_a_current_one() -> None:
    assert former_provinces()["Kon Tum"] == "Quảng Ngãi"
    assert set(former_provinces().values()) <= set(provinces())
