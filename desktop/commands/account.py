"""`dvc-desk account register|login --portal URL --username NAME [--password-stdin]`."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import sys
from typing import TYPE_CHECKING, Any

from desktop.commands.context import _h, add_json_flag
from desktop.errors import UserError, define
from desktop.settings import CREDENTIAL_STORE, PORTAL_URL

if TYPE_CHECKING:
    from desktop.commands.context import Context

E_NO_PASSWORD = define(
    "account.no_password",
    vi="Chưa nhập mật khẩu. Hãy nhập khi được hỏi, hoặc gửi qua stdin với --password-stdin.",
    en="No password given. Type it when asked, or pipe it with --password-stdin.",
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "account",
        help=_h(
            "tài khoản trên cổng: đăng ký hoặc đăng nhập", "portal account: register or log in"
        ),
    )
    inner = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    reg = inner.add_parser(
        "register",
        help=_h(
            "tạo tài khoản trên cổng (xác nhận qua thư điện tử)",
            "create a portal account (confirm by e-mail)",
        ),
    )
    login = inner.add_parser(
        "login",
        help=_h(
            "đăng nhập và lưu thông tin đăng nhập vào kho khoá của hệ điều hành",
            "log in and keep the credentials in the OS keyring",
        ),
    )
    for sub in (reg, login):
        sub.add_argument(
            "--portal",
            metavar="URL",
            help=_h(
                "địa chỉ cổng (mặc định: thiết lập portal_url)",
                "portal base URL (default: the portal_url setting)",
            ),
        )
        sub.add_argument(
            "--username", required=True, metavar="NAME", help=_h("tên đăng nhập", "user name")
        )
        sub.add_argument(
            "--password-stdin",
            action="store_true",
            help=_h(
                "đọc mật khẩu từ đầu vào chuẩn (stdin) thay vì hỏi",
                "read the password from stdin instead of asking",
            ),
        )
        add_json_flag(sub)
    reg.add_argument(
        "--email", required=True, help=_h("thư điện tử để nhận thư xác nhận", "e-mail address")
    )
    reg.add_argument("--full-name", required=True, help=_h("họ và tên", "full name"))
    reg.add_argument("--phone", required=True, help=_h("số điện thoại", "phone number"))
    reg.set_defaults(handler=_register)
    login.set_defaults(handler=_login)


def _portal(args: argparse.Namespace, ctx: Context) -> str:
    # The workspace is opened first in any case: it chooses where credentials are kept.
    settings = ctx.workspace.settings
    portal: str = args.portal or settings.get(PORTAL_URL)
    return portal.rstrip("/")


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(_h("Mật khẩu: ", "Password: "))
    if not password:
        raise UserError(E_NO_PASSWORD)
    return password


def _register(args: argparse.Namespace, ctx: Context) -> int:
    from pydantic import ValidationError

    from desktop.portal.adapter import make_adapter
    from desktop.portal.contract import AccountRegistration
    from desktop.portal.errors import PortalRefusedError

    portal = _portal(args, ctx)
    password = _password(args)
    try:
        registration = AccountRegistration(
            username=args.username,
            email=args.email,
            password=password,
            full_name=args.full_name,
            phone=args.phone,
        )
    except ValidationError as exc:
        fields = ", ".join(str(e["loc"][0]) for e in exc.errors())
        raise PortalRefusedError(
            "request.invalid", status=422, title="invalid registration", errors=fields
        ) from exc
    client = make_adapter("v1", portal)
    with contextlib.closing(client):
        accepted = client.register(registration)
    ctx.emit(
        {"portal": portal, "username": accepted.username, "state": accepted.state},
        _h(
            f"Đã gửi đăng ký tài khoản «{accepted.username}» tới {portal}. Hãy mở liên kết "
            "trong thư xác nhận (cổng thử nghiệm: /sandbox/mail), rồi chạy "
            "«dvc-desk account login».",
            f"Sent the registration of '{accepted.username}' to {portal}. Open the link in the "
            "confirmation mail (sandbox portal: /sandbox/mail), then run "
            "'dvc-desk account login'.",
        ),
    )
    return 0


def _login(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.portal.adapter import make_adapter
    from desktop.portal.credentials import CredentialStore

    portal = _portal(args, ctx)
    password = _password(args)
    client = make_adapter("v1", portal)
    with contextlib.closing(client):
        tokens = client.login(args.username, password)
    store = CredentialStore()
    store.save(portal, args.username, password)
    if tokens is not None:
        store.save_tokens(portal, args.username, tokens)
    encrypted = ctx.workspace.settings.get(CREDENTIAL_STORE) == "encrypted-file"
    ctx.emit(
        {
            "portal": portal,
            "username": args.username,
            "expires_in": tokens.expires_in if tokens else None,
        },
        _h(
            f"Đã đăng nhập {portal} với tài khoản «{args.username}»; thông tin đăng nhập được "
            + (
                "giữ trong tệp khoá mã hoá bằng mật khẩu chính."
                if encrypted
                else "giữ trong kho khoá của hệ điều hành."
            ),
            f"Logged in to {portal} as '{args.username}'; the credentials are kept in "
            + (
                "the key file encrypted with the master password."
                if encrypted
                else "the operating system's keyring."
            ),
        ),
    )
    return 0
