"""`dvc-desk intake ...`: scans to compliant, compact PDFs, one file or a folder tree."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.commands.context import add_json_flag
from desktop.intake import compress, pages
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

    merge = inner.add_parser("merge", help="PDFs and images, in the given order, into one PDF")
    merge.add_argument("inputs", nargs="+", type=Path, metavar="FILE")
    merge.add_argument("-o", "--output", required=True, type=Path, metavar="OUT.pdf")
    add_json_flag(merge)
    merge.set_defaults(handler=_merge)

    edit = inner.add_parser(
        "pages",
        help="delete, rotate and reorder pages (numbers are those of the input file)",
    )
    edit.add_argument("input", type=Path, metavar="IN.pdf")
    edit.add_argument("-o", "--output", required=True, type=Path, metavar="OUT.pdf")
    edit.add_argument("--order", help="new order of the kept pages, e.g. 3,1,2")
    edit.add_argument(
        "--rotate",
        action="append",
        default=[],
        metavar="PAGE:DEGREES",
        help="rotate a page clockwise, e.g. 2:90 (repeatable)",
    )
    edit.add_argument("--delete", help="pages to delete, e.g. 4 or 4-6,9")
    add_json_flag(edit)
    edit.set_defaults(handler=_pages)

    cut = inner.add_parser("split", help="one PDF per page range: PREFIX-1.pdf, PREFIX-2.pdf…")
    cut.add_argument("input", type=Path, metavar="IN.pdf")
    cut.add_argument("--pages", required=True, help="ranges, one output each, e.g. 1-3,4-5")
    cut.add_argument("-o", "--output", required=True, type=Path, metavar="PREFIX")
    add_json_flag(cut)
    cut.set_defaults(handler=_split)

    squeeze = inner.add_parser(
        "compress", help="re-encode and downsample a scan to fit a size limit (≥ 200 dpi)"
    )
    squeeze.add_argument("input", type=Path, metavar="IN")
    squeeze.add_argument("-o", "--output", required=True, type=Path, metavar="OUT.pdf")
    squeeze.add_argument("--max-size", required=True, help="e.g. 10MB (MB = 1,000,000 bytes)")
    squeeze.add_argument("--min-dpi", type=float, default=MIN_DPI, help="lowest resolution kept")
    squeeze.add_argument(
        "--allow-below-200dpi",
        action="store_true",
        help="allow --min-dpi under the 200 dpi the digitising rules ask for",
    )
    add_json_flag(squeeze)
    squeeze.set_defaults(handler=_compress)


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


def _merge(args: argparse.Namespace, ctx: Context) -> int:
    result = pages.merge(args.inputs, args.output)
    ctx.emit(
        vars(result), f"Đã ghép {len(args.inputs)} tệp thành {result.output}: {result.pages} trang."
    )
    return 0


def _pages(args: argparse.Namespace, ctx: Context) -> int:
    result = pages.edit_pages(
        args.input,
        args.output,
        order=pages.parse_pages(args.order) if args.order else (),
        rotate=[pages.parse_rotation(r) for r in args.rotate],
        delete=pages.parse_pages(args.delete) if args.delete else (),
    )
    ctx.emit(vars(result), f"Đã ghi {result.output}: {result.pages} trang.")
    return 0


def _split(args: argparse.Namespace, ctx: Context) -> int:
    results = pages.split(args.input, pages.parse_ranges(args.pages), args.output)
    ctx.emit(
        [vars(r) for r in results],
        "\n".join(f"Đã ghi {r.output}: {r.pages} trang." for r in results),
    )
    return 0


def _compress(args: argparse.Namespace, ctx: Context) -> int:
    report = compress.compress(
        args.input,
        args.output,
        compress.parse_size(args.max_size),
        min_dpi=args.min_dpi,
        allow_below_rule=args.allow_below_200dpi,
    )

    def text() -> str:
        size = compress.format_size
        if not report.changed:
            return (
                f"{args.input} đã nhỏ hơn giới hạn ({size(report.size)}); "
                f"đã chép nguyên vẹn sang {report.output}."
            )
        lines = [
            f"Đã nén {args.input} ({size(report.original_size)}) thành {report.output}: "
            f"{size(report.size)}, độ phân giải thấp nhất {report.dpi_reached or '?'} dpi "
            f"(trước đó {report.dpi_before or '?'} dpi), chất lượng JPEG {report.quality}.",
            "Tệp gốc được giữ nguyên.",
        ]
        if report.below_rule:
            lines.append(f"  cảnh báo: dưới mức {MIN_DPI} dpi theo quy định số hoá.")
        return "\n".join(lines)

    ctx.emit(report.as_dict(), text)
    return 0


def _mb(size: int) -> str:
    return compress.format_size(size)
