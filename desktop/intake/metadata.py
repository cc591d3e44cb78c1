"""Record metadata a digitising unit fills in (Circular 05/2025/TT-BNV, file and document level).

The fields a unit enters for each digitised record: its code, title, dates, the number of
sheets and pages of the paper original, access level, retention period, physical
condition, the reference of the paper original and the reliability level. They are
entered once per batch (a ``key=value`` file) and overridden per record (``metadata.txt``
in the record's folder), stored in the database (`desktop.dossier.records`), embedded in
each PDF as XMP (`desktop.intake.pdfa`) and exported as CSV or JSON for the archive's
system. This module only parses, checks and formats; it knows no dossier.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from desktop.errors import UserError, define

METADATA_FILE = "metadata.txt"


@dataclass(frozen=True)
class Field:
    """One record field: its key (files, CSV, JSON), XMP property, labels and value type."""

    key: str
    xmp: str
    vi: str
    en: str
    kind: str  # "text", "date", "count" or one of the choice lists below
    choices: tuple[str, ...] = ()


ACCESS_LEVELS = ("Công khai", "Hạn chế", "Mật")
RELIABILITY_LEVELS = ("Số hóa", "Gốc điện tử", "Hỗn hợp")
CONDITIONS = ("Bình thường", "Hư hỏng nhẹ", "Hư hỏng nặng")

FIELDS: tuple[Field, ...] = (
    Field("record_code", "RecordCode", "Mã hồ sơ", "Record code", "text"),
    Field("title", "Title", "Tiêu đề hồ sơ", "Title", "text"),
    Field("start_date", "StartDate", "Thời gian bắt đầu", "Start date", "date"),
    Field("end_date", "EndDate", "Thời gian kết thúc", "End date", "date"),
    Field("sheets", "Sheets", "Số lượng tờ", "Number of sheets", "count"),
    Field("pages", "Pages", "Số lượng trang", "Number of pages", "count"),
    Field("access", "AccessLevel", "Chế độ sử dụng", "Access level", "choice", ACCESS_LEVELS),
    Field("retention", "RetentionPeriod", "Thời hạn bảo quản", "Retention period", "retention"),
    Field(
        "condition",
        "PhysicalCondition",
        "Tình trạng vật lý",
        "Physical condition",
        "choice",
        CONDITIONS,
    ),
    Field("paper_ref", "PaperOriginal", "Mã hồ sơ giấy gốc", "Paper original reference", "text"),
    Field(
        "reliability",
        "Reliability",
        "Mức độ tin cậy",
        "Reliability level",
        "choice",
        RELIABILITY_LEVELS,
    ),
    Field("language", "Language", "Ngôn ngữ", "Language", "text"),
)
BY_KEY = {f.key: f for f in FIELDS}
DEFAULTS = {"language": "Tiếng Việt", "reliability": "Số hóa"}
REQUIRED = ("record_code", "title")

E_META_KEY = define(
    "intake.metadata_key",
    vi="Không có trường siêu dữ liệu «{key}» ({where}). Các trường: {known}.",
    en="There is no record metadata field '{key}' ({where}). The fields: {known}.",
)
E_META_VALUE = define(
    "intake.metadata_value",
    vi="Giá trị «{value}» của trường «{label}» không hợp lệ ({where}): cần {expected}. "
    "Hãy sửa rồi chạy lại.",
    en="'{value}' is not a valid {label} ({where}): expected {expected}. Fix it and run again.",
)
E_META_LINE = define(
    "intake.metadata_line",
    vi="Dòng {line} của {path} không đúng dạng “trường=giá trị” (tệp văn bản UTF-8). "
    "Hãy sửa tệp rồi chạy lại.",
    en="Line {line} of {path} is not “field=value” (a UTF-8 text file). Fix the file and "
    "run again.",
)
E_META_DATES = define(
    "intake.metadata_dates",
    vi="Thời gian kết thúc {end} trước thời gian bắt đầu {start} ({where}). Hãy sửa lại.",
    en="The end date {end} is before the start date {start} ({where}). Fix it.",
)


def fold(text: str) -> str:
    """Lower case without diacritics, single spaces: how typed values are compared.
    (intake may not import the catalog's folding; this only compares a few labels.)"""
    plain = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).split())


_RETENTION = re.compile(r"(?:(vinh vien)|(\d{1,3})\s*nam)")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def _expected(field: Field) -> str:
    if field.kind == "date":
        return "ngày dạng 2025-03-31 hoặc 31/03/2025"
    if field.kind == "count":
        return "một số nguyên dương"
    if field.kind == "retention":
        return "“Vĩnh viễn” hoặc số năm, ví dụ “20 năm”"
    return " / ".join(field.choices)


def _clean(field: Field, raw: str, where: str) -> str:
    value = " ".join(raw.split())
    if field.kind == "text" or not value:
        return value

    def bad() -> UserError:
        return UserError(
            E_META_VALUE, value=raw, label=field.vi, where=where, expected=_expected(field)
        )

    if field.kind == "date":
        match = _DMY.fullmatch(value)
        try:
            if match:
                day, month, year = (int(g) for g in match.groups())
                return date(year, month, day).isoformat()
            return date.fromisoformat(value).isoformat()
        except ValueError:
            raise bad() from None
    if field.kind == "count":
        if not value.isdigit() or int(value) < 1:
            raise bad()
        return str(int(value))
    if field.kind == "retention":
        match = _RETENTION.fullmatch(fold(value))
        if match is None:
            raise bad()
        return "Vĩnh viễn" if match.group(1) else f"{int(match.group(2))} năm"
    for choice in field.choices:  # a choice typed without diacritics or in another case
        if fold(choice) == fold(value):
            return choice
    raise bad()


def _key(raw: str) -> str | None:
    """A field key from a key or its Vietnamese label, typed with or without diacritics."""
    wanted = fold(raw).replace(" ", "_")
    for field in FIELDS:
        if wanted in (field.key, fold(field.vi).replace(" ", "_")):
            return field.key
    return None


@dataclass(frozen=True)
class RecordMetadata:
    """The entered fields of one record (only the keys of FIELDS; values cleaned)."""

    values: Mapping[str, str]

    def get(self, key: str) -> str:
        return self.values.get(key, "")

    def merged(self, overrides: RecordMetadata) -> RecordMetadata:
        """These values with `overrides` on top (a record's own file over the batch's)."""
        return RecordMetadata({**self.values, **overrides.values})

    def missing(self) -> list[str]:
        """Labels of the fields an archive needs that are still empty."""
        return [BY_KEY[k].vi for k in REQUIRED if not self.get(k)]

    def as_dict(self) -> dict[str, str]:
        return {f.key: self.get(f.key) for f in FIELDS}


def build(values: Mapping[str, str], where: str, *, defaults: bool = False) -> RecordMetadata:
    """Check and clean `values` (keys or Vietnamese labels); `where` names their source."""
    cleaned: dict[str, str] = dict(DEFAULTS) if defaults else {}
    for raw_key, raw in values.items():
        key = _key(raw_key)
        if key is None:
            known = ", ".join(f.key for f in FIELDS)
            raise UserError(E_META_KEY, key=raw_key, where=where, known=known)
        cleaned[key] = _clean(BY_KEY[key], str(raw), where)
    start, end = cleaned.get("start_date"), cleaned.get("end_date")
    if start and end and end < start:
        raise UserError(E_META_DATES, start=start, end=end, where=where)
    return RecordMetadata(cleaned)


def read_file(path: Path, *, defaults: bool = False) -> RecordMetadata:
    """A ``field=value`` file (UTF-8, ``#`` comments) as record metadata."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raise UserError(E_META_LINE, line=1, path=str(path)) from None
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, equals, value = line.partition("=")
        if not equals or not key.strip():
            raise UserError(E_META_LINE, line=number, path=str(path))
        values[key.strip()] = value.strip()
    return build(values, str(path), defaults=defaults)


def parse_pairs(pairs: Iterable[str], where: str) -> RecordMetadata:
    """``key=value`` arguments of the command line."""
    values: dict[str, str] = {}
    for number, pair in enumerate(pairs, start=1):
        key, equals, value = pair.partition("=")
        if not equals or not key.strip():
            raise UserError(E_META_LINE, line=number, path=where)
        values[key.strip()] = value.strip()
    return build(values, where)


EXPORT_COLUMNS = ("dossier_id", *(f.key for f in FIELDS), "files")


def to_csv(rows: Iterable[Mapping[str, object]]) -> str:
    """CSV (UTF-8 with a BOM so spreadsheet programs read the diacritics; header = keys)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k, "")) for k in EXPORT_COLUMNS})
    return "\ufeff" + out.getvalue()


def _cell(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def to_json(rows: Iterable[Mapping[str, object]]) -> str:
    return json.dumps(
        {"fields": [{"key": f.key, "vi": f.vi, "en": f.en} for f in FIELDS], "records": list(rows)},
        ensure_ascii=False,
        indent=2,
    )
