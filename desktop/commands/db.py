"""`dvc-desk db migrate-to postgresql://...`: move this workspace to the office's
shared PostgreSQL database (issue #17 item 5; desktop/office/move.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.commands.context import _h, add_json_flag
from desktop.commands.index import summary
from desktop.commands.office import ROLES_HELP

if TYPE_CHECKING:
    from desktop.commands.context import Context


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("db", help=summary("db"))
    inner = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    move = inner.add_parser(
        "migrate-to",
        help=_h(
            "chép toàn bộ dữ liệu sang PostgreSQL trống, kiểm tra số dòng và mã băm",
            "copy everything to an empty PostgreSQL database, checked by counts and hashes",
        ),
    )
    move.add_argument(
        "url",
        metavar="URL",
        help=_h(
            "địa chỉ cơ sở dữ liệu trống: postgresql://người-dùng@máy-chủ:5432/tên",
            "an empty database: postgresql://user@server:5432/name",
        ),
    )
    move.add_argument(
        "--blobs",
        metavar="DIR",
        help=_h(
            "thư mục kho tệp dùng chung của văn phòng: tệp đính kèm được chép vào đó",
            "the office's shared file store folder: attachments are copied there",
        ),
    )
    add_json_flag(move)
    move.set_defaults(handler=_migrate_to)
    roles = inner.add_parser(
        "setup-roles",
        help=_h(
            "tạo vai trò cơ sở dữ liệu cho từng vai trò (dvc_clerk…) và cấp quyền; chạy "
            "bằng chủ sở hữu cơ sở dữ liệu",
            "create a database role per app role (dvc_clerk…) and grant it; run as the owner",
        ),
    )
    roles.add_argument(
        "url", metavar="URL", help=_h("địa chỉ, đăng nhập bằng chủ sở hữu", "owner's URL")
    )
    roles.set_defaults(handler=_setup_roles)
    login = inner.add_parser(
        "add-login",
        help=_h(
            "tạo tài khoản đăng nhập cơ sở dữ liệu của một người, thuộc một vai trò",
            "create a person's database login in one role",
        ),
    )
    login.add_argument(
        "url", metavar="URL", help=_h("địa chỉ, đăng nhập bằng chủ sở hữu", "owner's URL")
    )
    login.add_argument(
        "name", metavar="NAME", help=_h("tên đăng nhập cơ sở dữ liệu", "database login name")
    )
    login.add_argument("--role", required=True, help=_h(*ROLES_HELP))
    login.add_argument(
        "--password-stdin", action="store_true",
        help=_h("đọc mật khẩu từ dòng đầu của đầu vào chuẩn", "read the password from stdin"),
    )  # fmt: skip
    login.set_defaults(handler=_add_login, os_account=False)


def _setup_roles(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.office import pg_roles

    pg_roles.apply(args.url)
    ctx.out.write(
        _h(
            "Đã tạo và cấp quyền cho: " + ", ".join(pg_roles.GROUPS.values()) + ".\n",
            "Created and granted: " + ", ".join(pg_roles.GROUPS.values()) + ".\n",
        )
    )
    return 0


def _add_login(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.commands.office import ask_new_password
    from desktop.office import pg_roles
    from desktop.office.roles import parse_role

    role = parse_role(args.role)
    password = ask_new_password(args)
    pg_roles.apply(args.url, {args.name: (role, password or "")})
    ctx.out.write(f"{args.name}: {pg_roles.GROUPS[role]}\n")
    return 0


def _migrate_to(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.office.move import migrate_to
    from desktop.office.roles import Action
    from desktop.progress import Progress

    workspace = ctx.workspace
    workspace.office.require(Action.MANAGE_USERS)

    def progress(p: Progress) -> None:
        if not ctx.json and p.label:
            ctx.err.write(f"[{p.done}/{p.total}] {p.label}\n")

    report = migrate_to(
        workspace.db.engine,
        workspace.paths.root,
        workspace.paths.blobs,
        args.url,
        copy_blobs_to=Path(args.blobs) if args.blobs else None,
        actor=workspace.office.actor(),
        progress=progress,
    )
    data = {
        "url": report.url,
        "rows": report.rows,
        "blobs": report.blobs,
        "blob_bytes": report.blob_bytes,
        "tables": [{"table": t.table, "rows": t.rows, "sha256": t.sha256} for t in report.tables],
    }

    def text() -> str:
        lines = [f"  {t.table:<28} {t.rows:>8}  {t.sha256[:16]}" for t in report.tables if t.rows]
        return "\n".join(
            [
                _h(
                    f"Đã chuyển sang {report.url}: {report.rows} dòng, {report.blobs} tệp; "
                    "số dòng và mã băm từng bảng khớp với nguồn (dữ liệu ở máy này không đổi).",
                    f"Moved to {report.url}: {report.rows} rows, {report.blobs} files; every "
                    "table's count and hash match the source (this PC's data is unchanged).",
                ),
                *lines,
                _h(
                    "Từ nay, trên mỗi máy: «dvc-desk settings set database_url URL» "
                    "(hoặc --database URL).",
                    "From now on, on each PC: 'dvc-desk settings set database_url URL' "
                    "(or --database URL).",
                ),
            ]
        )

    ctx.emit(data, text)
    return 0
