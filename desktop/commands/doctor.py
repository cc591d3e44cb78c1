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
from desktop.commands.index import summary
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
        help=summary("doctor"),
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
        findings.append(
            _h(
                f"và {len(report.problems) - _SHOWN_PROBLEMS} lỗi khác cùng loại",
                f"and {len(report.problems) - _SHOWN_PROBLEMS} more of the same kind",
            )
        )
    if not report.openable:
        findings.insert(
            0, _h("không mở được tệp cơ sở dữ liệu", "the database file cannot be opened")
        )
    for table in report.tables:
        if table.unreadable:
            findings.append(
                _h(
                    f"bảng {table.name}: đọc được {table.readable} dòng, "
                    f"{table.unreadable} dòng không đọc được",
                    f"table {table.name}: {table.readable} row(s) readable, "
                    f"{table.unreadable} unreadable",
                )
                + (
                    ""
                    if table.readable_by_scan
                    else _h(" (cây dữ liệu của bảng bị hỏng)", " (the table's tree is damaged)")
                )
            )
    return findings


def _unknown_status_lines(entries: list[dict[str, Any]]) -> list[str]:
    """The portal status codes seen that the active profile does not map."""
    if not entries:
        return []
    lines = [
        _h(
            "Mã trạng thái cổng chưa có trong hồ sơ cổng (hiển thị nguyên mã; hãy thêm vào "
            "status_codes của hồ sơ cổng):",
            "Portal status codes the portal profile does not map (shown as they are; add them "
            "to the profile's status_codes):",
        )
    ]
    for e in entries:
        name = f" «{e['portal_name']}»" if e.get("portal_name") else ""
        lines.append(f"  - {e['profile']}: {e['code']}{name} ({e.get('first_seen', '')})")
    return lines


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
    from desktop.portal.unknown_status import unknown_statuses

    unknown = unknown_statuses(paths.resolve(ctx.args.data_dir).root)
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
        # Not damage: codes the portal profile does not map yet, shown to the clerk as is.
        "portal_unknown_status": unknown,
    }

    def describe() -> str:
        lines = [
            _h("Cơ sở dữ liệu: tốt.", "Database: good.")
            if not database
            else _h("Cơ sở dữ liệu có lỗi:", "The database has errors:"),
            *(f"  - {p}" for p in database),
            _h(
                f"Kho tệp: đã kiểm tra lại {report.checked} tệp.",
                f"File store: re-checked {report.checked} file(s).",
            )
            if files_checked
            else _h(
                "Kho tệp: chưa kiểm tra được vì cơ sở dữ liệu hỏng.",
                "File store: not checked, because the database is damaged.",
            ),
        ]
        missing = _h("Mất tệp", "Missing file")
        corrupt = _h("Tệp bị hỏng (mã băm không khớp)", "Damaged file (hash does not match)")
        orphan = _h(
            "Tệp mồ côi (không có trong cơ sở dữ liệu)", "Orphan file (not in the database)"
        )
        lines += [f"  - {missing}: {sha}" for sha in report.missing]
        lines += [f"  - {corrupt}: {sha}" for sha in report.corrupt]
        lines += [f"  - {orphan}: {sha}" for sha in report.orphans]
        temp = _h("Tệp tạm còn sót", "Leftover temp file")
        lines += [f"  - {temp}: {name}" for name in report.temp_files]
        lines += _unknown_status_lines(unknown)
        if ok:
            lines.append(_h("Không phát hiện vấn đề nào.", "No problem found."))
        else:
            root = paths.resolve(ctx.args.data_dir).root
            lines.append(
                _h(
                    "Đã phát hiện vấn đề; không có gì bị thay đổi. Hãy sao lưu thư mục dữ liệu "
                    f"{root}, rồi đính kèm lại các tệp bị mất hoặc hỏng.",
                    "Problems found; nothing was changed. Back up the data folder "
                    f"{root}, then attach the missing or damaged files again.",
                )
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
        lines = [
            _h("Cơ sở dữ liệu có lỗi:", "The database has errors:"),
            *(f"  - {p}" for p in database),
        ]
        root = paths.resolve(ctx.args.data_dir).root
        lines.append(
            _h(
                f"Chưa dọn gì. Hãy sao lưu thư mục dữ liệu {root} và chạy `dvc-desk doctor` "
                "để xem chi tiết.",
                f"Nothing was cleaned. Back up the data folder {root} and run `dvc-desk doctor` "
                "for the details.",
            )
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


_KEPT = {
    housekeeping.KEPT_YOUNG: (
        "chưa quá {hours} giờ (có thể đang được đính kèm hoặc ghi)",
        "not older than {hours} hours (may still be being attached or written)",
    ),
    housekeeping.KEPT_REFERENCED_MEANWHILE: (
        "vừa được dùng lại trong lúc dọn",
        "used again while cleaning",
    ),
    housekeeping.KEPT_BUSY: (
        "cơ sở dữ liệu đang bận; lần dọn sau sẽ thử lại",
        "the database was busy; the next clean-up will try again",
    ),
    housekeeping.KEPT_UNLINK_FAILED: (
        "không xoá được tệp (quyền truy cập hoặc tệp đang mở)",
        "could not delete the file (permissions, or the file is open)",
    ),
}


def _clean_text(report: housekeeping.HousekeepingReport) -> str:
    total = len(report.removed)
    freed = size_text(report.bytes_freed)
    if not total:
        lines = [_h("Không có tệp nào cần xoá.", "No file needs removing.")]
    elif report.dry_run:
        lines = [
            _h(
                f"Chạy thử: sẽ xoá {total} tệp không còn dùng, giải phóng {freed}.",
                f"Dry run: would remove {total} unused file(s), freeing {freed}.",
            )
        ]
    else:
        lines = [
            _h(
                f"Đã xoá {total} tệp không còn dùng, giải phóng {freed}.",
                f"Removed {total} unused file(s), freeing {freed}.",
            )
        ]
    parts = (
        (
            housekeeping.KIND_BLOB,
            _h(
                "tệp đính kèm không còn hồ sơ, kết quả, biên lai hay hàng đợi nào dùng",
                "attachment(s) no dossier, result, receipt or queue item uses any more",
            ),
        ),
        (
            housekeeping.KIND_ORPHAN,
            _h(
                "tệp trong kho không có trong cơ sở dữ liệu",
                "file(s) in the store that the database does not know",
            ),
        ),
        (housekeeping.KIND_TEMP, _h("tệp tạm còn sót", "leftover temp file(s)")),
    )
    lines += [f"  - {report.count(kind)} {label}" for kind, label in parts if report.count(kind)]
    hours = f"{report.grace_seconds / 3600:g}"
    reasons: dict[str, int] = {}
    for item in report.kept:
        reasons[item.reason] = reasons.get(item.reason, 0) + 1
    for reason, count in reasons.items():
        why = _h(*_KEPT[reason]).format(hours=hours)
        lines.append(_h(f"Giữ lại {count} tệp: {why}.", f"Kept {count} file(s): {why}."))
    if report.referenced:
        lines.append(
            _h(
                f"{report.referenced} tệp đính kèm vẫn đang được dùng, giữ nguyên.",
                f"{report.referenced} attachment(s) still in use, kept.",
            )
        )
    if report.dry_run:
        lines.append(
            _h(
                "Không có gì bị thay đổi. Chạy lại không có --dry-run để xoá.",
                "Nothing was changed. Run again without --dry-run to remove them.",
            )
        )
    return "\n".join(lines)
