"""`dvc-desk intake pdfa | check | metadata ...` and the archival options of the other
intake commands (``--pdfa``, ``--ocr``, ``--metadata``, ``--meta``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop import paths
from desktop.atomic import atomic_output
from desktop.commands.context import _h, add_json_flag
from desktop.errors import UserError, define
from desktop.intake import metadata, pdfa, quality
from desktop.intake.archive import ArchiveOptions
from desktop.intake.files import check_output
from desktop.intake.pdfa_check import check
from desktop.settings import INTAKE_PDFA, Settings

if TYPE_CHECKING:
    from desktop.commands.context import Context

E_CHECK_NOTHING = define(
    "intake.check_nothing",
    vi="Chưa có tệp nào để kiểm tra. Hãy ghi các tệp PDF, hoặc --dossier SỐ.",
    en="There is nothing to check. Give PDF files, or --dossier ID.",
)


def add_archive_options(parser: argparse.ArgumentParser, *, ocr: bool = False) -> None:
    """--pdfa / --no-pdfa, --metadata FILE, --meta KEY=VALUE (and --ocr when asked)."""
    parser.add_argument(
        "--pdfa",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=_h(
            "tạo PDF/A-2b để lưu trữ (mặc định theo thiết lập intake_pdfa)",
            "make PDF/A-2b for the archive (default: the intake_pdfa setting)",
        ),
    )
    parser.add_argument(
        "--metadata",
        type=Path,
        metavar="FILE",
        help=_h(
            "tệp siêu dữ liệu hồ sơ, mỗi dòng trường=giá trị (xem docs/intake.md)",
            "record metadata file, one field=value per line (see docs/intake.md)",
        ),
    )
    parser.add_argument(
        "--meta",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help=_h("một trường siêu dữ liệu hồ sơ (lặp lại được)", "one record field (repeatable)"),
    )
    if ocr:
        parser.add_argument(
            "--ocr",
            action="store_true",
            help=_h(
                "thêm lớp chữ tiếng Việt (ocrmypdf, tesseract-ocr-vie)",
                "add a Vietnamese text layer (ocrmypdf, tesseract-ocr-vie)",
            ),
        )


def record_of(args: argparse.Namespace, *, defaults: bool = True) -> metadata.RecordMetadata | None:
    """The record metadata given by --metadata and --meta (None when neither)."""
    record = None
    if args.metadata is not None:
        record = metadata.read_file(args.metadata, defaults=defaults)
    if args.meta:
        extra = metadata.parse_pairs(args.meta, "--meta")
        record = extra if record is None else record.merged(extra)
    return record


def archive_options(args: argparse.Namespace) -> ArchiveOptions:
    """What the options (or the workspace setting, for --pdfa) ask of the archival step."""
    wanted = args.pdfa
    if wanted is None:
        settings = Settings(paths.resolve(args.data_dir).settings_file)
        wanted = settings.get(INTAKE_PDFA)
    return ArchiveOptions(
        pdfa=bool(wanted), ocr=bool(getattr(args, "ocr", False)), record=record_of(args)
    )


def register(inner: Any) -> None:
    convert = inner.add_parser(
        "pdfa",
        help=_h(
            "chuyển PDF (hoặc ảnh) sang PDF/A-2b không làm đổi nội dung, hoặc nói vì sao không",
            "make a PDF (or image) PDF/A-2b without changing its content, or say why not",
        ),
    )
    convert.add_argument("input", type=Path, metavar="IN", help=_h("tệp PDF hoặc ảnh", "file"))
    convert.add_argument(
        "-o", "--output", required=True, type=Path, metavar="OUT.pdf",
        help=_h("tệp PDF/A kết quả", "output PDF/A"),
    )  # fmt: skip
    convert.add_argument(
        "--metadata", type=Path, metavar="FILE",
        help=_h("tệp siêu dữ liệu hồ sơ (trường=giá trị)", "record metadata file (field=value)"),
    )  # fmt: skip
    convert.add_argument(
        "--meta", action="append", default=[], metavar="FIELD=VALUE",
        help=_h("một trường siêu dữ liệu hồ sơ (lặp lại được)", "one record field (repeatable)"),
    )  # fmt: skip
    add_json_flag(convert)
    convert.set_defaults(handler=_pdfa)

    inspect = inner.add_parser(
        "check",
        help=_h(
            "kiểm tra bản quét trước khi ký: độ phân giải, màu, trang trắng, độ nghiêng, số "
            "trang, độ tin cậy nhận dạng chữ, và PDF/A",
            "check scans before signing: resolution, colour, blank pages, skew, page "
            "count, OCR confidence, and PDF/A",
        ),
    )
    inspect.add_argument("files", nargs="*", type=Path, metavar="FILE.pdf")
    inspect.add_argument(
        "--dossier", type=int, metavar="ID",
        help=_h("kiểm tra mọi tệp PDF của hồ sơ này", "check every PDF of this dossier"),
    )  # fmt: skip
    inspect.add_argument(
        "--pages", type=int, metavar="N",
        help=_h("số trang phải có (mặc định: theo siêu dữ liệu hồ sơ)", "expected page count"),
    )  # fmt: skip
    inspect.add_argument(
        "--ocr", action="store_true",
        help=_h(
            "đo cả độ tin cậy nhận dạng chữ và chiều chữ (tesseract; chậm hơn)",
            "also measure OCR confidence and text orientation (tesseract; slower)",
        ),
    )  # fmt: skip
    add_json_flag(inspect)
    inspect.set_defaults(handler=_check)

    meta = inner.add_parser(
        "metadata",
        help=_h(
            "siêu dữ liệu hồ sơ lưu trữ: set, show, export (CSV/JSON)",
            "record metadata: set, show, export (CSV/JSON)",
        ),
    )
    actions = meta.add_subparsers(dest="meta_action", metavar="ACTION", required=True)
    put = actions.add_parser("set", help=_h("ghi các trường cho một hồ sơ", "set fields"))
    put.add_argument("dossier", type=int, metavar="ID")
    put.add_argument("pairs", nargs="*", metavar="FIELD=VALUE")
    put.add_argument("--metadata", type=Path, metavar="FILE", help=_h("tệp trường=giá trị", "file"))
    put.set_defaults(handler=_meta_set)
    show = actions.add_parser("show", help=_h("xem siêu dữ liệu của hồ sơ", "show a record"))
    show.add_argument("dossier", type=int, metavar="ID")
    add_json_flag(show)
    show.set_defaults(handler=_meta_show)
    export = actions.add_parser(
        "export", help=_h("xuất CSV hoặc JSON cho hệ thống lưu trữ", "export CSV or JSON")
    )
    export.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    export.add_argument("--format", choices=("csv", "json"), default=None)
    export.add_argument("--dossier", type=int, action="append", default=[], metavar="ID")
    export.set_defaults(handler=_meta_export)


def _pdfa(args: argparse.Namespace, ctx: Context) -> int:
    report = pdfa.convert(args.input, args.output, record_of(args, defaults=False))
    ctx.emit(
        vars(report),
        f"Đã tạo {report.output} (PDF/A-2b, {report.pages} trang), đã kiểm tra theo "
        "docs/intake.md. Tệp gốc được giữ nguyên.",
    )
    return 0


def _check(args: argparse.Namespace, ctx: Context) -> int:
    files: list[tuple[Path, str]] = [(p, p.name) for p in args.files]
    expected = args.pages
    if args.dossier is not None:
        workspace = ctx.workspace
        dossier = workspace.dossiers.get(args.dossier)
        files += [
            (workspace.store.path(a.sha256), f"{a.component_code}: {a.name}")
            for a in dossier.attachments
            if a.media_type == "application/pdf"
        ]
        record = workspace.records.get(dossier.id)
        if expected is None and record is not None and record.get("pages"):
            expected = int(record.get("pages"))
    if not files:
        raise UserError(E_CHECK_NOTHING)
    use_ocr = bool(args.ocr) and quality.ocr_available()
    results = []
    for path, shown in files:
        report = quality.check_file(path, expected_pages=expected, ocr=use_ocr)
        archive = [p.message() for p in check(path)]
        results.append((shown, report, archive))

    def text() -> str:
        lines = []
        for shown, report, archive in results:
            state = "đạt" if report.ok else f"{len(report.issues)} điểm cần xử lý"
            pdfa_state = "PDF/A-2b: đạt" if not archive else "không phải PDF/A-2b"
            lines.append(f"{shown}: {len(report.pages)} trang, {state}; {pdfa_state}")
            lines += [f"  [{i.action}] {i.message()}" for i in report.issues]
        if args.ocr and not use_ocr:
            lines.append("Chưa đo độ tin cậy nhận dạng chữ: chưa cài tesseract-ocr-vie.")
        return "\n".join(lines)

    ctx.emit([{"file": s, **r.as_dict(), "pdfa_problems": a} for s, r, a in results], text)
    return 0 if all(r.ok for _s, r, _a in results) else 1


def _meta_set(args: argparse.Namespace, ctx: Context) -> int:
    record = metadata.parse_pairs(args.pairs, "dòng lệnh / command line")
    if args.metadata is not None:
        record = metadata.read_file(args.metadata).merged(record)
    ctx.workspace.records.save(args.dossier, record, merge=True)
    ctx.emit(
        {"dossier": args.dossier, **record.values}, f"Đã lưu siêu dữ liệu hồ sơ {args.dossier}."
    )
    return 0


def _meta_show(args: argparse.Namespace, ctx: Context) -> int:
    ctx.workspace.dossiers.get(args.dossier)  # refuses an unknown dossier
    record = ctx.workspace.records.get(args.dossier)
    values = record.as_dict() if record is not None else {}

    def text() -> str:
        if record is None:
            return f"Hồ sơ {args.dossier} chưa có siêu dữ liệu lưu trữ."
        return "\n".join(f"{f.vi}: {values[f.key]}" for f in metadata.FIELDS if values[f.key])

    ctx.emit({"dossier": args.dossier, **values}, text)
    return 0


def _meta_export(args: argparse.Namespace, ctx: Context) -> int:
    check_output(args.output, [])  # a missing folder is said before anything is read
    kind = args.format or ("json" if args.output.suffix.lower() == ".json" else "csv")
    rows = ctx.workspace.records.export_rows(args.dossier or None)
    body = metadata.to_json(rows) if kind == "json" else metadata.to_csv(rows)
    with atomic_output(args.output) as out:
        out.write(body.encode("utf-8"))
    ctx.emit(
        {"output": str(args.output), "records": len(rows), "format": kind},
        f"Đã xuất {len(rows)} hồ sơ ({kind.upper()}) vào {args.output}.",
    )
    return 0
