"""What every command handler receives, and small helpers shared by commands."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from desktop import errors, paths

if TYPE_CHECKING:
    # Imported when a handler first asks for it: building the parser (and `--help`,
    # `--version`) must not load SQLAlchemy and every service.
    from desktop.datadir import DataDir
    from desktop.workspace import Workspace


def _h(vi: str, en: str) -> str:
    """A help text in the language of the messages (the `language` setting, see
    desktop.cli): Vietnamese unless English was chosen. Evaluated when the parser is
    built, which happens after the language is known."""
    return en if errors.language() == "en" else vi


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter with its "usage:" prefix in the chosen language."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[Any],
        prefix: str | None = None,
    ) -> None:
        if prefix is None:
            prefix = _h("Cách dùng: ", "usage: ")
        super().add_usage(usage, actions, groups, prefix)


class ArgumentParser(argparse.ArgumentParser):
    """argparse's parser with its own words (headings, -h) in the chosen language.

    Sub-command parsers are made by the same class (argparse's default), so one
    parser at the root is enough. argparse's error messages stay in English.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        add_help = kwargs.get("add_help", True)
        kwargs["add_help"] = False  # our own -h below, with a translated help text
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = _h("tham số", "positional arguments")
        self._optionals.title = _h("tuỳ chọn", "options")
        if add_help:
            self.add_argument(
                "-h",
                "--help",
                action="help",
                default=argparse.SUPPRESS,
                help=_h("in phần trợ giúp này rồi thoát", "show this help message and exit"),
            )


@dataclass
class Context:
    """What a command handler gets: the data dir, output streams and the workspace."""

    args: argparse.Namespace
    out: TextIO
    err: TextIO
    _workspace: Workspace | None = field(default=None, repr=False)
    _data_dir: DataDir | None = field(default=None, repr=False)

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            from desktop.workspace import Workspace

            self._workspace = Workspace(
                paths.resolve(self.args.data_dir), database=getattr(self.args, "database", None)
            )
        return self._workspace

    @property
    def data_dir(self) -> DataDir:
        """The data dir's folders and settings without its database: the workspace's when
        it is open, else opened alone (`sign` of a loose file never loads SQLAlchemy)."""
        from desktop.datadir import DataDir, open_data_dir

        if self._workspace is not None:
            ws = self._workspace
            return DataDir(ws.paths, ws.settings, ws.log_file)
        if self._data_dir is None:
            self._data_dir = open_data_dir(paths.resolve(self.args.data_dir))
        return self._data_dir

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    def emit(self, data: Any, text: str | Callable[[], str]) -> None:
        """Print `data` as JSON with --json, else the human text."""
        if self.json:
            json.dump(data, self.out, ensure_ascii=False, indent=2, default=str)
            self.out.write("\n")
        else:
            self.out.write((text() if callable(text) else text).rstrip("\n") + "\n")

    def close(self) -> None:
        if self._workspace is not None:
            self._workspace.close()


# The largest number SQLite stores in an INTEGER column.
MAX_NUMBER = 2**63 - 1


def number(text: str) -> int:
    """argparse type of a record number (dossier, attachment) or a count: 0 … 2^63-1.

    `int` alone takes `1e21`-sized ids that SQLite cannot even compare (OverflowError)."""
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _h(f"«{text}» không phải số nguyên", f"'{text}' is not a whole number")
        ) from None
    if not 0 <= value <= MAX_NUMBER:
        raise argparse.ArgumentTypeError(
            _h(f"số {text[:24]} nằm ngoài khoảng 0…2^63-1", f"{text[:24]} is outside 0…2^63-1")
        )
    return value


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json",
        action="store_true",
        help=_h("in kết quả dạng JSON (cho chương trình khác đọc)", "machine-readable output"),
    )
