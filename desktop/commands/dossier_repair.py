"""`dvc-desk dossier repair ID ATTACHMENT`: mend a damaged attached PDF in place.

Registered into the `dossier` command by `desktop.commands.dossier.register`; the
window's "Sửa tệp" calls the same `DossierService.repair`.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from desktop.commands.context import _h, add_json_flag
from desktop.errors import language
from desktop.filecheck import damage

if TYPE_CHECKING:
    from desktop.commands.context import Context


def add_repair_action(inner: Any) -> None:
    """Add `repair` to the `dossier` sub-commands."""
    mend = inner.add_parser(
        "repair",
        help=_h(
            "sửa một tệp PDF đính kèm bị lỗi cấu trúc (bản gốc vẫn được giữ trong kho)",
            "mend an attached PDF with a structural defect (the original stays in the store)",
        ),
    )
    mend.add_argument("id", type=int, metavar="ID", help=_h("số hồ sơ", "dossier number"))
    mend.add_argument(
        "attachment",
        type=int,
        metavar="ATTACHMENT",
        help=_h("số tệp đính kèm (#, xem dossier show)", "attachment number (#, see dossier show)"),
    )
    add_json_flag(mend)
    mend.set_defaults(handler=_repair)


def _repair(args: argparse.Namespace, ctx: Context) -> int:
    dossier, fixed = ctx.workspace.dossiers.repair(args.id, args.attachment)
    name = next((a.name for a in dossier.attachments if a.id == args.attachment), "")
    what = damage.describe(fixed, language())
    ctx.emit(
        {"dossier": dossier.as_dict(), "attachment": args.attachment, "fixed": list(fixed)},
        _h(
            f"Đã sửa tệp «{name}» (#{args.attachment}) của hồ sơ số {dossier.id}. Lỗi đã "
            f"sửa: {what}. Bản gốc vẫn được giữ trong kho dữ liệu.",
            f"Repaired '{name}' (#{args.attachment}) of dossier {dossier.id}. Mended: {what}. "
            "The original stays in the data store.",
        ),
    )
    return 0
