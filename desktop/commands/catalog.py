"""`dvc-desk catalog import | search | show | agencies | fields`."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop import errors, paths
from desktop.catalog.formats import FORMATS, NATIVE
from desktop.catalog.model import (
    CHANNEL_LABELS,
    CHANNEL_LABELS_EN,
    FEE_KIND_LABELS,
    FEE_KIND_LABELS_EN,
    LEVELS,
    LEVELS_EN,
    ONLINE_LEVELS,
    ONLINE_LEVELS_EN,
    Agency,
    Channel,
    ComponentSpec,
    EditionInfo,
    Procedure,
    ProcedureSummary,
)
from desktop.catalog.reader import open_reader
from desktop.catalog.summaries import UNKNOWN, UNKNOWN_EN, days_text, format_amount, time_text
from desktop.commands.context import _h, add_json_flag
from desktop.commands.index import summary

if TYPE_CHECKING:
    from desktop.commands.context import Context

NAME_WIDTH = 58
AGENCY_WIDTH = 24


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "catalog",
        help=summary("catalog"),
    )
    inner = parser.add_subparsers(dest="action", metavar="ACTION")

    load = inner.add_parser(
        "import",
        help=_h("kiểm tra rồi nhập một tệp danh mục JSON", "check and import a JSON catalog file"),
    )
    load.add_argument(
        "file",
        metavar="FILE",
        help=_h(
            "tệp danh mục (docs/catalog-format.md), hoặc với --format dvcqg: tệp hay thư mục "
            "bản ghi thủ tục của Cổng DVCQG",
            "catalog file (docs/catalog-format.md), or with --format dvcqg: a file or folder "
            "of the national portal's procedure records",
        ),
    )
    load.add_argument(
        "--format",
        choices=FORMATS,
        default=NATIVE,
        help=_h(
            "native: định dạng của dvc-desk (mặc định); dvcqg: định dạng của Cổng DVCQG",
            "native: dvc-desk's format (default); dvcqg: the national portal's format",
        ),
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
        "--level",
        choices=("bo", "tinh", "xa"),
        help=_h(
            "chỉ thủ tục cấp bộ (bo), cấp tỉnh (tinh) hoặc cấp xã (xa)",
            "only ministry (bo), province (tinh) or commune (xa) procedures",
        ),
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

    history = inner.add_parser(
        "editions",
        help=_h(
            "các ấn bản của một thủ tục: nguồn, thời điểm lấy, SHA-256",
            "a procedure's editions: source, fetched at, SHA-256",
        ),
    )
    history.add_argument(
        "key", metavar="KEY", help=_h("khoá hoặc mã quốc gia", "key or national code")
    )
    add_json_flag(history)
    history.set_defaults(handler=_editions)

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
        raise argparse.ArgumentTypeError(
            _h(
                f"cần một số nguyên dương, không phải {value!r}",
                f"a positive whole number is needed, not {value!r}",
            )
        )
    return number


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _h(
                f"cần ngày dạng YYYY-MM-DD, không phải {value!r}",
                f"a date as YYYY-MM-DD is needed, not {value!r}",
            )
        ) from None


def _import(args: argparse.Namespace, ctx: Context) -> int:
    report = ctx.workspace.catalog.import_file(Path(args.file), args.format)
    ctx.emit(
        report.as_dict(),
        _h(
            f"Đã nhập {report.procedures} thủ tục ({report.added} mới, {report.updated} cập nhật "
            f"thành ấn bản mới, {report.unchanged} không đổi), {report.agencies} cơ quan, "
            f"{report.fields} lĩnh vực từ {report.source}.",
            f"Imported {report.procedures} procedure(s) ({report.added} new, {report.updated} "
            f"as a new edition, {report.unchanged} unchanged), {report.agencies} agencies, "
            f"{report.fields} fields from {report.source}.",
        ),
    )
    return 0


def _search(args: argparse.Namespace, ctx: Context) -> int:
    # The quick path (desktop/catalog/reader.py) when the data dir's SQLite file is
    # current: no SQLAlchemy, Alembic or workspace; else the workspace's catalog.
    reader = open_reader(paths.resolve(args.data_dir), getattr(args, "database", None))
    try:
        catalog = reader if reader is not None else ctx.workspace.catalog
        results = catalog.search(
            args.text, agency=args.agency, field=args.field, limit=args.limit, level=args.level
        )
    finally:
        if reader is not None:
            reader.close()
    ctx.emit([asdict(r) for r in results], lambda: _table(results, args.text))
    return 0


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(results: list[ProcedureSummary], query: str) -> str:
    if not results:
        return _h(
            f"Không tìm thấy thủ tục nào cho «{query}». Hãy thử ít từ hơn, "
            "gõ không dấu hoặc bỏ bộ lọc --agency/--field.",
            f"No procedure found for '{query}'. Try fewer words, type without diacritics "
            "or drop the --agency/--field filter.",
        )
    rows = [
        (
            _h("KHOÁ / MÃ", "KEY / CODE"),
            _h("TÊN THỦ TỤC", "PROCEDURE"),
            _h("CƠ QUAN", "AGENCY"),
            _h("PHÍ", "FEE"),
            _h("THỜI HẠN", "TIME"),
        )
    ]
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
    lines.append(
        _h(
            f"({len(results)} thủ tục; xem chi tiết: dvc-desk catalog show KHOÁ)",
            f"({len(results)} procedure(s); details: dvc-desk catalog show KEY)",
        )
    )
    return "\n".join(lines)


def _show(args: argparse.Namespace, ctx: Context) -> int:
    procedure = ctx.workspace.catalog.get(args.key)
    ctx.emit(asdict(procedure), lambda: _details(procedure))
    return 0


def _unknown() -> str:
    return _h(UNKNOWN, UNKNOWN_EN)


def _known(value: object) -> str:
    return _unknown() if value is None else str(value)


def _label(vi: dict[str, str], en: dict[str, str], key: str) -> str:
    return _h(vi.get(key, key), en.get(key, key))


def _details(p: Procedure) -> str:
    out = [p.name, ""]
    incomplete = p.incomplete(errors.language())
    if incomplete:
        out += [_h("DỮ LIỆU CHƯA ĐỦ:", "INCOMPLETE DATA:")]
        out += [f"  ! {reason}" for reason in incomplete] + [""]
    out.append(
        _h("Khoá: ", "Key: ")
        + p.key
        + _h("    Mã quốc gia: ", "    National code: ")
        + (p.code or _h("không rõ", "unknown"))
    )
    agency = p.agency.name
    if p.agency.valid_to is not None:
        agency += _h(" (đến ", " (until ") + f"{p.agency.valid_to:%d/%m/%Y})"
    out.append(_h("Cơ quan: ", "Agency: ") + f"{agency} [{p.agency.code}]")
    out.append(_h("Lĩnh vực: ", "Field: ") + f"{p.field.name} [{p.field.code}]")
    if p.levels:
        levels = ", ".join(_label(LEVELS, LEVELS_EN, v) for v in p.levels)
        out.append(_h("Cấp thực hiện: ", "Levels: ") + levels)
    level = _unknown()
    if p.online_level in ONLINE_LEVELS:
        level = _label(ONLINE_LEVELS, ONLINE_LEVELS_EN, p.online_level)
    out.append(_h("Mức độ trực tuyến: ", "Online level: ") + level)
    if p.dvcqg_page_id is not None:
        out.append(_h("Trang Cổng DVC quốc gia: ", "National portal page: ") + str(p.dvcqg_page_id))
    if p.edition is not None:
        out.append(_edition_line(p.edition))
    if p.subject_types:
        out.append(_h("Đối tượng: ", "Applicants: ") + ", ".join(s.name for s in p.subject_types))
    out += ["", _h("Cách thức thực hiện:", "How to submit:"), *_channel_lines(p)]
    out += ["", _h("Thành phần hồ sơ:", "Components:")]
    if not p.components_known:
        out.append(
            _h(
                "  CHƯA RÕ (danh mục không có danh sách thành phần; hãy hỏi cơ quan thực hiện)",
                "  UNKNOWN (the catalog lists no components; ask the agency)",
            )
        )
    elif not p.components:
        out.append(_h("  không có", "  none"))
    out += [_component(c) for c in p.components]
    out += _case_lines(p)
    out += ["", _h("Kết quả:", "Results:")]
    none = _unknown() if not p.results_known else _h("không", "none")
    out += [f"  - {r.name}" + (f" [{r.code}]" if r.code else "") for r in p.result_details] or [
        f"  {none}"
    ]
    out += ["", _h("Căn cứ pháp lý:", "Legal basis:")]
    out += [
        "  - " + " ".join(part for part in (b.number, b.title) if part) for b in p.legal_basis
    ] or [f"  {_unknown()}"]
    out += _more(p)
    return "\n".join(out)


def _edition_line(e: EditionInfo) -> str:
    fetched = ""
    if e.fetched_at:
        fetched = _h(", lấy lúc ", ", fetched ") + f"{e.fetched_at:%d/%m/%Y %H:%M}"
    digest = f", SHA-256 {e.sha256[:16]}…" if e.sha256 else ""
    return _h(
        f"Ấn bản {e.number}: {e.source_format} từ {e.source}{fetched}{digest}",
        f"Edition {e.number}: {e.source_format} from {e.source}{fetched}{digest}",
    )


def _case_lines(p: Procedure) -> list[str]:
    if not p.cases:
        return []
    out = [
        "",
        _h(
            "Trường hợp (chọn một khi lập hồ sơ: dossier new --case MÃ):",
            "Cases (choose one for a dossier: dossier new --case CODE):",
        ),
    ]
    for case in p.cases:
        codes = ", ".join(c.code for c in p.checklist(case.code) if c.attachable)
        codes = codes or _h("chỉ thành phần chung", "only the common components")
        out.append(
            f"  {case.code}. {case.name}\n      " + _h("thành phần: ", "components: ") + codes
        )
    return out


def _more(p: Procedure) -> list[str]:
    """Conditions, steps, how results return, notes."""
    out: list[str] = []
    if p.conditions:
        out += ["", _h("Yêu cầu, điều kiện:", "Requirements and conditions:"), f"  {p.conditions}"]
    if p.steps:
        out += ["", _h("Trình tự thực hiện:", "Steps:")]
        out += [
            f"  {n}. " + (f"{st.name}: " if st.name else "") + st.description.split("\n")[0]
            for n, st in enumerate(p.steps, start=1)
        ]
    if p.returning_methods:
        out += ["", _h("Trả kết quả: ", "Result returned: ") + ", ".join(p.returning_methods)]
    if p.notes:
        out += ["", _h("Ghi chú:", "Notes:")] + [f"  - {n}" for n in p.notes]
    return out


def _days(channel: Channel) -> str:
    """A channel's processing time with what is known of its kind of days."""
    language = errors.language()
    days = time_text(channel.time, language) if channel.time else _unknown()
    if channel.time is None and channel.processing_days is not None:
        days = days_text(channel.processing_days, channel.day_type, language)
    if channel.time is not None and channel.time.unit == "day" and channel.day_type == "calendar":
        days += _h(" (ngày lịch, tính cả ngày nghỉ)", " (calendar days, holidays included)")
    if channel.processing_days is not None and channel.day_type is None:
        days += _h(
            " (không rõ ngày làm việc hay ngày lịch)", " (working or calendar days: unknown)"
        )
    return days


def _channel_lines(p: Procedure) -> list[str]:
    out: list[str] = []
    if not p.channels:
        out.append(f"  {_unknown()}")
    fees = _h("      Phí, lệ phí: ", "      Fees and charges: ")
    for channel in p.channels:
        days = _days(channel)
        out.append(f"  - {_label(CHANNEL_LABELS, CHANNEL_LABELS_EN, channel.kind)}: {days}")
        if channel.note and channel.note != days:
            out.append(f"      {channel.note}")
        if not channel.fees_known:
            out.append(fees + _unknown())
        elif not channel.fees:
            out.append(fees + _h("không", "none"))
        for fee in channel.fees:
            regulated = _h("theo quy định", "as regulated") if fee.description else _unknown()
            amount = format_amount(fee, errors.language()) or regulated
            label = _label(FEE_KIND_LABELS, FEE_KIND_LABELS_EN, fee.kind)
            code = f" [{fee.code}]" if fee.code else ""
            note = f" ({fee.note})" if fee.note else ""
            described = f" — {fee.description}" if fee.description else ""
            out.append(f"      {label}{code}: {amount}{note}{described}")
    return out


def _component(c: ComponentSpec) -> str:
    if not c.attachable:
        return f"  {c.code}. " + _h("(ghi chú) ", "(remark) ") + c.name
    required = {
        True: _h("bắt buộc", "required"),
        False: _h("không bắt buộc", "optional"),
        None: _h("cần kiểm tra", "needs checking"),
    }[c.required]
    parts = [
        _h("bản chính: ", "originals: ") + _known(c.originals),
        _h("bản sao: ", "copies: ") + _known(c.copies),
        required,
    ]
    template = _h("mẫu: ", "template: ")
    if c.template:
        parts.append(template + c.template)
    if c.templates:
        parts.append(template + ", ".join(t.name for t in c.templates))
    if c.case:
        parts.append(_h("trường hợp: ", "case: ") + c.case)
    if c.accepted_types:
        parts.append(_h("loại tệp: ", "file types: ") + ", ".join(c.accepted_types))
    if c.max_size:
        parts.append(_h("tối đa ", "at most ") + f"{c.max_size // 1_000_000} MB")
    line = f"  {c.code}. {c.name}\n      " + "; ".join(parts)
    return line + (f"\n      {c.note}" if c.note else "")


def _editions(args: argparse.Namespace, ctx: Context) -> int:
    procedure = ctx.workspace.catalog.get(args.key)
    found = ctx.workspace.catalog.editions(procedure.key)

    def text() -> str:
        lines = [f"{procedure.name} [{procedure.key}]"]
        for e in found:
            fetched = ""
            if e.fetched_at:
                fetched = _h(", lấy lúc ", ", fetched ") + f"{e.fetched_at:%d/%m/%Y %H:%M}"
            digest = f", SHA-256 {e.sha256}" if e.sha256 else ""
            source = f"{e.source} ({e.source_format}{fetched}{digest})"
            lines.append(
                _h(
                    f"  ấn bản {e.number}: nhập {e.imported_at:%d/%m/%Y %H:%M} từ {source}",
                    f"  edition {e.number}: imported {e.imported_at:%d/%m/%Y %H:%M} from {source}",
                )
            )
        if found:
            return "\n".join(lines)
        return lines[0] + _h(": chưa có ấn bản nào.", ": no edition yet.")

    ctx.emit([asdict(e) for e in found], text)
    return 0


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
