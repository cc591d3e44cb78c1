"""Reading a catalog file: each unreadable file gets its own clear message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop.catalog.reading import read_json
from desktop.errors import UserError


def test_broken_json_names_line_and_column(
    write_catalog: Callable[[Any], Path], tmp_path: Path
) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "format_version": 1,\n  "agencies": [,]\n}\n', encoding="utf-8")
    with pytest.raises(UserError) as caught:
        read_json(path)
    assert caught.value.code == "catalog.bad_json"
    assert (caught.value.params["line"], caught.value.params["column"]) == (3, 16)
    assert "dòng 3, cột 16" in caught.value.message()
    assert "Không có gì được nhập" in caught.value.message()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "catalog.empty_file"),
        (b'{"a": "\xff\xfe"}', "catalog.not_utf8"),
        (b'{"format_version": NaN}', "catalog.bad_json"),
    ],
)
def test_unreadable_files_get_their_own_message(tmp_path: Path, content: bytes, code: str) -> None:
    path = tmp_path / "catalog.json"
    path.write_bytes(content)
    with pytest.raises(UserError) as caught:
        read_json(path)
    assert caught.value.code == code
    assert str(path) in caught.value.message()


def test_missing_file_and_directory_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError) as missing:
        read_json(tmp_path / "nope.json")
    assert missing.value.code == "catalog.file_missing"
    with pytest.raises(UserError) as folder:
        read_json(tmp_path)
    assert folder.value.code == "catalog.not_a_file"
