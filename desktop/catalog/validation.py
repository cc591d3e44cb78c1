"""Checks of a catalog file: JSON syntax, the JSON Schema, then meaning.

Every problem is named by its path in the file (`procedures[3].components[1].name`)
with a stable code, so the CLI can list them all at once and a script can read them.
Nothing here touches the database: the caller passes the agency and field codes that
already exist, which a file may refer to without repeating them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from desktop.catalog.resources import SCHEMA_PATH
from desktop.errors import UserError, define, render

E_FILE_MISSING = define(
    "catalog.file_missing",
    vi="Không tìm thấy tệp danh mục {path}. Hãy kiểm tra lại đường dẫn và tên tệp.",
    en="The catalog file {path} does not exist. Check the path and the file name.",
)
E_NOT_A_FILE = define(
    "catalog.not_a_file",
    vi="{path} là một thư mục, không phải tệp. Hãy chỉ ra tệp .json của danh mục.",
    en="{path} is a folder, not a file. Give the catalog's .json file.",
)
E_UNREADABLE = define(
    "catalog.unreadable",
    vi="Không đọc được tệp {path} ({detail}). Hãy kiểm tra quyền đọc tệp rồi thử lại.",
    en="Cannot read {path} ({detail}). Check that the file can be read and try again.",
)
E_EMPTY_FILE = define(
    "catalog.empty_file",
    vi="Tệp danh mục {path} trống (0 byte). Hãy chọn đúng tệp danh mục JSON.",
    en="The catalog file {path} is empty (0 bytes). Choose the right JSON catalog file.",
)
E_NOT_UTF8 = define(
    "catalog.not_utf8",
    vi=(
        "Tệp {path} không phải văn bản UTF-8 (byte thứ {position}). "
        "Hãy lưu lại tệp với mã hoá UTF-8 rồi nhập lại. Không có gì được nhập."
    ),
    en="{path} is not UTF-8 text (byte {position}). Save it as UTF-8 and import it again.",
)
E_BAD_JSON = define(
    "catalog.bad_json",
    vi=(
        "Tệp {path} không phải JSON hợp lệ: dòng {line}, cột {column}: {detail}. "
        "Không có gì được nhập; hãy sửa lỗi cú pháp rồi nhập lại."
    ),
    en=(
        "{path} is not valid JSON: line {line}, column {column}: {detail}. "
        "Nothing was imported; fix the syntax and import it again."
    ),
)
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
    vi="phiên bản định dạng {value} không được hỗ trợ (chỉ hỗ trợ 1); hãy cập nhật dvc-desk",
    en="format version {value} is not supported (only 1); update dvc-desk",
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

MAX_LISTED_PROBLEMS = 50


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


def invalid_catalog(path: Path | str, problems: Sequence[Problem]) -> UserError:
    """The error listing `problems` (the first MAX_LISTED_PROBLEMS) of the file `path`."""
    lines = [f"  - {p.message()}" for p in problems[:MAX_LISTED_PROBLEMS]]
    if len(problems) > MAX_LISTED_PROBLEMS:
        lines.append(f"  … (+{len(problems) - MAX_LISTED_PROBLEMS})")
    return UserError(
        E_INVALID,
        path=str(path),
        count=len(problems),
        problems="\n".join(lines),
        items=[p.as_dict() for p in problems],
    )


def read_json(path: Path) -> tuple[Any, str]:
    """The parsed JSON of `path` and the SHA-256 of its bytes, or a UserError that says
    what is wrong with the file."""
    if not path.exists():
        raise UserError(E_FILE_MISSING, path=str(path))
    if path.is_dir():
        raise UserError(E_NOT_A_FILE, path=str(path))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(E_UNREADABLE, path=str(path), detail=exc.strerror or str(exc)) from exc
    if not raw:
        raise UserError(E_EMPTY_FILE, path=str(path))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(E_NOT_UTF8, path=str(path), position=exc.start) from exc
    try:
        return json.loads(text, parse_constant=_reject_constant), hashlib.sha256(raw).hexdigest()
    except json.JSONDecodeError as exc:
        raise UserError(
            E_BAD_JSON, path=str(path), line=exc.lineno, column=exc.colno, detail=exc.msg
        ) from exc


def _reject_constant(name: str) -> Any:
    # NaN and Infinity are not JSON; Python accepts them unless told otherwise.
    raise json.JSONDecodeError(f"{name} is not allowed in JSON", name, 0)


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    # Resolving "$ref" on every node halves the speed of validating a large catalog;
    # the schema has no recursion, so it is inlined once.
    return Draft202012Validator(_inline_refs(schema, schema.get("$defs", {})))


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """`node` with every local `{"$ref": "#/$defs/name"}` replaced by its definition."""
    if isinstance(node, list):
        return [_inline_refs(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    inlined = {k: _inline_refs(v, defs) for k, v in node.items() if k not in ("$ref", "$defs")}
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return {**_inline_refs(defs[ref.removeprefix("#/$defs/")], defs), **inlined}
    return inlined


def schema_problems(data: Any) -> list[Problem]:
    """Problems found by the JSON Schema (resources/catalog.schema.json)."""
    problems: dict[tuple[str, str], Problem] = {}
    for error in _validator().iter_errors(data):
        for problem in _from_schema_error(error):
            problems.setdefault((problem.path, problem.code), problem)
    return sorted(problems.values(), key=lambda p: _sort_key(p.path))


def _sort_key(path: str) -> list[Any]:
    # Numeric order of indexes: procedures[10] comes after procedures[9].
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", path)]


_TYPE_NAMES = {
    "string": "chuỗi",
    "integer": "số nguyên",
    "number": "số",
    "boolean": "true/false",
    "array": "danh sách",
    "object": "đối tượng",
    "null": "null",
}


def _from_schema_error(error: ValidationError) -> list[Problem]:
    parts = list(error.absolute_path)
    here = format_path(parts)
    instance = error.instance
    kind = error.validator
    if kind == "required":
        return [
            Problem(format_path([*parts, name]), P_MISSING)
            for name in error.validator_value
            if isinstance(instance, dict) and name not in instance
        ]
    if kind == "additionalProperties" and isinstance(instance, dict):
        known = set(error.schema.get("properties", {}))
        extra = [k for k in instance if k not in known and not str(k).startswith("x-")]
        return [Problem(format_path([*parts, k]), P_UNKNOWN_PROPERTY) for k in extra]
    if kind == "type":
        expected = error.validator_value
        names = expected if isinstance(expected, list) else [expected]
        return [Problem(here, P_TYPE, {"expected": " hoặc ".join(_TYPE_NAMES[n] for n in names)})]
    if kind == "enum":
        allowed = ", ".join(json.dumps(v, ensure_ascii=False) for v in error.validator_value)
        value = json.dumps(instance, ensure_ascii=False)
        return [Problem(here, P_ENUM, {"value": value, "allowed": allowed})]
    if kind == "const" and parts == ["format_version"]:
        return [Problem(here, P_FORMAT_VERSION, {"value": json.dumps(instance)})]
    if kind == "minLength":
        return [Problem(here, P_EMPTY)]
    if kind == "maxLength":
        return [Problem(here, P_TOO_LONG, {"maximum": error.validator_value})]
    if kind == "pattern":
        expected = "chữ, số, '.', '-', '_'" if "A-Za-z0-9" in str(error.validator_value) else ""
        if "[0-9]{4}" in str(error.validator_value):
            expected = "YYYY-MM-DD"
        if "/" in str(error.validator_value):
            expected = "kiểu MIME, ví dụ application/pdf"
        return [Problem(here, P_PATTERN, {"value": json.dumps(instance), "expected": expected})]
    if kind == "minimum":
        return [Problem(here, P_RANGE, {"value": instance, "minimum": error.validator_value})]
    return [Problem(here, P_SCHEMA, {"detail": error.message})]


def semantic_problems(
    data: dict[str, Any],
    known_agencies: Iterable[str] = (),
    known_fields: Iterable[str] = (),
) -> list[Problem]:
    """Problems of meaning in a file that already passed the schema: duplicates, dangling
    references, impossible dates, loops of successors."""
    problems: list[Problem] = []
    agencies: list[dict[str, Any]] = data["agencies"]
    fields: list[dict[str, Any]] = data["fields"]
    procedures: list[dict[str, Any]] = data["procedures"]
    agency_codes = _unique(agencies, "agencies", "code", problems) | set(known_agencies)
    field_codes = _unique(fields, "fields", "code", problems) | set(known_fields)
    _unique(procedures, "procedures", "key", problems)

    successors: dict[str, str] = {}
    for i, agency in enumerate(agencies):
        dates: dict[str, date] = {}
        for name in ("valid_from", "valid_to"):
            value = agency.get(name)
            if value is None:
                continue
            try:
                dates[name] = date.fromisoformat(value)
            except ValueError:
                problems.append(Problem(f"agencies[{i}].{name}", P_BAD_DATE, {"value": value}))
        if (
            "valid_from" in dates
            and "valid_to" in dates
            and dates["valid_from"] > dates["valid_to"]
        ):
            problems.append(
                Problem(
                    f"agencies[{i}].valid_from",
                    P_DATE_ORDER,
                    {"start": agency["valid_from"], "end": agency["valid_to"]},
                )
            )
        for name in ("parent", "successor"):
            value = agency.get(name)
            if value is not None and value not in agency_codes:
                problems.append(
                    Problem(f"agencies[{i}].{name}", P_UNKNOWN_AGENCY, {"value": value})
                )
        if agency.get("successor") is not None:
            successors[agency["code"]] = agency["successor"]
    problems.extend(_successor_loops(agencies, successors))

    for i, procedure in enumerate(procedures):
        here = f"procedures[{i}]"
        if procedure["agency"] not in agency_codes:
            problems.append(
                Problem(f"{here}.agency", P_UNKNOWN_AGENCY, {"value": procedure["agency"]})
            )
        if procedure["field"] not in field_codes:
            problems.append(
                Problem(f"{here}.field", P_UNKNOWN_FIELD, {"value": procedure["field"]})
            )
        _unique(procedure.get("components") or [], f"{here}.components", "code", problems)
        _unique(procedure.get("channels") or [], f"{here}.channels", "kind", problems)
    return problems


def _unique(items: list[dict[str, Any]], where: str, key: str, problems: list[Problem]) -> set[str]:
    first: dict[Any, int] = {}
    for i, item in enumerate(items):
        value = item.get(key)
        if value in first:
            problems.append(
                Problem(
                    f"{where}[{i}].{key}",
                    P_DUPLICATE,
                    {
                        "value": json.dumps(value, ensure_ascii=False),
                        "other": f"{where}[{first[value]}]",
                    },
                )
            )
        else:
            first[value] = i
    return {v for v in first if isinstance(v, str)}


def _successor_loops(agencies: list[dict[str, Any]], successors: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    reported: set[str] = set()
    for i, agency in enumerate(agencies):
        chain = [agency["code"]]
        current = successors.get(agency["code"])
        while current is not None and current not in chain:
            chain.append(current)
            current = successors.get(current)
        if current is not None and agency["code"] not in reported:
            reported.update(chain)
            problems.append(
                Problem(
                    f"agencies[{i}].successor",
                    P_SUCCESSOR_CYCLE,
                    {"chain": " → ".join([*chain, current])},
                )
            )
    return problems


def validate(
    data: Any, known_agencies: Iterable[str] = (), known_fields: Iterable[str] = ()
) -> list[Problem]:
    """Every problem of a parsed catalog: schema first; meaning only when the shape is
    right (checks of meaning on a broken shape would only repeat the same problems)."""
    problems = schema_problems(data)
    if problems:
        return problems
    return semantic_problems(data, known_agencies, known_fields)
