"""`dvc-desk account register|login --portal URL --username NAME [--password-stdin]`."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING, Any

from desktop.commands.context import add_json_flag
from desktop.errors import UserError, define
from desktop.settings import PORTAL_URL

if TYPE_CHECKING:
    from desktop.commands.context import Context

E_NO_PASSWORD = define(
    "account.no_password",
    vi="Chưa nhập mật khẩu. Hãy nhập khi được hỏi, hoặc gửi qua stdin với --password-stdin.",
    en="No password given. Type it when asked, or pipe it with --password-stdin.",
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("account", help="portal account: register or log in")
    inner = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    reg = inner.add_parser("register", help="create a portal account (confirm by e-mail)")
    login = inner.add_parser("login", help="log in and keep the credentials in the OS keyring")
    for sub in (reg, login):
        sub.add_argument("--portal", metavar="URL", help="portal base URL (default: setting)")
        sub.add_argument("--username", required=True)
        sub.add_argument(
            "--password-stdin", action="store_true", help="read the password from stdin"
        )
        add_json_flag(sub)
    reg.add_argument("--email", required=True)
    reg.add_argument("--full-name", required=True)
    reg.add_argument("--phone", required=True)
    reg.set_defaults(handler=_register)
    login.set_defaults(handler=_login)


def _portal(args: argparse.Namespace, ctx: Context) -> str:
    portal: str = args.portal or ctx.workspace.settings.get(PORTAL_URL)
    return portal.rstrip("/")


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Mật khẩu / password: ")
    if not password:
        raise UserError(E_NO_PASSWORD)
    return password


def _register(args: argparse.Namespace, ctx: Context) -> int:
    from pydantic import ValidationError

    from desktop.portal.client import PortalClient
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
    with PortalClient(portal) as client:
        accepted = client.register(registration)
    ctx.emit(
        {"portal": portal, "username": accepted.username, "state": accepted.state},
        f"Đã gửi đăng ký tài khoản «{accepted.username}» tới {portal}. Hãy mở liên kết trong "
        "thư xác nhận (cổng thử nghiệm: /sandbox/mail), rồi chạy «dvc-desk account login».",
    )
    return 0


def _login(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.portal.client import PortalClient
    from desktop.portal.credentials import CredentialStore

    portal = _portal(args, ctx)
    password = _password(args)
    with PortalClient(portal) as client:
        tokens = client.login(args.username, password)
    store = CredentialStore()
    store.save(portal, args.username, password)
    store.save_tokens(portal, args.username, tokens)
    ctx.emit(
        {"portal": portal, "username": args.username, "expires_in": tokens.expires_in},
        f"Đã đăng nhập {portal} với tài khoản «{args.username}»; thông tin đăng nhập được giữ "
        "trong kho khoá của hệ điều hành.",
    )
    return 0
