"""`dvc-desk settings [show | set NAME VALUE]`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from desktop.commands.context import _h, add_json_flag
from desktop.commands.index import summary
from desktop.settings import declared

if TYPE_CHECKING:
    from desktop.commands.context import Context


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("settings", help=summary("settings"))
    inner = parser.add_subparsers(dest="action", metavar="ACTION")
    show = inner.add_parser(
        "show", help=_h("mọi thiết lập kèm giá trị hiện tại", "every setting with its value")
    )
    add_json_flag(show)
    show.set_defaults(handler=_show)
    change = inner.add_parser("set", help=_h("đổi một thiết lập", "change one setting"))
    change.add_argument(
        "name", metavar="NAME", help=_h("tên thiết lập (xem: settings show)", "setting name")
    )
    change.add_argument("value", metavar="VALUE", help=_h("giá trị mới", "new value"))
    change.set_defaults(handler=_set)
    parser.set_defaults(handler=_show, json=False)


def _show(args: argparse.Namespace, ctx: Context) -> int:
    values = ctx.workspace.settings.as_dict()
    specs = declared()

    def text() -> str:
        return "\n".join(
            f"{name} = {value!r}\n    {specs[name].description}" for name, value in values.items()
        )

    ctx.emit(values, text)
    return 0


def _set(args: argparse.Namespace, ctx: Context) -> int:
    ctx.workspace.settings.set_by_name(args.name, args.value)
    ctx.out.write(f"{args.name} = {ctx.workspace.settings.as_dict()[args.name]!r}\n")
    return 0
