"""`dvc-desk user ...` (the office's accounts) and `dvc-desk audit export`; `dossier
audit ID` is added to the dossier commands from here (issue #17 item 3)."""

from __future__ import annotations

import argparse
import getpass
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.commands.context import _h, add_json_flag, number
from desktop.commands.index import summary
from desktop.errors import UserError, define

if TYPE_CHECKING:
    from desktop.commands.context import Context
    from desktop.office.audit import Entry

E_PASSWORDS_DIFFER = define(
    "office.passwords_differ",
    vi="Hai lần nhập mật khẩu không giống nhau; chưa có gì thay đổi. Hãy nhập lại.",
    en="The two passwords typed differ; nothing was changed. Type them again.",
)
E_PASSWORD_STDIN = define(
    "office.password_stdin_empty",
    vi="Không đọc được mật khẩu từ đầu vào chuẩn (dòng đầu trống). Hãy gửi mật khẩu trên dòng đầu.",
    en="No password on standard input (the first line is empty). Send it on the first line.",
)
ROLES_HELP = (
    "clerk (tiếp nhận), signer (ký), sender (gửi, thanh toán), admin",
    "clerk, signer, sender, admin",
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("user", help=summary("user"))
    inner = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = inner.add_parser("add", help=_h("thêm tài khoản", "add an account"))
    add.add_argument("login", metavar="LOGIN", help=_h("tên đăng nhập", "login name"))
    add.add_argument("--name", default="", help=_h("tên hiển thị, vd «Chị Lan»", "display name"))
    add.add_argument("--role", required=True, help=_h(*ROLES_HELP))
    _password_options(add)
    add.set_defaults(handler=_add)
    listing = inner.add_parser("list", help=_h("các tài khoản", "the accounts"))
    add_json_flag(listing)
    listing.set_defaults(handler=_list)
    role = inner.add_parser("role", help=_h("đổi vai trò", "change an account's role"))
    role.add_argument("login", metavar="LOGIN", help=_h("tên đăng nhập", "login name"))
    role.add_argument("role", metavar="ROLE", help=_h(*ROLES_HELP))
    role.set_defaults(handler=_role)
    passwd = inner.add_parser("passwd", help=_h("đặt mật khẩu", "set a password"))
    passwd.add_argument("login", metavar="LOGIN", help=_h("tên đăng nhập", "login name"))
    _password_options(passwd)
    passwd.set_defaults(handler=_passwd)
    whoami = inner.add_parser("whoami", help=_h("tài khoản đang dùng", "the account in use"))
    add_json_flag(whoami)
    whoami.set_defaults(handler=_whoami)

    audit = subparsers.add_parser("audit", help=summary("audit"))
    audit_inner = audit.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = audit_inner.add_parser("export", help=_h("xuất nhật ký ra CSV", "export as CSV"))
    export.add_argument(
        "--dossier", type=number, metavar="ID", help=_h("chỉ một hồ sơ", "one dossier only")
    )
    export.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=_h("tệp CSV (mặc định: in ra)", "CSV file (default: print)"),
    )
    export.set_defaults(handler=_export)


def add_audit_action(inner: Any) -> None:
    """`dossier audit ID`: who did what to one dossier."""
    audit = inner.add_parser(
        "audit", help=_h("ai đã làm gì với hồ sơ, ở máy nào", "who did what to a dossier, where")
    )
    audit.add_argument("id", type=number, metavar="ID", help=_h("số hồ sơ", "dossier number"))
    add_json_flag(audit)
    audit.set_defaults(handler=_dossier_audit)


def _password_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--password-stdin", action="store_true",
        help=_h("đọc mật khẩu từ dòng đầu của đầu vào chuẩn", "read the password from stdin"),
    )  # fmt: skip
    group.add_argument(
        "--os-account",
        action="store_true",
        help=_h(
            "không mật khẩu: tài khoản hệ điều hành cùng tên xác thực người dùng",
            "no password: the OS account of the same name vouches for the user",
        ),
    )


def ask_new_password(args: argparse.Namespace) -> str | None:
    """A new password: none for an OS account, the first line of stdin, or typed twice."""
    if args.os_account:
        return None
    if args.password_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise UserError(E_PASSWORD_STDIN)
        return line
    first = getpass.getpass(_h("Mật khẩu mới: ", "New password: "))
    if first != getpass.getpass(_h("Nhập lại: ", "Again: ")):
        raise UserError(E_PASSWORDS_DIFFER)
    return first


def _add(args: argparse.Namespace, ctx: Context) -> int:
    directory = ctx.workspace.office.directory
    directory.check_new(args.login, args.role)
    user = directory.add(args.login, args.name, args.role, ask_new_password(args))
    ctx.out.write(
        _h(f"Đã thêm {user.login} ({user.role}).\n", f"Added {user.login} ({user.role}).\n")
    )
    return 0


def _list(args: argparse.Namespace, ctx: Context) -> int:
    users = ctx.workspace.office.directory.list()
    rows = [
        {"login": u.login, "name": u.display_name, "role": u.role,
         "password": u.has_password, "active": u.active}
        for u in users
    ]  # fmt: skip

    def text() -> str:
        if not users:
            return _h(
                "Chưa có tài khoản: người dùng hệ điều hành là quản trị viên (một máy).",
                "No accounts: the OS user is the administrator (single PC).",
            )
        return "\n".join(
            f"{u.login:<16} {u.role:<7} {u.display_name}"
            + ("" if u.has_password else _h("  (tài khoản hệ điều hành)", "  (OS account)"))
            for u in users
        )

    ctx.emit(rows, text)
    return 0


def _role(args: argparse.Namespace, ctx: Context) -> int:
    user = ctx.workspace.office.directory.set_role(args.login, args.role)
    ctx.out.write(f"{user.login}: {user.role}\n")
    return 0


def _passwd(args: argparse.Namespace, ctx: Context) -> int:
    user = ctx.workspace.office.directory.set_password(args.login, ask_new_password(args))
    ctx.out.write(
        _h(f"Đã đổi mật khẩu của {user.login}.\n", f"Password of {user.login} changed.\n")
    )
    return 0


def _whoami(args: argparse.Namespace, ctx: Context) -> int:
    actor = ctx.workspace.office.actor()
    data = {"login": actor.login, "name": actor.display_name, "role": actor.role.value,
            "implicit": actor.implicit}  # fmt: skip
    ctx.emit(data, f"{actor.login} ({actor.role.value}) {actor.display_name}")
    return 0


def _entries_text(entries: list[Entry]) -> str:
    return "\n".join(
        f"{e.at:%Y-%m-%d %H:%M:%S}  {e.display_name} ({e.login}, {e.role}) @ {e.host}  "
        f"{e.action}  {e.detail}"
        for e in entries
    )


def _dossier_audit(args: argparse.Namespace, ctx: Context) -> int:
    workspace = ctx.workspace
    entries = workspace.office.trail.entries(args.id)
    if not entries:
        workspace.dossiers.get(args.id)  # "no such dossier" when it never existed
    rows = [
        {"at": e.at.isoformat(), "login": e.login, "name": e.display_name, "role": e.role,
         "host": e.host, "action": e.action, "detail": e.detail}
        for e in entries
    ]  # fmt: skip
    ctx.emit(rows, lambda: _entries_text(entries))
    return 0


def _export(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.atomic import atomic_output
    from desktop.office.audit import write_csv

    entries = ctx.workspace.office.trail.entries(args.dossier)
    buffer = io.StringIO()
    count = write_csv(entries, buffer)
    if args.output:
        with atomic_output(Path(args.output)) as f:
            f.write(buffer.getvalue().encode("utf-8"))
        ctx.err.write(
            _h(
                f"Đã ghi {count} dòng vào {args.output}.\n",
                f"Wrote {count} rows to {args.output}.\n",
            )
        )
    else:
        ctx.out.write(buffer.getvalue())
    return 0
