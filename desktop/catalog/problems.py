"""Problems found in a catalog file: each named by its path, with a stable code.

`procedures[3].components[1].name: thiếu (bắt buộc phải có)` (`… : missing` in
English). The codes are declared here once, with their Vietnamese and English text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.errors import UserError, define, render

E_INVALID = define(
    "catalog.invalid",
    vi=(
        "Tệp danh mục {path} có {count} lỗi nên KHÔNG có gì được nhập:\n{problems}\n"
        "Hãy sửa các lỗi trên (định dạng: docs/catalog-format.md) rồi nhập lại."
    ),
    en=(
        "The catalog file {path} has {count} problem(s), so NOTHING was imported:\n"
        "{problems}\nFix them (format: docs/catalog-format.md) and import it again."
    ),
)

# One code per kind of problem; the sentence follows the path ("path: sentence").
P_MISSING = define("catalog.problem.missing", vi="thiếu (bắt buộc phải có)", en="missing")
P_TYPE = define(
    "catalog.problem.type", vi="sai kiểu: cần {expected}", en="wrong type: expected {expected}"
)
P_ENUM = define(
    "catalog.problem.enum",
    vi="giá trị {value} không hợp lệ; chỉ nhận: {allowed}",
    en="invalid value {value}; allowed: {allowed}",
)
P_UNKNOWN_PROPERTY = define(
    "catalog.problem.unknown_property",
    vi="trường không có trong định dạng (viết sai tên?)",
    en="unknown property (misspelt?)",
)
P_EMPTY = define("catalog.problem.empty", vi="không được để trống", en="must not be empty")
P_PATTERN = define(
    "catalog.problem.pattern",
    vi="giá trị {value} không đúng dạng ({expected})",
    en="value {value} has the wrong form ({expected})",
)
P_RANGE = define(
    "catalog.problem.range", vi="giá trị {value} phải ≥ {minimum}", en="{value} must be ≥ {minimum}"
)
P_TOO_LONG = define(
    "catalog.problem.too_long",
    vi="dài quá {maximum} ký tự",
    en="longer than {maximum} characters",
)
P_FORMAT_VERSION = define(
    "catalog.problem.format_version",
    vi="phiên bản định dạng {value} không được hỗ trợ (chỉ hỗ trợ 1 và 2); hãy cập nhật dvc-desk",
    en="format version {value} is not supported (only 1 and 2); update dvc-desk",
)
P_SCHEMA = define("catalog.problem.schema", vi="không hợp lệ: {detail}", en="invalid: {detail}")
P_DUPLICATE = define(
    "catalog.problem.duplicate", vi="{value} bị trùng với {other}", en="{value} duplicates {other}"
)
P_UNKNOWN_AGENCY = define(
    "catalog.problem.unknown_agency",
    vi="cơ quan {value} không có trong agencies của tệp hay trong danh mục đã nhập",
    en="agency {value} is neither in the file's agencies nor in the imported catalog",
)
P_UNKNOWN_FIELD = define(
    "catalog.problem.unknown_field",
    vi="lĩnh vực {value} không có trong fields của tệp hay trong danh mục đã nhập",
    en="field {value} is neither in the file's fields nor in the imported catalog",
)
P_UNKNOWN_COMPONENT = define(
    "catalog.problem.unknown_component",
    vi="thành phần {value} không có trong components của thủ tục",
    en="component {value} is not in the procedure's components",
)
P_BAD_DATE = define(
    "catalog.problem.bad_date",
    vi="ngày {value} không tồn tại (cần dạng YYYY-MM-DD)",
    en="{value} is not a real date (YYYY-MM-DD)",
)
P_DATE_ORDER = define(
    "catalog.problem.date_order",
    vi="valid_from {start} sau valid_to {end}",
    en="valid_from {start} is after valid_to {end}",
)
P_SUCCESSOR_CYCLE = define(
    "catalog.problem.successor_cycle",
    vi="chuỗi cơ quan kế nhiệm quay vòng: {chain}",
    en="the successor chain loops: {chain}",
)

P_FILE = define(
    "catalog.problem.file",
    vi="không đọc được: {detail}",
    en="cannot be read: {detail}",
)
P_DUPLICATE_CODE = define(
    "catalog.problem.duplicate_code",
    vi="thủ tục mã {value} đã có trong {other}",
    en="procedure {value} is already in {other}",
)

MAX_LISTED_PROBLEMS = 50
# Problems kept per import: a broken catalog of 10,000 records is described well enough
# by its first thousand problems; the rest are counted ("N more"), not kept.
MAX_PROBLEMS = 1000

# Counting the rest costs time too (a million took 20 s): past this many, "more than".
MAX_COUNTED = 100_000


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a catalog file, at `path` (e.g. `procedures[3].name`)."""

    path: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, language: str | None = None) -> str:
        return f"{self.path}: {render(self.code, self.params, language)}"

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "code": self.code, "message": self.message()}


def format_path(parts: Iterable[str | int]) -> str:
    """`["procedures", 3, "name"]` → `"procedures[3].name"`; the root is `$`."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out or "$"


class ProblemList:
    """Problems of one import, at most MAX_PROBLEMS kept; the others only counted."""

    def __init__(self, limit: int = MAX_PROBLEMS) -> None:
        self.items: list[Problem] = []
        self.more = 0
        self._limit = limit

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            if problem.code in (P_MORE, P_MANY_MORE):  # a reader stopped early: its count
                self.more += int(problem.params["count"])
            elif len(self.items) < self._limit:
                self.items.append(problem)
            else:
                self.more += 1

    def __bool__(self) -> bool:
        return bool(self.items)


def invalid_catalog(path: Path | str, problems: Sequence[Problem], more: int = 0) -> UserError:
    """The error listing `problems` (the first MAX_LISTED_PROBLEMS) of the file `path`;
    `more` problems beyond those kept are counted in the total and the last line."""
    lines = [f"  - {p.message()}" for p in problems[:MAX_LISTED_PROBLEMS]]
    hidden = len(problems) - MAX_LISTED_PROBLEMS + more
    if hidden > 0:
        lines.append(f"  … (+{hidden})")
    return UserError(
        E_INVALID,
        path=str(path),
        count=len(problems) + more,
        problems="\n".join(lines),
        items=[p.as_dict() for p in problems],
        more=more,
    )


P_MORE = define(
    "catalog.problem.more",
    vi="còn {count} lỗi khác sau {limit} lỗi đầu tiên (không liệt kê)",
    en="{count} more problem(s) after the first {limit} (not listed)",
)
P_MANY_MORE = define(
    "catalog.problem.many_more",
    vi="còn hơn {count} lỗi khác sau {limit} lỗi đầu tiên (đã ngừng đếm)",
    en="more than {count} further problems after the first {limit} (stopped counting)",
)


def more_problems(count: int) -> Problem:
    """The last entry of a list a reader cut at MAX_PROBLEMS: how many more there were
    (ProblemList adds it to its count)."""
    code = P_MANY_MORE if count >= MAX_COUNTED else P_MORE
    return Problem("$", code, {"count": count, "limit": MAX_PROBLEMS})
