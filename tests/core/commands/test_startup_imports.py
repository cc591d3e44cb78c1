"""`dvc-desk --version` and `--help` start in a blink: no heavy library is imported.

Each command module is imported only when its command runs (desktop/commands/index.py);
the table of commands must say what the modules register.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import cli, errors
from desktop.commands import index

ROOT = Path(__file__).parents[3]
HEAVY = (
    "sqlalchemy",
    "alembic",
    "pyhanko",
    "fastapi",
    "uvicorn",
    "PySide6",
    "httpx",
    "pydantic",
    "cryptography",
    "pypdf",
    "pikepdf",
)
# What `python -m desktop.cli ARGS` imported, as the command line runs it.
PROBE = (
    "import runpy, sys, json\n"
    "sys.argv = ['dvc-desk', *json.loads(sys.argv[1])]\n"
    "try:\n"
    "    runpy.run_module('desktop.cli', run_name='__main__')\n"
    "except SystemExit:\n"
    "    pass\n"
    "sys.stderr.write(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
)


def _imported(*args: str, data_dir: Path) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(["--data-dir", str(data_dir), *args])],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["catalog", "--help"]])
def test_version_and_help_import_no_heavy_library(args: list[str], tmp_path: Path) -> None:
    imported = _imported(*args, data_dir=tmp_path)
    assert "desktop" in imported, "the probe ran the CLI"
    if args == ["catalog", "--help"]:
        # The chosen command's module is loaded (its parser), not the others'.
        assert not {"pyhanko", "fastapi", "uvicorn", "PySide6"} & imported
    else:
        assert sorted(set(HEAVY) & imported) == []


def _top_level(parser: argparse.ArgumentParser) -> list[tuple[str, str | None]]:
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return [(choice.dest, choice.help) for choice in sub._choices_actions]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_command_table_is_what_the_modules_register(language: str) -> None:
    errors.set_language(language)
    try:
        full = cli.build_parser()  # every module registers its commands
        lazy = cli.build_parser(["--version"])  # none is imported
        assert _top_level(full) == _top_level(lazy)
        assert [name for name, _ in _top_level(full)] == [c.name for c in index.COMMANDS]
        assert lazy.format_help() == full.format_help()
    finally:
        errors.set_language("vi")


@pytest.mark.parametrize(
    ("argv", "word"),
    [
        (["catalog", "search", "x"], "catalog"),
        (["--data-dir", "sign", "verify", "a.pdf"], "verify"),
        (["--data-dir=sign", "sync", "--once"], "sync"),
        (["--database", "postgresql://s/db", "dossier", "list"], "dossier"),
        (["--data-dir", "d", "portal-sandbox", "--data", "x"], "portal-sandbox"),
        (["--version"], None),
    ],
)
def test_command_word_skips_the_data_dir_value(argv: list[str], word: str | None) -> None:
    assert cli._command_word(argv) == word


def test_signing_with_a_p12_loads_neither_pkcs11_nor_httpx(tmp_path: Path) -> None:
    # python-pkcs11 (a token) and httpx (a timestamp server) cost a third of a second of
    # `dvc-desk sign`; a .p12 signature without a timestamp needs neither.
    from tests.core.signing.signing_helpers import P12_PASSWORD, build_pki, make_pdf

    pki = build_pki(tmp_path / "pki")
    source = make_pdf(tmp_path / "in.pdf")
    args = ["sign", str(source), "-o", str(tmp_path / "out.pdf"),
            "--p12", str(pki.signer.p12), "--password-stdin"]  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(["--data-dir", str(tmp_path / "data"), *args])],
        cwd=ROOT,
        input=P12_PASSWORD + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    imported = set(json.loads(done.stderr.strip().splitlines()[-1]))
    assert (tmp_path / "out.pdf").is_file(), done.stdout
    assert "pyhanko" in imported
    assert not {"pkcs11", "httpx"} & imported


def test_catalog_search_on_a_current_database_imports_no_heavy_library(tmp_path: Path) -> None:
    # The first search creates the database and imports the bundled catalog (workspace);
    # the next ones read the current file with sqlite3 (desktop/catalog/reader.py).
    data = tmp_path / "data"
    args = ["--data-dir", str(data), "catalog", "search", "cchn duoc"]
    runs = [
        subprocess.run(
            [sys.executable, "-c", PROBE, json.dumps(args)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        for _ in range(2)
    ]
    first, again = (set(json.loads(r.stderr.strip().splitlines()[-1])) for r in runs)
    assert "sqlalchemy" in first  # the probe sees what a first start needs
    assert runs[0].stdout == runs[1].stdout and "CCHN" in runs[1].stdout.upper()
    assert not {"sqlalchemy", "alembic", "pyhanko", "PySide6"} & again


def test_a_damaged_database_is_said_without_loading_sqlalchemy(tmp_path: Path) -> None:
    import sqlite3

    data = tmp_path / "data"
    args = ["--data-dir", str(data), "catalog", "search", "cchn duoc"]
    _imported(*args[2:], data_dir=data)  # creates the database and its catalog
    database = data / "dvc-desk.sqlite3"
    with sqlite3.connect(database) as conn:
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'procedure_search_data'"
        ).fetchone()
    conn.close()
    with database.open("r+b") as handle:  # the search index's first page scribbled over
        handle.seek((root - 1) * 4096)
        handle.write(bytes(range(256)) * 16)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    said, modules = done.stderr.strip().splitlines()[-2:]
    assert "bị hỏng" in said and "dvc-desk doctor" in said
    assert not {"sqlalchemy", "alembic"} & set(json.loads(modules))


def test_a_commands_own_data_option_is_not_read_as_an_abbreviation(tmp_path) -> None:
    """`portal-sandbox --data DIR` (docs/portal-api.md): argparse once read `--data` as an
    ambiguous abbreviation of `--data-dir` / `--database` and refused the command."""
    argv = ["--data-dir", str(tmp_path), "portal-sandbox", "--data", str(tmp_path / "s")]
    args = cli.build_parser(argv).parse_args(argv)
    assert args.data_dir == str(tmp_path)
    assert args.data == str(tmp_path / "s")
