"""`dvc-desk account register|login --portal URL --username NAME [--password-stdin]`,
`dvc-desk account login --oidc` (the browser, OpenID Connect), `account portals` and
`account use-portal ID` (portal profiles)."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING, Any

from desktop.commands.context import _h, add_json_flag
from desktop.commands.index import summary
from desktop.errors import UserError, define
from desktop.settings import CREDENTIAL_STORE, PORTAL_URL

if TYPE_CHECKING:
    from desktop.commands.context import Context

E_NO_PASSWORD = define(
    "account.no_password",
    vi="Chưa nhập mật khẩu. Hãy nhập khi được hỏi, hoặc gửi qua stdin với --password-stdin.",
    en="No password given. Type it when asked, or pipe it with --password-stdin.",
)


E_NO_USERNAME = define(
    "account.no_username",
    vi="Hãy cho biết tên đăng nhập: --username TÊN (hoặc đăng nhập qua trình duyệt: --oidc).",
    en="Give the user name: --username NAME (or log in through the browser: --oidc).",
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "account",
        help=summary("account"),
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
            "--username",
            required=sub is reg,
            metavar="NAME",
            help=_h("tên đăng nhập", "user name"),
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
    login.add_argument(
        "--oidc",
        action="store_true",
        help=_h(
            "đăng nhập qua trình duyệt bằng OpenID Connect (nhà cung cấp của hồ sơ cổng); "
            "chỉ lưu thẻ làm mới, không lưu mật khẩu",
            "log in through the browser with OpenID Connect (the portal profile's provider); "
            "keeps the refresh token, no password",
        ),
    )
    login.add_argument(
        "--issuer",
        metavar="URL",
        help=_h(
            "nhà cung cấp OpenID (mặc định: của hồ sơ cổng đang dùng)",
            "OpenID provider (default: the active portal profile's)",
        ),
    )
    login.add_argument(
        "--no-browser",
        action="store_true",
        help=_h(
            "không tự mở trình duyệt: chỉ in địa chỉ trang đăng nhập",
            "do not open a browser: only print the log-in page address",
        ),
    )
    login.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help=_h("thời gian chờ đăng nhập (giây)", "how long to wait for the log-in (seconds)"),
    )
    reg.set_defaults(handler=_register)
    login.set_defaults(handler=_login)
    portals = inner.add_parser(
        "portals",
        help=_h(
            "liệt kê các hồ sơ cổng (cổng quốc gia, 34 tỉnh, cổng thử nghiệm)",
            "list the portal profiles (national portal, 34 provinces, sandbox)",
        ),
    )
    add_json_flag(portals)
    portals.set_defaults(handler=_portals)
    use = inner.add_parser(
        "use-portal",
        help=_h(
            "chọn hồ sơ cổng để dùng (mặc định: sandbox)",
            "choose the portal profile to use (default: sandbox)",
        ),
    )
    use.add_argument("profile", metavar="ID", help=_h("mã hồ sơ cổng", "profile id"))
    add_json_flag(use)
    use.set_defaults(handler=_use_portal)


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
    from desktop.portal import accounts

    portal = _portal(args, ctx)
    password = _password(args)
    accepted = accounts.register(
        portal, args.username, password,
        email=args.email, full_name=args.full_name, phone=args.phone,
    )  # fmt: skip
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
    from desktop.portal import accounts

    if args.oidc:
        return _login_oidc(args, ctx)
    if not args.username:
        raise UserError(E_NO_USERNAME)
    portal = _portal(args, ctx)
    password = _password(args)
    workspace = ctx.workspace
    # Through the active profile's adapter: an lgsp platform opens a session, API v1 tokens.
    tokens = accounts.login_on_profile(
        workspace.settings, workspace.paths.root, portal, args.username, password
    )
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


def _login_oidc(args: argparse.Namespace, ctx: Context) -> int:
    import webbrowser

    from desktop.portal.oidc_account import log_in

    def show(url: str) -> None:
        ctx.err.write(
            _h(
                f"Đăng nhập trong trình duyệt; nếu trình duyệt không tự mở, hãy mở:\n{url}\n",
                f"Log in in the browser; if it does not open by itself, open:\n{url}\n",
            )
        )
        ctx.err.flush()
        if not args.no_browser:
            webbrowser.open(url)

    workspace = ctx.workspace
    done = log_in(
        workspace.settings,
        workspace.paths.root,
        _portal(args, ctx),
        show,
        issuer=args.issuer,
        timeout=args.timeout,
    )
    ctx.emit(
        {"portal": done.portal, "username": done.username, "issuer": done.issuer, "oidc": True},
        _h(
            f"Đã đăng nhập {done.portal} với tài khoản «{done.username}» qua {done.issuer}; "
            "thẻ làm mới được giữ trong kho khoá, không lưu mật khẩu.",
            f"Logged in to {done.portal} as '{done.username}' through {done.issuer}; the "
            "refresh token is kept in the keyring, no password is stored.",
        ),
    )
    return 0


def _portals(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.portal.profiles import active_profile, load_profiles

    root = ctx.workspace.paths.root
    profiles = load_profiles(root)
    current = active_profile(ctx.workspace.settings, root).id
    rows = [
        {
            "id": p.id,
            "name": p.name,
            "kind": p.kind,
            "api_url": p.api_url,
            "web_url": p.web_url,
            "oidc_issuer": p.oidc_issuer,
            "province_code": p.province_code,
            "needs_configuration": p.needs_configuration,
            "active": p.id == current,
        }
        for p in profiles.values()
    ]

    def text() -> str:
        todo = _h("cần cấu hình", "needs configuration")
        return "\n".join(
            f"{'*' if r['active'] else ' '} {r['id']:<12} {r['kind']:<5} {r['name']}"
            + (f"  ({todo})" if r["needs_configuration"] else f"  {r['api_url'] or ''}")
            for r in rows
        )

    ctx.emit(rows, text)
    return 0


def _use_portal(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.portal.profiles import choose_profile

    workspace = ctx.workspace
    chosen = choose_profile(workspace.settings, workspace.paths.root, args.profile)
    from desktop.settings import PORTAL_URL

    url = workspace.settings.get(PORTAL_URL)
    ctx.emit(
        {"profile": chosen.id, "name": chosen.name, "kind": chosen.kind, "portal_url": url},
        _h(
            f"Đang dùng hồ sơ cổng «{chosen.name}» ({url}).",
            f"Now using the portal profile '{chosen.name}' ({url}).",
        ),
    )
    return 0
