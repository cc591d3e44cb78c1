"""`dvc-desk intake ...`: scans to compliant, compact PDFs, one file or a folder tree."""

from __future__ import annotations

import argparse
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.commands import intake_archive
from desktop.commands.context import _h, add_json_flag, number
from desktop.commands.index import summary
from desktop.commands.intake_repair import add_repair_action
from desktop.dossier.model import ERROR
from desktop.dossier.service import E_UNKNOWN_COMPONENT
from desktop.dossier.states import state_after_edit
from desktop.dossier.validation import component_limits
from desktop.errors import UserError
from desktop.intake import archive, compress, ocr, pages
from desktop.intake.batch import E_NOT_A_FOLDER, BatchRun, ComponentInfo
from desktop.intake.convert import ConversionReport, images_to_pdf
from desktop.intake.images import MIN_DPI
from desktop.intake.journal import Journal
from desktop.intake.rules import load_rules
from desktop.intake.watch import FolderWatch, WatchOutcome
from desktop.settings import MAX_FILE_SIZE

if TYPE_CHECKING:
    from desktop.catalog.model import Procedure
    from desktop.commands.context import Context
    from desktop.dossier.records import RecordMetadataStore
    from desktop.dossier.service import DossierService
    from desktop.intake.metadata import RecordMetadata


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "intake",
        help=summary("intake"),
    )
    inner = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    images = inner.add_parser(
        "images2pdf",
        help=_h(
            "ghép ảnh JPEG/PNG/TIFF thành một tệp PDF, theo thứ tự đã cho",
            "JPEG/PNG/TIFF images to one PDF, in order",
        ),
    )
    images.add_argument(
        "images", nargs="+", type=Path, metavar="IMAGE", help=_h("các tệp ảnh", "image files")
    )
    images.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="OUT.pdf",
        help=_h("tệp PDF kết quả", "output PDF"),
    )
    images.add_argument(
        "--dpi",
        type=float,
        help=_h(
            "độ phân giải dùng cho ảnh không ghi độ phân giải (hoặc cho mọi ảnh)",
            "resolution to use for images that record none (or all)",
        ),
    )
    intake_archive.add_archive_options(images)
    add_json_flag(images)
    images.set_defaults(handler=_images2pdf)

    merge = inner.add_parser(
        "merge",
        help=_h(
            "gộp các tệp PDF và ảnh thành một PDF, theo thứ tự đã cho",
            "PDFs and images, in the given order, into one PDF",
        ),
    )
    merge.add_argument(
        "inputs",
        nargs="+",
        type=Path,
        metavar="FILE",
        help=_h("các tệp PDF hoặc ảnh", "PDF or image files"),
    )
    merge.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="OUT.pdf",
        help=_h("tệp PDF kết quả", "output PDF"),
    )
    intake_archive.add_archive_options(merge)
    add_json_flag(merge)
    merge.set_defaults(handler=_merge)

    edit = inner.add_parser(
        "pages",
        help=_h(
            "xoá, xoay và sắp xếp lại trang (số trang là số trong tệp gốc)",
            "delete, rotate and reorder pages (numbers are those of the input file)",
        ),
    )
    edit.add_argument("input", type=Path, metavar="IN.pdf", help=_h("tệp PDF gốc", "input PDF"))
    edit.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="OUT.pdf",
        help=_h("tệp PDF kết quả", "output PDF"),
    )
    edit.add_argument(
        "--order",
        help=_h(
            "thứ tự mới của các trang giữ lại, ví dụ 3,1,2",
            "new order of the kept pages, e.g. 3,1,2",
        ),
    )
    edit.add_argument(
        "--rotate",
        action="append",
        default=[],
        metavar="PAGE:DEGREES",
        help=_h(
            "xoay một trang theo chiều kim đồng hồ, ví dụ 2:90 (dùng được nhiều lần)",
            "rotate a page clockwise, e.g. 2:90 (repeatable)",
        ),
    )
    edit.add_argument(
        "--delete",
        help=_h("các trang cần xoá, ví dụ 4 hoặc 4-6,9", "pages to delete, e.g. 4 or 4-6,9"),
    )
    add_json_flag(edit)
    edit.set_defaults(handler=_pages)

    cut = inner.add_parser(
        "split",
        help=_h(
            "tách mỗi khoảng trang thành một PDF: PREFIX-1.pdf, PREFIX-2.pdf…",
            "one PDF per page range: PREFIX-1.pdf, PREFIX-2.pdf…",
        ),
    )
    cut.add_argument("input", type=Path, metavar="IN.pdf", help=_h("tệp PDF gốc", "input PDF"))
    cut.add_argument(
        "--pages",
        required=True,
        help=_h(
            "các khoảng trang, mỗi khoảng ra một tệp, ví dụ 1-3,4-5",
            "ranges, one output each, e.g. 1-3,4-5",
        ),
    )
    cut.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="PREFIX",
        help=_h("đầu tên các tệp kết quả", "start of the output file names"),
    )
    add_json_flag(cut)
    cut.set_defaults(handler=_split)

    squeeze = inner.add_parser(
        "compress",
        help=_h(
            "nén lại và giảm độ phân giải bản quét cho vừa giới hạn dung lượng (≥ 200 dpi)",
            "re-encode and downsample a scan to fit a size limit (≥ 200 dpi)",
        ),
    )
    squeeze.add_argument(
        "input", type=Path, metavar="IN", help=_h("tệp PDF hoặc ảnh", "PDF or image file")
    )
    squeeze.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="OUT.pdf",
        help=_h("tệp PDF kết quả", "output PDF"),
    )
    squeeze.add_argument(
        "--max-size",
        required=True,
        help=_h(
            "dung lượng tối đa, ví dụ 10MB (MB = 1.000.000 byte)",
            "e.g. 10MB (MB = 1,000,000 bytes)",
        ),
    )
    squeeze.add_argument(
        "--min-dpi",
        type=float,
        default=MIN_DPI,
        help=_h("độ phân giải thấp nhất được giữ", "lowest resolution kept"),
    )
    squeeze.add_argument(
        "--allow-below-200dpi",
        action="store_true",
        help=_h(
            "cho phép --min-dpi dưới 200 dpi mà quy định số hoá yêu cầu",
            "allow --min-dpi under the 200 dpi the digitising rules ask for",
        ),
    )
    intake_archive.add_archive_options(squeeze)
    add_json_flag(squeeze)
    squeeze.set_defaults(handler=_compress)

    text = inner.add_parser(
        "ocr",
        help=_h(
            "thêm lớp chữ tiếng Việt để tìm kiếm được (cần ocrmypdf, tesseract-ocr-vie)",
            "add a searchable Vietnamese text layer (needs ocrmypdf, tesseract-ocr-vie)",
        ),
    )
    text.add_argument(
        "input", type=Path, metavar="IN", help=_h("tệp PDF hoặc ảnh", "PDF or image file")
    )
    text.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="OUT.pdf",
        help=_h("tệp PDF kết quả", "output PDF"),
    )
    intake_archive.add_archive_options(text)
    add_json_flag(text)
    text.set_defaults(handler=_ocr)
    add_repair_action(inner)
    intake_archive.register(inner)
    _register_dossier_work(inner)


def _register_dossier_work(inner: Any) -> None:
    watch = inner.add_parser(
        "watch",
        help=_h(
            "đính kèm các tệp máy quét ghi vào FOLDER vào một thành phần của hồ sơ nháp",
            "attach what a scanner writes into FOLDER to a draft dossier's component",
        ),
    )
    watch.add_argument(
        "folder",
        type=Path,
        metavar="FOLDER",
        help=_h("thư mục máy quét ghi vào", "folder the scanner writes to"),
    )
    watch.add_argument(
        "--dossier",
        required=True,
        type=number,
        metavar="ID",
        help=_h("số hồ sơ nháp", "draft dossier number"),
    )
    watch.add_argument(
        "--component",
        required=True,
        metavar="CODE",
        help=_h("mã thành phần hồ sơ, ví dụ TP1", "component code, e.g. TP1"),
    )
    watch.add_argument(
        "--once",
        action="store_true",
        help=_h("lấy các tệp đang có rồi dừng", "take the files present, then stop"),
    )
    watch.add_argument(
        "--settle",
        type=float,
        default=2.0,
        help=_h(
            "số giây tệp phải giữ nguyên trước khi lấy (2)",
            "seconds a file must stay unchanged (2)",
        ),
    )
    watch.add_argument(
        "--interval",
        type=float,
        default=1.0,
        help=_h("số giây giữa hai lần xem thư mục (1)", "seconds between looks (1)"),
    )
    add_json_flag(watch)
    watch.set_defaults(handler=_watch)

    batch = inner.add_parser(
        "batch",
        help=_h(
            "mỗi thư mục con của FOLDER thành một hồ sơ nháp (làm tiếp được; xem docs/intake.md)",
            "one draft dossier per subfolder of FOLDER (resumable; see docs/intake.md)",
        ),
    )
    batch.add_argument(
        "folder",
        type=Path,
        metavar="FOLDER",
        help=_h("thư mục chứa các thư mục con", "folder holding the subfolders"),
    )
    batch.add_argument(
        "--procedure",
        required=True,
        metavar="CODE",
        help=_h("khoá hoặc mã quốc gia của thủ tục", "procedure key or national code"),
    )
    batch.add_argument(
        "--map",
        type=Path,
        metavar="RULES",
        help=_h(
            "tệp quy tắc, mỗi dòng: mẫu tên tệp = mã thành phần",
            "rules file, one per line: PATTERN = COMPONENT",
        ),
    )
    batch.add_argument(
        "--journal",
        type=Path,
        metavar="DIR",
        help=_h(
            "thư mục ghi tiến độ để làm tiếp (mặc định FOLDER/.dvc-intake-batch, "
            "hoặc trong thư mục dữ liệu)",
            "resume state folder (default FOLDER/.dvc-intake-batch, or in the data dir)",
        ),
    )
    intake_archive.add_archive_options(batch, ocr=True)
    add_json_flag(batch)
    batch.set_defaults(handler=_batch)


def _low_resolution_lines(report: ConversionReport) -> list[str]:
    lines = []
    for item in report.low_resolution:
        name = Path(item.source).name
        why = _h(" (tệp không ghi độ phân giải; tạm tính)", " (not recorded; assumed)")
        why = why if item.assumed else ""
        lines.append(
            _h(
                f"  cảnh báo: trang {item.page} ({name}) chỉ {item.dpi:g} dpi{why}, dưới "
                f"mức {MIN_DPI} dpi theo quy định số hoá; nên quét lại.",
                f"  warning: page {item.page} ({name}) is only {item.dpi:g} dpi{why}, under "
                f"the {MIN_DPI} dpi the digitising rules ask for; scan it again.",
            )
        )
    return lines


def _images2pdf(args: argparse.Namespace, ctx: Context) -> int:
    options = intake_archive.archive_options(args)
    report = images_to_pdf(
        args.images, args.output, dpi=args.dpi, pdfa=options.pdfa, record=options.record
    )

    def text() -> str:
        kind = _h(" (PDF/A-2b, đã kiểm tra)", " (PDF/A-2b, checked)") if options.pdfa else ""
        head = _h(
            f"Đã tạo {report.output}{kind}: {report.pages} trang, {_mb(report.size)}.",
            f"Wrote {report.output}{kind}: {report.pages} page(s), {_mb(report.size)}.",
        )
        return "\n".join([head, *_low_resolution_lines(report)])

    ctx.emit(report.as_dict(), text)
    return 0


def _merge(args: argparse.Namespace, ctx: Context) -> int:
    options = intake_archive.archive_options(args)
    result = archive.through(
        args.output, args.inputs, options, lambda out: pages.merge(args.inputs, out)
    )
    count = len(args.inputs)
    ctx.emit(
        vars(result),
        _h(
            f"Đã ghép {count} tệp thành {result.output}: {result.pages} trang.",
            f"Merged {count} file(s) into {result.output}: {result.pages} page(s).",
        ),
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
    ctx.emit(vars(result), _written(result))
    return 0


def _split(args: argparse.Namespace, ctx: Context) -> int:
    results = pages.split(args.input, pages.parse_ranges(args.pages), args.output)
    ctx.emit(
        [vars(r) for r in results],
        "\n".join(_written(r) for r in results),
    )
    return 0


def _compress(args: argparse.Namespace, ctx: Context) -> int:
    options = intake_archive.archive_options(args)
    limit = compress.parse_size(args.max_size)
    # PDF/A adds the colour profile and XMP: the images get that much less room.
    room = limit - archive.OVERHEAD if options.active else limit
    report = archive.through(
        args.output,
        [args.input],
        options,
        lambda out: compress.compress(
            args.input,
            out,
            max(1, room),
            min_dpi=args.min_dpi,
            allow_below_rule=args.allow_below_200dpi,
        ),
    )

    def text() -> str:
        size = compress.format_size
        if not report.changed and report.converted:
            return _h(
                f"Đã chuyển ảnh {args.input} thành {report.output} ({size(report.size)}), đã "
                "nhỏ hơn giới hạn nên không cần nén.",
                f"Converted the image {args.input} into {report.output} "
                f"({size(report.size)}); it is under the limit, so nothing was compressed.",
            )
        if not report.changed:
            return _h(
                f"{args.input} đã nhỏ hơn giới hạn ({size(report.size)}); "
                f"đã ghi {report.output} mà không nén thêm.",
                f"{args.input} is already under the limit ({size(report.size)}); "
                f"wrote {report.output} without compressing further.",
            )
        reached, before = report.dpi_reached or "?", report.dpi_before or "?"
        lines = [
            _h(
                f"Đã nén {args.input} ({size(report.original_size)}) thành {report.output}: "
                f"{size(report.size)}, độ phân giải thấp nhất {reached} dpi "
                f"(trước đó {before} dpi), chất lượng JPEG {report.quality}.",
                f"Compressed {args.input} ({size(report.original_size)}) into "
                f"{report.output}: {size(report.size)}, lowest resolution {reached} dpi "
                f"(before: {before} dpi), JPEG quality {report.quality}.",
            ),
            _h("Tệp gốc được giữ nguyên.", "The original is kept as it was."),
        ]
        if report.below_rule:
            lines.append(
                _h(
                    f"  cảnh báo: dưới mức {MIN_DPI} dpi theo quy định số hoá.",
                    f"  warning: under the {MIN_DPI} dpi of the digitising rules.",
                )
            )
        return "\n".join(lines)

    ctx.emit(report.as_dict(), text)
    return 0


class _ComponentSink:
    """One component of one draft dossier, for the watched folder."""

    def __init__(self, dossiers: DossierService, dossier_id: int, code: str, limit: int) -> None:
        self._dossiers, self._id, self._code, self._limit = dossiers, dossier_id, code, limit

    @property
    def max_size(self) -> int | None:
        return self._limit

    def holds(self, sha256: str) -> bool:
        attachments = self._dossiers.get(self._id).attachments
        return any(a.component_code == self._code and a.sha256 == sha256 for a in attachments)

    def attach(self, pdf: Path) -> None:
        self._dossiers.attach(self._id, self._code, [pdf])


class _ProcedureSink:
    """Draft dossiers of one procedure, for a batch (see desktop.intake.batch.DossierSink)."""

    def __init__(
        self,
        dossiers: DossierService,
        procedure: Procedure,
        max_file_size: int,
        records: RecordMetadataStore,
    ) -> None:
        self._dossiers, self._procedure, self._max = dossiers, procedure, max_file_size
        self._records = records

    def components(self) -> list[ComponentInfo]:
        return [
            ComponentInfo(c.code, c.name, component_limits(c, self._max)[1])
            for c in self._procedure.components
        ]

    def find(self, tag: str) -> int | None:
        # Only after a crash between creating a dossier and writing the journal.
        offset = 0
        while rows := self._dossiers.list(state="DRAFT", offset=offset, limit=500):
            for row in rows:
                ours = row.procedure_key == self._procedure.key
                if ours and self._dossiers.get(row.id).notes == tag:
                    return row.id
            offset += len(rows)
        return None

    def create(self, tag: str) -> int:
        dossier = self._dossiers.create(self._procedure.key)
        self._dossiers.set_fields(dossier.id, {"notes": tag})
        return dossier.id

    def set_fields(self, dossier_id: int, values: dict[str, str]) -> None:
        self._dossiers.set_fields(dossier_id, dict(values))

    def holds(self, dossier_id: int, component: str, sha256: str) -> bool:
        attachments = self._dossiers.get(dossier_id).attachments
        return any(a.component_code == component and a.sha256 == sha256 for a in attachments)

    def attach(self, dossier_id: int, component: str, pdf: Path) -> None:
        self._dossiers.attach(dossier_id, component, [pdf])

    def problems(self, dossier_id: int) -> list[str]:
        found = self._dossiers.validate(dossier_id)
        return [p.message() for p in found if p.severity == ERROR]

    def save_record(self, dossier_id: int, record: RecordMetadata) -> None:
        self._records.save(dossier_id, record)


def _watch(args: argparse.Namespace, ctx: Context) -> int:
    if not args.folder.is_dir():
        raise UserError(E_NOT_A_FOLDER, path=str(args.folder))
    dossiers = ctx.workspace.dossiers
    dossier = dossiers.get(args.dossier)
    state_after_edit(dossier.id, dossier.state)  # refuses a frozen dossier before waiting
    procedure = dossiers.procedure_of(dossier)
    spec = procedure.component(args.component)
    if spec is None:
        raise UserError(
            E_UNKNOWN_COMPONENT,
            procedure=procedure.name,
            component=args.component,
            known=", ".join(f"{c.code} ({c.name})" for c in procedure.components),
        )
    limit = component_limits(spec, ctx.workspace.settings.get(MAX_FILE_SIZE))[1]
    sink = _ComponentSink(dossiers, dossier.id, spec.code, limit)
    watcher = FolderWatch(args.folder, sink, settle=args.settle, interval=args.interval)

    def show(outcome: WatchOutcome) -> None:
        if ctx.json:
            return
        words = {
            "attached": _h(
                f"đã đính kèm vào {spec.code} thành {outcome.attached_as}",
                f"attached to {spec.code} as {outcome.attached_as}",
            ),
            "already-attached": _h(
                f"đã có trong {spec.code}, bỏ qua", f"already in {spec.code}, skipped"
            ),
            "failed": _h(
                f"không nhận, chuyển vào failed/: {outcome.message}",
                f"not taken, moved to failed/: {outcome.message}",
            ),
            "still-writing": _h(
                "vẫn đang được ghi, chưa lấy", "still being written, not taken yet"
            ),
        }
        extra = f" ({'; '.join(outcome.warnings)})" if outcome.warnings else ""
        ctx.out.write(f"{outcome.source}: {words[outcome.status]}{extra}\n")
        ctx.out.flush()

    if not args.once and not ctx.json:
        ctx.out.write(
            _h(
                f"Đang theo dõi {args.folder} (Ctrl+C để dừng)…\n",
                f"Watching {args.folder} (Ctrl+C to stop)…\n",
            )
        )
        ctx.out.flush()
    outcomes = watcher.run(once=args.once, on_outcome=show)
    if ctx.json:
        ctx.emit([vars(o) for o in outcomes], "")
    return 0


def _journal_path(args: argparse.Namespace, ctx: Context) -> Path:
    if args.journal is not None:
        return Path(args.journal)
    folder = Path(args.folder)
    if os.access(folder, os.W_OK):
        return folder / ".dvc-intake-batch"
    # A read-only folder (a share, a DVD): keep the journal in the data dir instead.
    key = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    return ctx.workspace.paths.root / "intake" / f"batch-{key}"


def _batch(args: argparse.Namespace, ctx: Context) -> int:
    if not args.folder.is_dir():
        raise UserError(E_NOT_A_FOLDER, path=str(args.folder))
    procedure = ctx.workspace.catalog.get(args.procedure)
    sink = _ProcedureSink(
        ctx.workspace.dossiers,
        procedure,
        ctx.workspace.settings.get(MAX_FILE_SIZE),
        ctx.workspace.records,
    )
    rules = load_rules(args.map, [c.code for c in procedure.components]) if args.map else []
    journal = Journal(_journal_path(args, ctx), procedure.key)
    options = intake_archive.archive_options(args)
    missing = ocr.missing_tools() if options.ocr else []
    if missing:  # before any folder: every file would be refused the same way
        raise UserError(ocr.E_OCR_MISSING, missing=", ".join(missing), install=ocr.INSTALL)
    report = BatchRun(args.folder, sink, journal, rules=rules, archive=options).run()

    def text() -> str:
        lines = []
        needs = _h("cần người xử lý", "needs a person")
        for item in report.folders:
            made = _h("mới tạo", "new") if item.created else _h("đã có", "existing")
            state = _h(" (đã xong ở lần chạy trước)", " (done in an earlier run)")
            state = state if item.skipped else ""
            if item.dossier_id:
                number = _h(
                    f"hồ sơ số {item.dossier_id} ({made})", f"dossier {item.dossier_id} ({made})"
                )
            else:
                number = _h("không tạo", "none created")
            count = _h(f"{len(item.attached)} tệp", f"{len(item.attached)} file(s)")
            lines.append(f"{item.folder} → {number}: {count}{state}")
            lines += [f"    {needs}: {reason}" for reason in item.needs_person]
        waiting = sum(1 for f in report.folders if f.needs_person)
        lines.append(
            _h(
                f"Tổng cộng {len(report.folders)} thư mục, {waiting} cần người xem lại. "
                f"Nhật ký: {report.journal} (chạy lại lệnh để tiếp tục, không tạo trùng).",
                f"{len(report.folders)} folder(s) in all, {waiting} to be looked at by a person. "
                f"Journal: {report.journal} (run the command again to go on; nothing is "
                "made twice).",
            )
        )
        return "\n".join(lines)

    ctx.emit(report.as_dict(), text)
    return 0


def _ocr(args: argparse.Namespace, ctx: Context) -> int:
    options = intake_archive.archive_options(args)
    report = ocr.ocr(args.input, args.output, pdfa=options.pdfa, record=options.record)
    ctx.emit(
        vars(report),
        _h(
            f"Đã thêm lớp chữ tìm kiếm được: {report.output} ({_mb(report.size)}). "
            "Tệp gốc được giữ nguyên.",
            f"Added a searchable text layer: {report.output} ({_mb(report.size)}). "
            "The original is kept as it was.",
        ),
    )
    return 0


def _written(result: pages.PagesResult) -> str:
    return _h(
        f"Đã ghi {result.output}: {result.pages} trang.",
        f"Wrote {result.output}: {result.pages} page(s).",
    )


def _mb(size: int) -> str:
    return compress.format_size(size)
