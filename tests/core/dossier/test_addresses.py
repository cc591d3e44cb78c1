from __future__ import annotations

import json

import pytest

from desktop.dossier.addresses import DATA_FILE, former_provinces, provinces, resolve_province


def test_34_provinces_from_63() -> None:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    assert len(provinces()) == 34
    merged = [old for p in data["provinces"] for old in p["merged_from"]]
    assert len(merged) == 29  # 63 former provinces = 34 kept names + 29 merged in
    assert len(set(merged)) == 29
    assert not set(merged) & set(provinces())
    assert sum(1 for p in data["provinces"] if p["kind"] == "thành phố") == 6
    assert "202/2025/QH15" in data["source"]


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
        ("Hòa Bình", "Phú Thọ", "Hòa Bình"),
        ("Hoà Bình", "Phú Thọ", "Hòa Bình"),
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
