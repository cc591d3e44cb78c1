"""The `dvc-desk` command line: the desktop app when run bare, subcommands otherwise.

Exit codes: 0 done, 1 the user's input was refused, 2 usage, 3 the portal could not be
reached, 4 an integrity problem was found.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

from desktop import __version__, errors, paths
from desktop.commands import index
from desktop.display import SafeWriter
from desktop.errors import DvcError
from desktop.settings import LANGUAGE, Settings
from desktop.storage import failures

if TYPE_CHECKING:
    from desktop.commands.context import Context

log = logging.getLogger(__name__)

E_OUT_OF_MEMORY = errors.define(
    "cli.out_of_memory",
    vi="Không đủ bộ nhớ để làm việc này; không có gì bị thay đổi. Hãy đóng bớt chương trình "
    "khác hoặc chia nhỏ đầu vào rồi thử lại.",
    en="Not enough memory for this; nothing was changed. Close other programs or split the "
    "input and try again.",
)

E_NOT_UTF8 = errors.define(
    "cli.not_utf8",
    vi="Một tham số hoặc tên tệp có byte không phải UTF-8; không có gì bị thay đổi. Hãy đổi "
    "tên tệp hoặc đặt terminal sang UTF-8 rồi thử lại.",
    en="An argument or file name holds bytes that are not UTF-8; nothing was changed. "
    "Rename the file or set the terminal to UTF-8 and try again.",
)

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_UNREACHABLE, EXIT_INTEGRITY = 0, 1, 2, 3, 4
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a Unix tool in that case


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; help texts in the language chosen (see `choose_language`).

    Without `argv` every command module is imported and registers its full parser. With
    `argv` only the module of the command it names is; the other commands get a bare
    parser with their one-line help (enough for `--help` and for "invalid choice"), so
    that `--version`, `--help` and a quick command do not import every library."""
    from desktop.commands.context import ArgumentParser, _h

    parser = ArgumentParser(
        prog="dvc-desk",
        # No abbreviations of dvc-desk's own options: argparse would read a command's
        # `--data` (portal-sandbox) as an ambiguous `--data-dir`/`--database`.
        allow_abbrev=False,
        description=_h(
            "dvc-desk: chuẩn bị, ký số và nộp hồ sơ dịch vụ công, kể cả khi không có mạng.",
            "dvc-desk: prepare, sign and submit public-service dossiers, even offline.",
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"dvc-desk {__version__}",
        help=_h("in số phiên bản rồi thoát", "show the version number and exit"),
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=_h(
            f"thư mục dữ liệu (mặc định: ${paths.ENV_HOME} hoặc thư mục dữ liệu của người dùng)",
            f"data folder (default: ${paths.ENV_HOME} or the user data dir)",
        ),
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help=_h(
            "cơ sở dữ liệu dùng chung postgresql://... cho lệnh này (mặc định: cài đặt "
            "database_url, hoặc tệp SQLite trong thư mục dữ liệu)",
            "a shared postgresql://... database for this command (default: the database_url "
            "setting, or the SQLite file in the data folder)",
        ),
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=_h(
            "mở cửa sổ chính, in 'ready' khi đã vẽ xong lần đầu rồi thoát (kiểm tra cài đặt)",
            "open the main window, print 'ready' after its first paint and exit",
        ),
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    chosen = None if argv is None else index.find(_command_word(argv) or "")
    registered: set[str] = set()
    for command in index.COMMANDS:
        if argv is None or (chosen is not None and command.module == chosen.module):
            if command.module not in registered:
                registered.add(command.module)
                importlib.import_module(command.module).register(subparsers)
        else:
            subparsers.add_parser(command.name, help=index.summary(command.name))
    return parser


_VALUE_OPTIONS = ("--data-dir", "--database")  # options of `dvc-desk` itself with a value


def _command_word(argv: Sequence[str]) -> str | None:
    """The first word of `argv` that is not an option of `dvc-desk` itself or its value."""
    takes_value = False
    for word in argv:
        if takes_value:
            takes_value = False
        elif word == "--":
            continue
        elif word.startswith("-"):
            # --data-dir DIR, --database URL (written out: the parser takes no abbreviation)
            takes_value = word in _VALUE_OPTIONS
        else:
            return word
    return None


def _run_gui(args: argparse.Namespace) -> int:
    # Loaded by name so that the core never imports Qt (ARCHITECTURE §1).
    gui = importlib.import_module("ui.app")
    result: int = gui.main(data_dir=args.data_dir, smoke=args.smoke)
    return result


def _bare_gui_args(argv: list[str]) -> argparse.Namespace | None:
    """`dvc-desk [--data-dir DIR] [--smoke]` parsed without importing every command
    module (signing, intake, ... cost a second of start-up); None for anything else."""
    bare = argparse.ArgumentParser(add_help=False, allow_abbrev=False, exit_on_error=False)
    bare.add_argument("--data-dir")
    bare.add_argument("--smoke", action="store_true")
    try:
        args, rest = bare.parse_known_args(argv)
    except argparse.ArgumentError:
        return None
    return None if rest else args


def choose_language(argv: Sequence[str]) -> str:
    """The language of messages and help texts: the data dir's `language` setting.

    Read before the parser is built (help texts are chosen then), from the data dir
    `--data-dir` names, without creating anything; the workspace reads the same setting
    for the messages of errors.
    """
    early = argparse.ArgumentParser(add_help=False, allow_abbrev=False, exit_on_error=False)
    early.add_argument("--data-dir")
    try:
        known, _rest = early.parse_known_args(list(argv))
    except (argparse.ArgumentError, SystemExit):
        known = argparse.Namespace(data_dir=None)
    settings = Settings(paths.resolve(known.data_dir).settings_file)
    language: str = settings.get(LANGUAGE)
    return language


def quiet_library_warnings() -> None:
    """Library warnings (cryptography's "DSA is deprecated", ...) go to the log file,
    never to a clerk's terminal; `python -W` or PYTHONWARNINGS still shows them, and
    tests, which call `main` with arguments, keep them."""
    if sys.warnoptions:
        return
    logging.captureWarnings(True)
    # No handler of its own: to the log file once the workspace sets it up, and never
    # to logging's last-resort stderr handler before that.
    logging.getLogger("py.warnings").addHandler(logging.NullHandler())


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    if argv is None:
        quiet_library_warnings()
    gui_args = _bare_gui_args(sys.argv[1:] if argv is None else list(argv))
    if gui_args is not None:
        return _run_gui(gui_args)
    # Imported after the GUI path: it loads the workspace (SQLAlchemy, Alembic), which
    # the app opens on a helper thread instead.
    from desktop.commands.context import Context

    errors.set_language(choose_language(sys.argv[1:] if argv is None else argv))
    parser = build_parser(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.command is None:
        return _run_gui(args)
    # Everything printed goes through safe_text: a note with `\x1b[2J` or a name with a
    # bidi override from the portal or a file is shown escaped, never obeyed.
    ctx = Context(args=args, out=SafeWriter(out), err=SafeWriter(err))  # type: ignore[arg-type]
    try:
        return _dispatch(args, ctx, err)
    finally:
        ctx.close()


def _dispatch(args: argparse.Namespace, ctx: Context, err: TextIO) -> int:
    """Run the command's handler; every failure becomes a message and an exit code."""
    from desktop.commands.context import _h

    try:
        handler: Callable[[argparse.Namespace, Context], int] = args.handler
        code = handler(args, ctx)
        ctx.out.flush()  # a closed pipe is found here, not in Python's flush at exit
        return code
    except DvcError as exc:
        return _refused(exc, ctx)
    except BrokenPipeError:
        # `dvc-desk ... | head`: the reader has all it wanted; end quietly as Unix tools do.
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except UnicodeEncodeError as exc:
        if "surrogates" not in str(exc.reason):
            raise
        # Bytes that were not UTF-8 (an argument, a file name) reached text that must be.
        return _refused(errors.UserError(E_NOT_UTF8), ctx)
    except MemoryError:
        # Inputs are bounded (images, catalogs); this is the last line of defence.
        return _refused(errors.UserError(E_OUT_OF_MEMORY), ctx)
    except KeyboardInterrupt:
        err.write(_h("dvc-desk: đã dừng (Ctrl+C).\n", "dvc-desk: stopped (Ctrl+C).\n"))
        return 130
    except Exception as exc:
        # A full disk, a read-only folder or a damaged database: one clear message,
        # never SQLAlchemy's text (it quotes the statement's parameters, i.e. row data).
        mapped = failures.as_dvc_error(exc, paths.resolve(args.data_dir).database)
        if mapped is None:
            raise
        return _refused(mapped, ctx)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so that Python's flush at exit raises nothing more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # not a real file (tests): nothing to flush later
        pass


def _refused(exc: DvcError, ctx: Context) -> int:
    log.info("command %s refused: %s %s", ctx.args.command, exc.code, exc.params)
    if ctx.json:
        json.dump({"error": exc.as_dict()}, ctx.out, ensure_ascii=False, indent=2)
        ctx.out.write("\n")
    ctx.err.write(f"dvc-desk: {exc.message()}\n")
    return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
