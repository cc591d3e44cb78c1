"""Reading a catalog file: exists, is a file, not empty, UTF-8, JSON (with line/column).

Every refusal is a UserError whose message says what is wrong and what to do; nothing
is imported from a file that cannot be read.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from desktop.errors import UserError, define

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
E_NOT_REGULAR = define(
    "catalog.not_regular_file",
    vi="{path} không phải tệp thường (là thiết bị, ống dẫn hay socket). Hãy chỉ ra tệp .json "
    "của danh mục.",
    en="{path} is not a regular file (a device, pipe or socket). Give the catalog's .json file.",
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

E_TOO_DEEP = define(
    "catalog.json_too_deep",
    vi="Tệp {path} lồng nhau quá {limit} tầng, không phải tệp danh mục. Không có gì được nhập.",
    en="{path} nests more than {limit} levels deep; it is not a catalog. Nothing was imported.",
)
E_NUMBER_TOO_LARGE = define(
    "catalog.json_number_too_large",
    vi="Tệp {path} có số {number} quá lớn (tối đa 2^53). Hãy sửa số đó rồi nhập lại. "
    "Không có gì được nhập.",
    en="{path} holds the number {number}, too large (at most 2^53). Fix it and import "
    "again. Nothing was imported.",
)


def read_json(path: Path) -> tuple[Any, str]:
    """The parsed JSON of `path` and the SHA-256 of its bytes, or a UserError that says
    what is wrong with the file."""
    if not path.exists():
        raise UserError(E_FILE_MISSING, path=str(path))
    if path.is_dir():
        raise UserError(E_NOT_A_FILE, path=str(path))
    if not path.is_file():
        # A FIFO would block for ever, /dev/zero would fill the memory.
        raise UserError(E_NOT_REGULAR, path=str(path))
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
        data = json.loads(
            text,
            parse_constant=_reject_constant,
            parse_int=_bounded_int,
            parse_float=_bounded_float,
        )
    except json.JSONDecodeError as exc:
        raise UserError(
            E_BAD_JSON, path=str(path), line=exc.lineno, column=exc.colno, detail=exc.msg
        ) from exc
    except RecursionError:
        raise UserError(E_TOO_DEEP, path=str(path), limit=MAX_DEPTH) from None
    except ValueError as exc:  # a number of thousands of digits, or out of range
        raise UserError(E_NUMBER_TOO_LARGE, path=str(path), number=str(exc.args[0])) from None
    if _depth(data) > MAX_DEPTH:
        raise UserError(E_TOO_DEEP, path=str(path), limit=MAX_DEPTH)
    return data, hashlib.sha256(raw).hexdigest()


# The catalog format nests 5 levels; a deeper file is not a catalog, and validating it
# would exhaust the interpreter's stack.
MAX_DEPTH = 32
# Numbers beyond what a 64-bit integer column (or a double, exactly) can hold.
MAX_NUMBER = 2**53


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > 16 or abs(int(text)) > MAX_NUMBER:
        raise ValueError(text[:20] + ("…" if len(text) > 20 else ""))
    return int(text)


def _bounded_float(text: str) -> float:
    value = float(text)
    if not abs(value) <= MAX_NUMBER:
        raise ValueError(text[:20] + ("…" if len(text) > 20 else ""))
    return value


def _depth(data: Any) -> int:
    """How deeply `data` nests (iteratively: no recursion on hostile input)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            break
        children = (
            node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        )
        stack.extend((child, level + 1) for child in children)
    return deepest


def _reject_constant(name: str) -> Any:
    # NaN and Infinity are not JSON; Python accepts them unless told otherwise.
    raise json.JSONDecodeError(f"{name} is not allowed in JSON", name, 0)
