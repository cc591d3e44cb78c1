"""`dvc-desk intake repair IN.pdf -o OUT.pdf`: mend a damaged PDF, saying what changed.

Registered into the `intake` command by `desktop.commands.intake.register`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.commands.context import _h, add_json_flag
from desktop.errors import language
from desktop.filecheck import damage

if TYPE_CHECKING:
    from desktop.commands.context import Context


def add_repair_action(inner: Any) -> None:
    """Add `repair` to the `intake` sub-commands."""
    mend = inner.add_parser(
        "repair",
        help=_h(
            "sửa tệp PDF bị lỗi cấu trúc (ghi lại bằng qpdf), nói rõ đã sửa gì",
            "mend a PDF with a structural defect (rewritten by qpdf), saying what changed",
        ),
    )
    mend.add_argument("input", type=Path, metavar="IN.pdf", help=_h("tệp PDF", "PDF file"))
    mend.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="OUT.pdf",
        help=_h("tệp PDF đã sửa (tệp gốc được giữ nguyên)", "mended PDF (the original is kept)"),
    )
    add_json_flag(mend)
    mend.set_defaults(handler=_repair)


def _repair(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.intake.pdfs import repair

    fixed = repair(args.input, args.output)
    what = damage.describe(fixed, language())
    ctx.emit(
        {"input": str(args.input), "output": str(args.output), "fixed": list(fixed)},
        _h(
            f"Đã sửa {args.input} thành {args.output}. Lỗi đã sửa: {what}. "
            "Tệp gốc được giữ nguyên.",
            f"Repaired {args.input} into {args.output}. Mended: {what}. "
            "The original is kept as it was.",
        ),
    )
    return 0
