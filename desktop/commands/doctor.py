"""`dvc-desk doctor`: check the database and re-hash every stored file (exit 4 on damage).

`dvc-desk doctor --clean [--dry-run]` removes what nothing uses any more (see
desktop.attachments.housekeeping); it refuses (exit 4, nothing changed) when the
database itself is damaged.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop import paths
from desktop.attachments import housekeeping
from desktop.attachments.store import StoreReport
from desktop.commands import doctor_salvage
from desktop.commands.context import _h, add_json_flag
from desktop.errors import DvcError, UserError, define
from desktop.storage import failures, salvage
from desktop.units import size_text

if TYPE_CHECKING:
    from desktop.commands.context import Context

EXIT_INTEGRITY = 4
# SQLite lists every damaged cell; past this many the rest are counted, not listed.
_SHOWN_PROBLEMS = 20

E_DRY_RUN_ALONE = define(
    "doctor.dry_run_without_clean",
    vi="Tuỳ chọn --dry-run chỉ dùng cùng --clean. Hãy chạy: dvc-desk doctor --clean --dry-run",
    en="--dry-run only goes with --clean. Run: dvc-desk doctor --clean --dry-run",
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "doctor",
        help=_h(
            "kiểm tra cơ sở dữ liệu và kho tệp (mã thoát 4 khi có hư hỏng)",
            "check database and file store integrity (exit 4 when damaged)",
        ),
    )
    parser.add_argument(
        "--clean",
        action="store_true",
        help=_h(
            "xoá các tệp không còn hồ sơ, kết quả, biên lai hay hàng đợi nào dùng và các tệp "
            "tạm còn sót, cũ hơn 24 giờ (không kiểm tra lại mã băm)",
            "remove files no dossier, result, receipt or queue item uses any more and "
            "leftover temp files older than 24 hours (no re-hash)",
        ),
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help=_h(
            "cùng --clean: chỉ cho biết sẽ xoá những gì, không thay đổi gì",
            "with --clean: only say what would be removed, change nothing",
        ),
    )
    parser.add_argument(
        "--salvage",
        metavar="DIR",
        help=_h(
            "chép mọi hồ sơ và tệp còn đọc được sang thư mục dữ liệu mới DIR (khi cơ sở dữ "
            "liệu bị hỏng); thư mục dữ liệu cũ được giữ nguyên",
            "copy every readable dossier and file into the new data dir DIR (when the "
            "database is damaged); the old data dir is left as it was",
        ),
    )
    add_json_flag(parser)
    parser.set_defaults(handler=_doctor)


def _database_findings(ctx: Context) -> list[str]:
    """SQLite's findings on the data dir's database (page numbers, never row data)."""
    database = paths.resolve(ctx.args.data_dir).database
    if not database.exists():
        return []
    report = salvage.inspect(database)
    findings = report.problems[:_SHOWN_PROBLEMS]
    if len(report.problems) > _SHOWN_PROBLEMS:
        findings.append(f"và {len(report.problems) - _SHOWN_PROBLEMS} lỗi khác cùng loại")
    if not report.openable:
        findings.insert(0, "không mở được tệp cơ sở dữ liệu")
    for table in report.tables:
        if table.unreadable:
            findings.append(
                f"bảng {table.name}: đọc được {table.readable} dòng, "
                f"{table.unreadable} dòng không đọc được"
                + ("" if table.readable_by_scan else " (cây dữ liệu của bảng bị hỏng)")
            )
    return findings


def _doctor(args: argparse.Namespace, ctx: Context) -> int:
    if args.clean:
        return _clean(ctx, dry_run=args.dry_run)
    if args.dry_run:
        raise UserError(E_DRY_RUN_ALONE)
    if args.salvage:
        return doctor_salvage.run(ctx, Path(args.salvage))
    database = _database_findings(ctx)
    files_checked = True
    try:
        report = ctx.workspace.store.check()
    except Exception as exc:
        # The file store is checked against the database; a damaged one may not open.
        if not database or (not isinstance(exc, DvcError) and failures.as_dvc_error(exc) is None):
            raise
        report, files_checked = StoreReport(0), False
    ok = not database and report.ok
    data = {
        "ok": ok,
        "database": {"ok": not database, "problems": database},
        "files": {
            "verified": files_checked,
            "checked": report.checked,
            "missing": list(report.missing),
            "corrupt": list(report.corrupt),
            "orphans": list(report.orphans),
            "temp_files": list(report.temp_files),
        },
    }

    def describe() -> str:
        lines = [
            "Cơ sở dữ liệu: tốt." if not database else "Cơ sở dữ liệu có lỗi:",
            *(f"  - {p}" for p in database),
            f"Kho tệp: đã kiểm tra lại {report.checked} tệp."
            if files_checked
            else "Kho tệp: chưa kiểm tra được vì cơ sở dữ liệu hỏng.",
        ]
        lines += [f"  - Mất tệp: {sha}" for sha in report.missing]
        lines += [f"  - Tệp bị hỏng (mã băm không khớp): {sha}" for sha in report.corrupt]
        lines += [f"  - Tệp mồ côi (không có trong cơ sở dữ liệu): {sha}" for sha in report.orphans]
        lines += [f"  - Tệp tạm còn sót: {name}" for name in report.temp_files]
        if ok:
            lines.append("Không phát hiện vấn đề nào.")
        else:
            root = paths.resolve(ctx.args.data_dir).root
            lines.append(
                "Đã phát hiện vấn đề; không có gì bị thay đổi. Hãy sao lưu thư mục dữ liệu "
                f"{root}, rồi đính kèm lại các tệp bị mất hoặc hỏng."
            )
            if database:
                lines.append(
                    "Để cứu những gì còn đọc được (hồ sơ, tệp đính kèm) sang một thư mục dữ "
                    "liệu mới, hãy chạy: dvc-desk doctor --salvage THƯ_MỤC_MỚI"
                )
        return "\n".join(lines)

    ctx.emit(data, describe)
    return 0 if ok else EXIT_INTEGRITY


def _clean(ctx: Context, *, dry_run: bool) -> int:
    database = _database_findings(ctx)
    if database:
        # Deleting rows from a damaged database could lose what is left: check first.
        data = {"ok": False, "database": {"ok": False, "problems": database}, "cleaned": False}
        lines = ["Cơ sở dữ liệu có lỗi:", *(f"  - {p}" for p in database)]
        lines.append(
            "Chưa dọn gì. Hãy sao lưu thư mục dữ liệu "
            f"{paths.resolve(ctx.args.data_dir).root} và chạy `dvc-desk doctor` để xem chi tiết."
        )
        ctx.emit(data, "\n".join(lines))
        return EXIT_INTEGRITY
    workspace = ctx.workspace
    report = housekeeping.collect(workspace.paths, workspace.db, dry_run=dry_run)
    ctx.emit(_clean_data(report), lambda: _clean_text(report))
    return 0


def _clean_data(report: housekeeping.HousekeepingReport) -> dict[str, Any]:
    return {
        "ok": True,
        "dry_run": report.dry_run,
        "grace_hours": report.grace_seconds / 3600,
        "referenced": report.referenced,
        "removed": {
            "blobs": report.count(housekeeping.KIND_BLOB),
            "orphans": report.count(housekeeping.KIND_ORPHAN),
            "temp_files": report.count(housekeeping.KIND_TEMP),
            "bytes": report.bytes_freed,
            "items": [{"kind": i.kind, "name": i.name, "size": i.size} for i in report.removed],
        },
        "kept": [
            {"kind": i.kind, "name": i.name, "size": i.size, "reason": i.reason}
            for i in report.kept
        ],
    }


_KEPT_VI = {
    housekeeping.KEPT_YOUNG: "chưa quá {hours} giờ (có thể đang được đính kèm hoặc ghi)",
    housekeeping.KEPT_REFERENCED_MEANWHILE: "vừa được dùng lại trong lúc dọn",
    housekeeping.KEPT_BUSY: "cơ sở dữ liệu đang bận; lần dọn sau sẽ thử lại",
    housekeeping.KEPT_UNLINK_FAILED: "không xoá được tệp (quyền truy cập hoặc tệp đang mở)",
}


def _clean_text(report: housekeeping.HousekeepingReport) -> str:
    total = len(report.removed)
    freed = size_text(report.bytes_freed)
    if not total:
        lines = ["Không có tệp nào cần xoá."]
    elif report.dry_run:
        lines = [f"Chạy thử: sẽ xoá {total} tệp không còn dùng, giải phóng {freed}."]
    else:
        lines = [f"Đã xoá {total} tệp không còn dùng, giải phóng {freed}."]
    parts = (
        (
            housekeeping.KIND_BLOB,
            "tệp đính kèm không còn hồ sơ, kết quả, biên lai hay hàng đợi nào dùng",
        ),
        (housekeeping.KIND_ORPHAN, "tệp trong kho không có trong cơ sở dữ liệu"),
        (housekeeping.KIND_TEMP, "tệp tạm còn sót"),
    )
    lines += [f"  - {report.count(kind)} {label}" for kind, label in parts if report.count(kind)]
    hours = f"{report.grace_seconds / 3600:g}"
    reasons: dict[str, int] = {}
    for item in report.kept:
        reasons[item.reason] = reasons.get(item.reason, 0) + 1
    for reason, count in reasons.items():
        lines.append(f"Giữ lại {count} tệp: {_KEPT_VI[reason].format(hours=hours)}.")
    if report.referenced:
        lines.append(f"{report.referenced} tệp đính kèm vẫn đang được dùng, giữ nguyên.")
    if report.dry_run:
        lines.append("Không có gì bị thay đổi. Chạy lại không có --dry-run để xoá.")
    return "\n".join(lines)
