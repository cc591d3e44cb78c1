"""Record metadata (Circular 05/2025/TT-BNV fields): parsing, checking, overrides, export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from desktop.errors import UserError
from desktop.intake import metadata


def test_values_are_cleaned_and_typed_without_diacritics_too() -> None:
    record = metadata.build(
        {
            "ma ho so": "H49.21-2025-0007",  # a Vietnamese label typed without diacritics
            "title": "  Hồ sơ   khai sinh ",
            "start_date": "5/1/2025",
            "end_date": "2025-01-31",
            "sheets": "03",
            "access": "HAN CHE",
            "retention": "20 nam",
            "reliability": "so hoa",
        },
        "test",
    )
    assert record.values == {
        "record_code": "H49.21-2025-0007",
        "title": "Hồ sơ khai sinh",
        "start_date": "2025-01-05",
        "end_date": "2025-01-31",
        "sheets": "3",
        "access": "Hạn chế",
        "retention": "20 năm",
        "reliability": "Số hóa",
    }


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("sheets", "ba", "số nguyên dương"),
        ("start_date", "31/02/2025", "2025-03-31"),
        ("access", "bí mật quốc gia", "Công khai / Hạn chế / Mật"),
        ("retention", "mãi mãi", "Vĩnh viễn"),
    ],
)
def test_bad_values_are_refused_with_what_is_expected(key: str, value: str, fragment: str) -> None:
    with pytest.raises(UserError) as refused:
        metadata.build({key: value}, "metadata.txt")
    assert refused.value.code == "intake.metadata_value"
    assert fragment in refused.value.message() and "metadata.txt" in refused.value.message()


def test_unknown_fields_and_reversed_dates_are_refused() -> None:
    with pytest.raises(UserError) as unknown:
        metadata.build({"so hop": "3"}, "x")
    assert unknown.value.code == "intake.metadata_key" and "record_code" in unknown.value.message()
    with pytest.raises(UserError) as dates:
        metadata.build({"start_date": "2025-02-01", "end_date": "2025-01-01"}, "x")
    assert dates.value.code == "intake.metadata_dates"


def test_a_records_file_overrides_the_batch_defaults(tmp_path: Path) -> None:
    batch = tmp_path / "lo.txt"
    batch.write_text("# lô 3\naccess = Công khai\nretention=Vĩnh viễn\n", encoding="utf-8")
    own = tmp_path / "metadata.txt"
    own.write_text("record_code=H1\ntitle=Hồ sơ A\naccess=Mật\n", encoding="utf-8")
    merged = metadata.read_file(batch, defaults=True).merged(metadata.read_file(own))
    assert merged.get("access") == "Mật" and merged.get("retention") == "Vĩnh viễn"
    assert merged.get("language") == "Tiếng Việt" and merged.missing() == []
    assert metadata.read_file(batch).missing() == ["Mã hồ sơ", "Tiêu đề hồ sơ"]
    own.write_text("không có dấu bằng\n", encoding="utf-8")
    with pytest.raises(UserError) as bad:
        metadata.read_file(own)
    assert bad.value.code == "intake.metadata_line"


def test_csv_and_json_exports_carry_every_field() -> None:
    record = metadata.build({"record_code": "H1", "title": "Hồ sơ Đặng Văn Ân"}, "x")
    rows = [{"dossier_id": 7, **record.as_dict(), "files": ["don.pdf", "giay-to.pdf"]}]
    text = metadata.to_csv(rows)
    assert text.startswith("\ufeff")
    parsed = list(csv.DictReader(io.StringIO(text[1:])))
    assert (
        parsed[0]["title"] == "Hồ sơ Đặng Văn Ân" and parsed[0]["files"] == "don.pdf; giay-to.pdf"
    )
    assert list(parsed[0]) == list(metadata.EXPORT_COLUMNS)
    data = json.loads(metadata.to_json(rows))
    assert data["records"][0]["record_code"] == "H1"
    assert [f["key"] for f in data["fields"]] == [f.key for f in metadata.FIELDS]
