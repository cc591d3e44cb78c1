"""`dvc-desk intake ...`: scans to compliant, compact PDFs, one file or a folder tree."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.commands.context import add_json_flag
from desktop.intake.convert import ConversionReport, images_to_pdf
from desktop.intake.images import MIN_DPI

if TYPE_CHECKING:
    from desktop.commands.context import Context


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "intake", help="scans to PDF: images2pdf, merge, pages, split, compress, watch, batch"
    )
    inner = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    images = inner.add_parser("images2pdf", help="JPEG/PNG/TIFF images to one PDF, in order")
    images.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    images.add_argument("-o", "--output", required=True, type=Path, metavar="OUT.pdf")
    images.add_argument(
        "--dpi", type=float, help="resolution to use for images that record none (or all)"
    )
    add_json_flag(images)
    images.set_defaults(handler=_images2pdf)


def _low_resolution_lines(report: ConversionReport) -> list[str]:
    lines = []
    for item in report.low_resolution:
        why = " (tệp không ghi độ phân giải; tạm tính)" if item.assumed else ""
        lines.append(
            f"  cảnh báo: trang {item.page} ({Path(item.source).name}) chỉ {item.dpi:g} dpi"
            f"{why}, dưới mức {MIN_DPI} dpi theo quy định số hoá; nên quét lại."
        )
    return lines


def _images2pdf(args: argparse.Namespace, ctx: Context) -> int:
    report = images_to_pdf(args.images, args.output, dpi=args.dpi)

    def text() -> str:
        head = f"Đã tạo {report.output}: {report.pages} trang, {_mb(report.size)}."
        return "\n".join([head, *_low_resolution_lines(report)])

    ctx.emit(report.as_dict(), text)
    return 0


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.2f} MB"
