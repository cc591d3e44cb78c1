"""`dvc-desk doctor`: check the database and re-hash every stored file (exit 4 on damage)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from desktop.commands.context import _h, add_json_flag

if TYPE_CHECKING:
    from desktop.commands.context import Context

EXIT_INTEGRITY = 4


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "doctor",
        help=_h(
            "kiểm tra cơ sở dữ liệu và kho tệp (mã thoát 4 khi có hư hỏng)",
            "check database and file store integrity (exit 4 when damaged)",
        ),
    )
    add_json_flag(parser)
    parser.set_defaults(handler=_doctor)


def _database_findings(ctx: Context) -> list[str]:
    with ctx.workspace.db.engine.connect() as connection:
        integrity = [str(r[0]) for r in connection.execute(text("PRAGMA integrity_check"))]
        foreign = list(connection.execute(text("PRAGMA foreign_key_check")))
    findings = [] if integrity == ["ok"] else integrity
    findings += [f"khoá ngoại hỏng: bảng {r[0]}, dòng {r[1]} → {r[2]}" for r in foreign]
    return findings


def _doctor(args: argparse.Namespace, ctx: Context) -> int:
    database = _database_findings(ctx)
    report = ctx.workspace.store.check()
    ok = not database and report.ok
    data = {
        "ok": ok,
        "database": {"ok": not database, "problems": database},
        "files": {
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
            f"Kho tệp: đã kiểm tra lại {report.checked} tệp.",
        ]
        lines += [f"  - Mất tệp: {sha}" for sha in report.missing]
        lines += [f"  - Tệp bị hỏng (mã băm không khớp): {sha}" for sha in report.corrupt]
        lines += [f"  - Tệp mồ côi (không có trong cơ sở dữ liệu): {sha}" for sha in report.orphans]
        lines += [f"  - Tệp tạm còn sót: {name}" for name in report.temp_files]
        if ok:
            lines.append("Không phát hiện vấn đề nào.")
        else:
            lines.append(
                "Đã phát hiện vấn đề; không có gì bị thay đổi. Hãy sao lưu thư mục dữ liệu "
                f"{ctx.workspace.paths.root}, rồi đính kèm lại các tệp bị mất hoặc hỏng."
            )
        return "\n".join(lines)

    ctx.emit(data, describe)
    return 0 if ok else EXIT_INTEGRITY
