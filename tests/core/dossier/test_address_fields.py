from __future__ import annotations

from typing import Any

from desktop.dossier.address_fields import set_part


def test_a_typed_commune_is_stored_with_its_name_and_code() -> None:
    address: dict[str, Any] = {}
    set_part(address, "province", "quang ngai")
    set_part(address, "commune", "cam thanh")
    set_part(address, "detail", " 12 Lê Lợi ")
    assert address == {
        "province": "Quảng Ngãi",
        "province_code": "51",
        "commune": "Phường Cẩm Thành",
        "commune_code": "21025",
        "detail": "12 Lê Lợi",
    }


def test_codes_and_former_names_are_understood() -> None:
    address: dict[str, Any] = {}
    set_part(address, "province", "Kon Tum")
    set_part(address, "commune", "Xã Đắk PXi")  # former name, wholly in Xã Đăk Pxi
    assert (address["commune"], address["commune_code"]) == ("Xã Đăk Pxi", "23504")
    by_code: dict[str, Any] = {}
    set_part(by_code, "commune", "21025")
    assert by_code["province_code"] == "51" and by_code["commune"] == "Phường Cẩm Thành"


def test_a_commune_not_understood_is_kept_without_a_code() -> None:
    address: dict[str, Any] = {"needs_review": True}
    set_part(address, "province", "Hà Nội")
    set_part(address, "commune", "Phường Ngọc Hà cũ")
    assert address["commune"] == "Phường Ngọc Hà cũ" and address["commune_code"] == ""
    assert address["needs_review"] is True


def test_changing_the_province_reads_the_commune_again() -> None:
    address: dict[str, Any] = {}
    set_part(address, "province", "Quảng Ngãi")
    set_part(address, "commune", "Phường Cẩm Thành")
    set_part(address, "province", "Hà Nội")
    assert (address["commune"], address["commune_code"]) == ("Phường Cẩm Thành", "")


def test_choosing_both_units_clears_the_review_flag() -> None:
    address: dict[str, Any] = {"province": "Hà Nội", "commune": "Ngọc Hà", "needs_review": True}
    set_part(address, "province", "01")
    set_part(address, "commune", "00008")
    assert "needs_review" not in address
    assert address["commune"] == "Phường Ngọc Hà"


def test_names_the_key_confuses_need_the_exact_spelling() -> None:
    exact: dict[str, Any] = {}
    set_part(exact, "province", "Thái Nguyên")
    set_part(exact, "commune", "Xã Văn Lăng")
    assert exact["commune_code"] == "05665"
    plain: dict[str, Any] = {}
    set_part(plain, "province", "Thái Nguyên")
    set_part(plain, "commune", "van lang")  # Văn Lang or Văn Lăng: the clerk must choose
    assert plain["commune_code"] == ""
