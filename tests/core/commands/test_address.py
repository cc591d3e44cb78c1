"""`dvc-desk address resolve | search | show` as a clerk and a script use them."""

from __future__ import annotations

import json
from typing import Any


def test_resolve_the_issue_example(run_cli: Any) -> None:
    result = run_cli("address", "resolve", "xã Đăk Pxi, huyện Đăk Hà, tỉnh Kon Tum")
    assert result.code == 0
    assert result.out.splitlines()[0] == "Xã Đăk Pxi (mã 23504), Quảng Ngãi (mã 51)"
    assert "Xã Đắk PXi (Tỉnh Kon Tum cũ) đã nhập vào Xã Đăk Pxi" in result.out


def test_resolve_a_split_commune_lists_candidates_with_why(run_cli: Any) -> None:
    result = run_cli("address", "resolve", "phuong ngoc ha, quan ba dinh, ha noi", "--json")
    assert result.code == 0
    data = json.loads(result.out)
    assert data["status"] == "ask" and data["commune"] is None
    assert [c["code"] for c in data["candidates"]] == ["00004", "00008"]
    assert "đã được chia cho 2 đơn vị mới" in data["message"]


def test_resolve_an_unknown_place_is_refused_with_a_reason(run_cli: Any) -> None:
    result = run_cli("address", "resolve", "Xã Xứ Sở, tỉnh Kon Tum")
    assert result.code == 1
    assert "Không tìm thấy «Xã Xứ Sở» trong Quảng Ngãi" in result.out


def test_search_without_diacritics_and_json(run_cli: Any) -> None:
    result = run_cli("address", "search", "cam thanh", "--province", "51", "--json")
    assert result.code == 0
    data = json.loads(result.out)
    assert data["communes"][0] == {
        "code": "21025",
        "kind": "Phường",
        "name": "Phường Cẩm Thành",
        "province_code": "51",
        "province": "Quảng Ngãi",
    }
    text = run_cli("address", "search", "kon tum").out
    assert "51  Tỉnh Quảng Ngãi" in text  # found by its former province's name
    assert "23293  Phường Kon Tum, Quảng Ngãi" in text


def test_show_a_commune_with_what_was_merged_into_it(run_cli: Any) -> None:
    result = run_cli("address", "show", "23504", "--json")
    data = json.loads(result.out)
    assert data["name"] == "Xã Đăk Pxi" and data["province_code"] == "51"
    assert [(m["code"], m["name"], m["partial"]) for m in data["merged"]] == [
        ("23503", "Xã Đắk PXi", False),
        ("23504", "Xã Đăk Long", False),
    ]
    text = run_cli("address", "show", "00004").out
    assert "Phường Ngọc Hà (Thành phố Hà Nội): một phần" in text


def test_show_a_province_and_an_unknown_code(run_cli: Any) -> None:
    province = json.loads(run_cli("address", "show", "51", "--json").out)
    assert province["communes"] == 96
    assert [m["name"] for m in province["merged"]] == ["Tỉnh Quảng Ngãi", "Tỉnh Kon Tum"]
    result = run_cli("address", "show", "999")
    assert result.code == 1
    assert "«999» không có trong danh mục" in result.err
