"""`dvc-desk catalog …` as a clerk or a script uses it: exit codes and messages."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any


def test_search_prints_a_table_with_agency_fee_and_time(run_cli: Any) -> None:
    result = run_cli("catalog", "search", "cchn duoc")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].split() == [
        "KHOÁ",
        "/",
        "MÃ",
        "TÊN",
        "THỦ",
        "TỤC",
        "CƠ",
        "QUAN",
        "PHÍ",
        "THỜI",
        "HẠN",
    ]
    assert lines[1].startswith("SYT-DUOC-CCHN-XET-HO-SO")
    assert "Cấp Chứng chỉ hành nghề dược" in lines[1]
    assert "Sở Y tế tỉnh Quảng Ngãi" in lines[1]
    assert "500.000 đ" in lines[1] and "15 ngày" in lines[1]
    assert "Bộ Y tế" in lines[2]


def test_search_json_and_filters(run_cli: Any) -> None:
    result = run_cli("catalog", "search", "", "--agency", "SYT-KONTUM", "--field", "DUOC", "--json")
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    assert {r["agency_code"] for r in rows} == {"SYT-QUANGNGAI"}
    assert {r["field_code"] for r in rows} == {"DUOC"}
    assert len(rows) == 4
    limited = json.loads(run_cli("catalog", "search", "", "--limit", "2", "--json").out)
    assert len(limited) == 2


def test_search_without_results_says_what_to_try(run_cli: Any) -> None:
    result = run_cli("catalog", "search", "xyzzy")
    assert result.code == 0
    assert "Không tìm thấy thủ tục nào cho «xyzzy»" in result.out


def test_search_with_an_unknown_agency_is_refused(run_cli: Any) -> None:
    result = run_cli("catalog", "search", "cchn", "--agency", "SYT-XX")
    assert result.code == 1
    assert "Không có cơ quan mã «SYT-XX»" in result.err


def test_bad_limit_is_a_usage_error(run_cli: Any) -> None:
    assert run_cli("catalog", "search", "x", "--limit", "0").code == 2


def test_show_lists_channels_components_and_legal_basis(run_cli: Any) -> None:
    result = run_cli("catalog", "show", "SYT-DUOC-CCHN-XET-HO-SO")
    assert result.code == 0, result.err
    out = result.out
    assert "Chưa rõ hình thức nộp: 15 ngày (không rõ ngày làm việc hay ngày lịch)" in out
    assert "Phí: 500.000 đ" in out
    assert "TP1. Đơn đề nghị cấp CCHN dược" in out
    assert "bản chính: 1; bản sao: 0; bắt buộc; mẫu: Mẫu 02" in out
    assert "bản chính: Không rõ; bản sao: Không rõ; không bắt buộc" in out
    assert "105/2016/QH13 Luật Dược" in out


def test_show_says_when_components_are_unknown(run_cli: Any) -> None:
    result = run_cli("catalog", "show", "1.002600")
    assert result.code == 0
    assert "Thành phần hồ sơ:\n  CHƯA RÕ" in result.out
    data = json.loads(run_cli("catalog", "show", "1.002600", "--json").out)
    assert data["components_known"] is False
    assert data["components"] == []
    assert data["agency"]["valid_from"] == "2025-07-01"


def test_show_unknown_procedure_exits_1_with_a_hint(run_cli: Any) -> None:
    result = run_cli("catalog", "show", "NOPE")
    assert result.code == 1
    assert "Không có thủ tục «NOPE»" in result.err
    assert "dvc-desk catalog search" in result.err


def test_agencies_and_fields(run_cli: Any) -> None:
    agencies = run_cli("catalog", "agencies")
    assert agencies.code == 0
    assert "SYT-KONTUM" in agencies.out and "30/06/2025" in agencies.out
    assert "→ SYT-QUANGNGAI" in agencies.out
    on_day = json.loads(run_cli("catalog", "agencies", "--on", "2025-07-01", "--json").out)
    assert [a["code"] for a in on_day] == ["BYT", "SYT-QUANGNGAI"]
    fields = run_cli("catalog", "fields")
    assert fields.code == 0 and "Mỹ phẩm" in fields.out


def test_import_reports_what_it_did(
    run_cli: Any, catalog_data: dict[str, Any], write_catalog: Callable[[Any], Path]
) -> None:
    path = write_catalog(catalog_data)
    result = run_cli("catalog", "import", str(path))
    assert result.code == 0, result.err
    assert (
        "Đã nhập 1 thủ tục (1 mới, 0 cập nhật thành ấn bản mới, 0 không đổi), 1 cơ quan, "
        "1 lĩnh vực" in result.out
    )
    again = json.loads(run_cli("catalog", "import", str(path), "--json").out)
    # The same content again is no new edition: nothing written.
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 1)
    assert run_cli("catalog", "search", "giay phep thu nghiem").out.splitlines()[1].startswith("P1")


def test_import_of_an_invalid_file_lists_problems_by_path_and_imports_nothing(
    run_cli: Any, catalog_data: dict[str, Any], write_catalog: Callable[[Any], Path]
) -> None:
    del catalog_data["procedures"][0]["components"][1]["name"]
    catalog_data["procedures"][0]["channels"][0]["day_type"] = "weekdays"
    result = run_cli("catalog", "import", str(write_catalog(catalog_data)))
    assert result.code == 1
    assert "có 2 lỗi nên KHÔNG có gì được nhập" in result.err
    assert "  - procedures[0].components[1].name: thiếu (bắt buộc phải có)" in result.err
    assert '  - procedures[0].channels[0].day_type: giá trị "weekdays" không hợp lệ' in result.err
    assert result.out == ""
    assert "P1" not in run_cli("catalog", "search", "", "--json").out
    as_json = json.loads(
        run_cli("catalog", "import", str(write_catalog(catalog_data)), "--json").out
    )
    assert as_json["error"]["code"] == "catalog.invalid"
    assert [i["path"] for i in as_json["error"]["params"]["items"]] == [
        "procedures[0].channels[0].day_type",
        "procedures[0].components[1].name",
    ]


def test_import_of_missing_folder_broken_or_empty_files_exits_1(
    run_cli: Any, tmp_path: Path
) -> None:
    missing = run_cli("catalog", "import", str(tmp_path / "nope.json"))
    assert missing.code == 1 and "Không tìm thấy tệp danh mục" in missing.err
    folder = run_cli("catalog", "import", str(tmp_path))
    assert folder.code == 1 and "là một thư mục" in folder.err
    broken = tmp_path / "broken.json"
    broken.write_text('{"format_version": 1,\n "agencies": [}', encoding="utf-8")
    bad = run_cli("catalog", "import", str(broken))
    assert bad.code == 1 and "không phải JSON hợp lệ: dòng 2, cột 15" in bad.err
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    assert run_cli("catalog", "import", str(empty)).code == 1
    assert len(json.loads(run_cli("catalog", "search", "", "--json").out)) == 7


def test_catalog_without_an_action_prints_usage(run_cli: Any) -> None:
    result = run_cli("catalog")
    assert result.code == 2
    assert "import" in result.err and "search" in result.err
