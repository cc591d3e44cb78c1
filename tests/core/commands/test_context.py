"""Help texts in one language (desktop/commands/context.py `_h`, `ArgumentParser`).

`dvc-desk --help` and every sub-command's `--help` are Vietnamese by default and English
when the data dir's `language` setting is `en`, like the messages of errors.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import cli, errors

VIETNAMESE_LETTERS = set(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"
)
# Words that no Vietnamese help text uses but nearly every English sentence does.
ENGLISH_WORDS = frozenset((
    "the", "of", "and", "with", "for", "from", "when", "this", "only", "read", "every",
    "each", "into", "default", "see", "its", "it", "be", "is", "are", "than", "then",
    "after", "before", "one", "files", "file", "usage", "options",
))  # fmt: skip
# Option names, metavars, choices, keys and paths: the same in both languages.
TECHNICAL = re.compile(
    r"(?:^|\s)(?:-{1,2}[\w-]+|\[?[A-Z][A-Z0-9_.=,:-]*|\{[^}]*\}|\S*[/=]\S*|\S*\w[._]\w\S*)"
)


def _subparsers(parser: argparse.ArgumentParser) -> Iterator[argparse._SubParsersAction]:  # type: ignore[type-arg]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield action


def _walk(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every parser of the command tree with the words that reach it."""
    yield path, parser
    for group in _subparsers(parser):
        for name, child in group.choices.items():
            yield from _walk(child, (*path, name))


def _help_texts(parser: argparse.ArgumentParser) -> list[tuple[str, str]]:
    """(where, text) for every description, option help and sub-command help."""
    texts = []
    for path, node in _walk(parser):
        where = " ".join(("dvc-desk", *path))
        if node.description:
            texts.append((f"{where} (description)", node.description))
        for action in node._actions:
            if action.help and action.help != argparse.SUPPRESS:
                name = "/".join(action.option_strings) or action.dest
                texts.append((f"{where} {name}", action.help))
        for group in _subparsers(node):
            for choice in group._choices_actions:
                texts.append((f"{where} {choice.dest}", choice.help or ""))
    return texts


def _english_words(text: str) -> set[str]:
    prose = TECHNICAL.sub(" ", text)
    return set(re.findall(r"[A-Za-z]+", prose.lower())) & ENGLISH_WORDS


def _is_vietnamese(text: str) -> bool:
    return bool(VIETNAMESE_LETTERS & set(text)) and not _english_words(text)


def _english_only_lines(help_output: str) -> list[str]:
    """Lines of `--help` output whose prose reads as English (heuristic)."""
    return [
        line
        for line in help_output.splitlines()
        if len(_english_words(line)) >= 1 and not VIETNAMESE_LETTERS & set(line)
    ]


@pytest.fixture
def vietnamese_parser() -> argparse.ArgumentParser:
    errors.set_language("vi")
    return cli.build_parser()


@pytest.fixture
def english_parser() -> Iterator[argparse.ArgumentParser]:
    errors.set_language("en")
    yield cli.build_parser()
    errors.set_language("vi")


def test_every_help_text_is_vietnamese_by_default(
    vietnamese_parser: argparse.ArgumentParser,
) -> None:
    texts = _help_texts(vietnamese_parser)
    assert len(texts) > 150, "the walk reached every command"
    not_vietnamese = [f"{where}: {text}" for where, text in texts if not _is_vietnamese(text)]
    assert not_vietnamese == []


def test_every_help_text_is_english_when_chosen(english_parser: argparse.ArgumentParser) -> None:
    texts = _help_texts(english_parser)
    with_vietnamese = [f"{w}: {t}" for w, t in texts if VIETNAMESE_LETTERS & set(t)]
    assert with_vietnamese == []
    # Each help differs from its Vietnamese twin: the helper, not a copy, chose it.
    errors.set_language("vi")
    vietnamese = dict(_help_texts(cli.build_parser()))
    assert [w for w, t in texts if vietnamese[w] == t] == []


def _help_screen(run_cli, capsys, *words: str) -> str:  # type: ignore[no-untyped-def]
    """`dvc-desk WORDS... --help` as a user sees it (argparse prints to sys.stdout)."""
    capsys.readouterr()
    result = run_cli(*words, "--help")
    assert result.code == 0, words
    out: str = capsys.readouterr().out
    return out


def test_every_help_screen_reads_vietnamese(run_cli, capsys, vietnamese_parser) -> None:  # type: ignore[no-untyped-def]
    paths = [path for path, _ in _walk(vietnamese_parser)]
    assert ("dossier", "sign") in paths and ("certs", "list") in paths
    for path in paths:
        out = _help_screen(run_cli, capsys, *path)
        assert out.startswith("Cách dùng: dvc-desk"), path
        assert "in phần trợ giúp này rồi thoát" in out, path
        assert _english_only_lines(out) == [], path


def test_help_screens_are_english_with_the_language_setting(run_cli, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("settings", "set", "language", "en").code == 0
    top = _help_screen(run_cli, capsys)
    assert top.startswith("usage: dvc-desk")
    assert "show or change settings" in top
    assert "show this help message and exit" in top
    assert not VIETNAMESE_LETTERS & set(top)
    sign = _help_screen(run_cli, capsys, "sign")
    assert "read the .p12 password from stdin" in sign
    # The copy marks' names ({SAO Y,SAO LỤC,TRÍCH SAO}) are official words in any language.
    assert not VIETNAMESE_LETTERS & set(re.sub(r"\{[^}]*\}", "", sign))
    # The messages follow the same setting.
    assert "There is no setting named" in run_cli("settings", "set", "nope", "1").err


def test_vietnamese_help_names_what_the_option_does(run_cli, capsys) -> None:  # type: ignore[no-untyped-def]
    out = _help_screen(run_cli, capsys)
    assert "xem hoặc thay đổi thiết lập" in out
    assert "danh mục thủ tục" in out
    assert "tuỳ chọn:" in out and "options:" not in out and "usage:" not in out


def test_the_language_comes_from_the_data_dir_named_on_the_command_line(
    tmp_path: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    english = tmp_path / "english"
    assert run_cli("settings", "set", "language", "en", data=english).code == 0
    assert cli.choose_language(["--data-dir", str(english), "catalog", "--help"]) == "en"
    assert cli.choose_language(["catalog", "search", "--data", str(english)]) == "vi"
    fresh = tmp_path / "never-created"
    assert cli.choose_language(["--data-dir", str(fresh), "--help"]) == "vi"
    assert not fresh.exists(), "choosing the language creates nothing"
    assert cli.choose_language(["--data-dir"]) == "vi"


def test_the_heuristic_catches_an_english_line() -> None:
    assert _english_only_lines("  --once   send what is due now, then exit") != []
    assert _english_only_lines("  --once   gửi những gì đến hạn rồi thoát") == []
    assert not _is_vietnamese("read the password from stdin")
    assert _is_vietnamese("đọc mật khẩu từ đầu vào chuẩn (stdin)")
