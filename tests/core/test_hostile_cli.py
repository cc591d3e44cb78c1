"""Hostile command-line input ends in exit 1 or 2 with a message, never a traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from dossier.conftest import PROCEDURE, insert_catalog

from desktop.paths import Paths
from desktop.workspace import Workspace


@pytest.fixture
def with_dossier(run_cli, data_dir: Path) -> Path:  # type: ignore[no-untyped-def]
    workspace = Workspace(Paths(data_dir))
    insert_catalog(workspace)
    workspace.close()
    assert run_cli("dossier", "new", "--procedure", PROCEDURE).code == 0
    return data_dir


def _catalog(tmp_path: Path, text: str) -> str:
    path = tmp_path / "catalog.json"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_catalog_nested_ten_thousand_levels(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    deep = '{"a":' * 10_000 + "1" + "}" * 10_000
    result = run_cli("catalog", "import", _catalog(tmp_path, deep))
    assert result.code == 1
    assert "lồng nhau quá" in result.err
    shallow_but_deep = "[" * 200 + "]" * 200  # parses, but no catalog nests like that
    assert run_cli("catalog", "import", _catalog(tmp_path, shallow_but_deep)).code == 1


@pytest.mark.parametrize("number", ["9" * 5000, "1e30", "10000000000000000000", "-1e400"])
def test_catalog_with_absurd_numbers(run_cli, tmp_path: Path, number: str) -> None:  # type: ignore[no-untyped-def]
    text = (
        '{"format_version": 1, "agencies": [], "fields": [], "procedures": '
        f'[{{"key": "X", "dvcqg_page_id": {number}}}]}}'
    )
    result = run_cli("catalog", "import", _catalog(tmp_path, text))
    assert result.code == 1
    assert "quá lớn" in result.err


def test_dossier_set_with_bytes_that_are_not_utf8(run_cli, with_dossier: Path) -> None:  # type: ignore[no-untyped-def]
    value = os.fsdecode(b"applicant.name=L\xffan")  # what Python makes of such an argv
    result = run_cli("dossier", "set", "1", value)
    assert result.code == 1
    assert "UTF-8" in result.err
    assert json.loads(run_cli("dossier", "show", "1", "--json").out)["applicant"]["name"] == ""


@pytest.mark.parametrize("number", ["1000000000000000000000", "-5", "1e21"])
def test_ids_out_of_range(run_cli, with_dossier: Path, number: str, capsys) -> None:  # type: ignore[no-untyped-def]
    for args in (("dossier", "set", number, "notes=x"), ("dossier", "show", number)):
        result = run_cli(*args)
        assert result.code == 2, args
        said = capsys.readouterr().err  # argparse writes its usage errors itself
        assert "argument ID" in said and ("2^63" in said or "số nguyên" in said)


def test_a_thousand_word_search(run_cli, with_dossier: Path) -> None:  # type: ignore[no-untyped-def]
    words = " ".join(f"tu{i}" for i in range(1200))
    result = run_cli("dossier", "list", "--search", words)
    assert result.code == 0
    assert "hỏng" not in result.err
    assert run_cli("catalog", "search", words).code == 0


def test_search_text_starting_with_a_dash(run_cli, with_dossier: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("dossier", "list", "--search=-abc").code == 0
    assert run_cli("catalog", "search", "--", "-abc").code == 0
    capsys.readouterr()
    assert run_cli("catalog", "search", "--help").code == 0
    assert "catalog search -- -abc" in " ".join(capsys.readouterr().out.split())
    assert run_cli("dossier", "list", "--help").code == 0
    assert "--search=-abc" in " ".join(capsys.readouterr().out.split())
