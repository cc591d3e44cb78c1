"""`dvc-desk catalog import | search | show | agencies | fields`."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.catalog.model import (
    CHANNEL_LABELS,
    FEE_KIND_LABELS,
    ONLINE_LEVELS,
    Agency,
    ComponentSpec,
    Procedure,
    ProcedureSummary,
)
from desktop.catalog.summaries import UNKNOWN, days_text, format_vnd
from desktop.commands.context import _h, add_json_flag

if TYPE_CHECKING:
    from desktop.commands.context import Context

NAME_WIDTH = 58
AGENCY_WIDTH = 24


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "catalog",
        help=_h(
            "danh mục thủ tục: nhập, tìm (gõ không dấu được), xem chi tiết",
            "procedure catalog: import, search (diacritics optional), details",
        ),
    )
    inner = parser.add_subparsers(dest="action", metavar="ACTION")

    load = inner.add_parser(
        "import",
        help=_h("kiểm tra rồi nhập một tệp danh mục JSON", "check and import a JSON catalog file"),
    )
    load.add_argument(
        "file",
        metavar="FILE",
        help=_h("tệp danh mục (docs/catalog-format.md)", "catalog file (docs/catalog-format.md)"),
    )
    add_json_flag(load)
    load.set_defaults(handler=_import)

    find = inner.add_parser(
        "search",
        help=_h(
            "tìm thủ tục (gõ không dấu được, viết tắt như CCHN)",
            "find procedures (diacritics optional, initialisms like CCHN)",
        ),
    )
    find.add_argument(
        "text",
        metavar="TEXT",
        nargs="?",
        default="",
        help=_h(
            "từ khoá; từ khoá bắt đầu bằng '-' thì đặt sau '--': catalog search -- -abc",
            "search words; words starting with '-' go after '--': catalog search -- -abc",
        ),
    )
    find.add_argument(
        "--agency",
        metavar="CODE",
        help=_h("chỉ thủ tục của cơ quan này", "only this agency's procedures"),
    )
    find.add_argument(
        "--field",
        metavar="CODE",
        help=_h("chỉ thủ tục thuộc lĩnh vực này", "only procedures of this field"),
    )
    find.add_argument(
        "--limit",
        metavar="N",
        type=_positive,
        default=50,
        help=_h("hiện tối đa N dòng (mặc định 50)", "at most N rows (default 50)"),
    )
    add_json_flag(find)
    find.set_defaults(handler=_search)

    show = inner.add_parser(
        "show",
        help=_h(
            "chi tiết một thủ tục: thành phần hồ sơ, cách nộp, phí, căn cứ pháp lý",
            "one procedure in full: components, channels, fees, legal basis",
        ),
    )
    show.add_argument(
        "key",
        metavar="KEY",
        help=_h("khoá thủ tục hoặc mã quốc gia", "procedure key or national code"),
    )
    add_json_flag(show)
    show.set_defaults(handler=_show)

    agencies = inner.add_parser(
        "agencies", help=_h("các cơ quan thực hiện", "agencies handling the procedures")
    )
    agencies.add_argument(
        "--on",
        metavar="YYYY-MM-DD",
        type=_day,
        help=_h("chỉ các cơ quan còn hoạt động vào ngày này", "only agencies existing on this day"),
    )
    add_json_flag(agencies)
    agencies.set_defaults(handler=_agencies)

    fields = inner.add_parser("fields", help=_h("các lĩnh vực", "fields (areas of procedures)"))
    add_json_flag(fields)
    fields.set_defaults(handler=_fields)

    parser.set_defaults(handler=lambda _args, ctx: _usage(parser, ctx), json=False)


def _usage(parser: argparse.ArgumentParser, ctx: Context) -> int:
    ctx.err.write(parser.format_help())
    return 2


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number <= 0:
        raise argparse.ArgumentTypeError(f"cần một số nguyên dương, không phải {value!r}")
    return number


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"cần ngày dạng YYYY-MM-DD, không phải {value!r}"
        ) from None


def _import(args: argparse.Namespace, ctx: Context) -> int:
    report = ctx.workspace.catalog.import_file(Path(args.file))
    ctx.emit(
        report.as_dict(),
        f"Đã nhập {report.procedures} thủ tục ({report.added} mới, {report.updated} cập nhật), "
        f"{report.agencies} cơ quan, {report.fields} lĩnh vực từ {report.source}.",
    )
    return 0


def _search(args: argparse.Namespace, ctx: Context) -> int:
    results = ctx.workspace.catalog.search(
        args.text, agency=args.agency, field=args.field, limit=args.limit
    )
    ctx.emit([asdict(r) for r in results], lambda: _table(results, args.text))
    return 0


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(results: list[ProcedureSummary], query: str) -> str:
    if not results:
        return (
            f"Không tìm thấy thủ tục nào cho «{query}». Hãy thử ít từ hơn, "
            "gõ không dấu hoặc bỏ bộ lọc --agency/--field."
        )
    rows = [("KHOÁ / MÃ", "TÊN THỦ TỤC", "CƠ QUAN", "PHÍ", "THỜI HẠN")]
    for r in results:
        ident = r.key if r.code is None else f"{r.key} ({r.code})"
        rows.append(
            (
                ident,
                _clip(r.name, NAME_WIDTH),
                _clip(r.agency_name, AGENCY_WIDTH),
                r.fee_summary,
                r.processing_summary,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.append(f"({len(results)} thủ tục; xem chi tiết: dvc-desk catalog show KHOÁ)")
    return "\n".join(lines)


def _show(args: argparse.Namespace, ctx: Context) -> int:
    procedure = ctx.workspace.catalog.get(args.key)
    ctx.emit(asdict(procedure), lambda: _details(procedure))
    return 0


def _known(value: object) -> str:
    return UNKNOWN if value is None else str(value)


def _details(p: Procedure) -> str:
    out = [p.name, ""]
    out.append(f"Khoá: {p.key}    Mã quốc gia: {p.code or 'không rõ'}")
    agency = p.agency.name
    if p.agency.valid_to is not None:
        agency += f" (đến {p.agency.valid_to:%d/%m/%Y})"
    out.append(f"Cơ quan: {agency} [{p.agency.code}]")
    out.append(f"Lĩnh vực: {p.field.name} [{p.field.code}]")
    level = ONLINE_LEVELS.get(p.online_level or "", UNKNOWN)
    out.append(f"Mức độ trực tuyến: {level}")
    if p.dvcqg_page_id is not None:
        out.append(f"Trang Cổng DVC quốc gia: {p.dvcqg_page_id}")
    out += ["", "Cách thức thực hiện:", *_channel_lines(p)]
    out += ["", "Thành phần hồ sơ:"]
    if not p.components_known:
        out.append("  CHƯA RÕ (danh mục không có danh sách thành phần; hãy hỏi cơ quan thực hiện)")
    elif not p.components:
        out.append("  không có")
    out += [_component(c) for c in p.components]
    out += ["", "Kết quả:"]
    out += [f"  - {r}" for r in p.results] or [f"  {UNKNOWN if not p.results_known else 'không'}"]
    out += ["", "Căn cứ pháp lý:"]
    out += [f"  - {b.number}" + (f" {b.title}" if b.title else "") for b in p.legal_basis] or [
        f"  {UNKNOWN}"
    ]
    if p.conditions:
        out += ["", "Điều kiện:", f"  {p.conditions}"]
    if p.notes:
        out += ["", "Ghi chú:"] + [f"  - {n}" for n in p.notes]
    return "\n".join(out)


def _channel_lines(p: Procedure) -> list[str]:
    out: list[str] = []
    if not p.channels:
        out.append(f"  {UNKNOWN}")
    for channel in p.channels:
        days = (
            UNKNOWN
            if channel.processing_days is None
            else days_text(channel.processing_days, channel.day_type)
        )
        if channel.processing_days is not None and channel.day_type is None:
            days += " (không rõ ngày làm việc hay ngày lịch)"
        elif channel.day_type == "calendar":
            days += " (ngày lịch, tính cả ngày nghỉ)"
        out.append(f"  - {CHANNEL_LABELS.get(channel.kind, channel.kind)}: {days}")
        if channel.note:
            out.append(f"      {channel.note}")
        if not channel.fees_known:
            out.append(f"      Phí, lệ phí: {UNKNOWN}")
        elif not channel.fees:
            out.append("      Phí, lệ phí: không")
        for fee in channel.fees:
            amount = UNKNOWN if fee.amount is None else format_vnd(fee.amount)
            label = FEE_KIND_LABELS.get(fee.kind, fee.kind)
            code = f" [{fee.code}]" if fee.code else ""
            note = f" ({fee.note})" if fee.note else ""
            out.append(f"      {label}{code}: {amount}{note}")
    return out


def _component(c: ComponentSpec) -> str:
    required = {True: "bắt buộc", False: "không bắt buộc", None: "không rõ bắt buộc"}[c.required]
    parts = [f"bản chính: {_known(c.originals)}", f"bản sao: {_known(c.copies)}", required]
    if c.template:
        parts.append(f"mẫu: {c.template}")
    if c.case:
        parts.append(f"trường hợp: {c.case}")
    if c.accepted_types:
        parts.append("loại tệp: " + ", ".join(c.accepted_types))
    if c.max_size:
        parts.append(f"tối đa {c.max_size // 1_000_000} MB")
    line = f"  {c.code}. {c.name}\n      " + "; ".join(parts)
    return line + (f"\n      {c.note}" if c.note else "")


def _agency_line(a: Agency) -> str:
    span = ""
    if a.valid_from or a.valid_to:
        start = f"{a.valid_from:%d/%m/%Y}" if a.valid_from else "…"
        end = f"{a.valid_to:%d/%m/%Y}" if a.valid_to else "nay"
        span = f"  ({start} – {end})"
    successor = f"  → {a.successor_code}" if a.successor_code else ""
    return f"{a.code:<16} {a.name}{span}{successor}"


def _agencies(args: argparse.Namespace, ctx: Context) -> int:
    found = ctx.workspace.catalog.agencies(on=args.on)
    ctx.emit([asdict(a) for a in found], lambda: "\n".join(_agency_line(a) for a in found))
    return 0


def _fields(args: argparse.Namespace, ctx: Context) -> int:
    found = ctx.workspace.catalog.fields()
    ctx.emit([asdict(f) for f in found], lambda: "\n".join(f"{f.code:<16} {f.name}" for f in found))
    return 0
