"""`dvc-desk doctor --salvage DIR`: every readable dossier and file into a new data dir.

The damaged data dir is only read. The new one gets a fresh database at the current
schema, every row that can still be read, and every stored file whose content still
matches its SHA-256; rows that lost their file or their parent row are left out, so
`dvc-desk --data-dir DIR doctor` passes on the result.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import paths
from desktop.attachments.store import copy_verified
from desktop.errors import UserError, define
from desktop.storage import salvage
from desktop.storage.db import open_database

if TYPE_CHECKING:
    from desktop.commands.context import Context

EXIT_INTEGRITY = 4

E_SALVAGE_TARGET = define(
    "doctor.salvage_target_used",
    vi=(
        "Thư mục {path} đã có dữ liệu dvc-desk. Hãy chọn một thư mục mới hoặc rỗng cho "
        "«dvc-desk doctor --salvage»."
    ),
    en="{path} already holds dvc-desk data. Choose a new or empty folder for --salvage.",
)
E_SALVAGE_SAME = define(
    "doctor.salvage_same_dir",
    vi="Thư mục cứu dữ liệu phải khác thư mục dữ liệu đang dùng ({path}).",
    en="The salvage folder must differ from the data folder in use ({path}).",
)
E_SALVAGE_NOTHING = define(
    "doctor.salvage_no_database",
    vi="Không có cơ sở dữ liệu nào trong {path} để cứu.",
    en="There is no database in {path} to salvage.",
)


def run(ctx: Context, target_dir: Path) -> int:
    source = paths.resolve(ctx.args.data_dir)
    target = paths.resolve(target_dir)
    if target.root == source.root:
        raise UserError(E_SALVAGE_SAME, path=str(source.root))
    if not source.database.exists():
        raise UserError(E_SALVAGE_NOTHING, path=str(source.root))
    if target.root.exists() and any(target.root.iterdir()):
        raise UserError(E_SALVAGE_TARGET, path=str(target.root))
    target.ensure()
    open_database(target.database).dispose()  # the current schema, empty
    report = salvage.copy_rows(source.database, target.database)

    with sqlite3.connect(target.database) as conn:
        shas = [str(r[0]) for r in conn.execute("SELECT sha256 FROM blobs")]
    conn.close()
    lost_files = [sha for sha in shas if not copy_verified(source.blobs, target.blobs, sha)]
    salvage.delete_rows(target.database, "blobs", "sha256", lost_files)
    salvage.drop_orphans(target.database, report)
    if source.settings_file.is_file():
        shutil.copyfile(source.settings_file, target.settings_file)

    dossiers = report.copied.get("dossiers", 0) - report.dropped_orphans.get("dossiers", 0)
    lost_rows = sum(report.lost.values()) + sum(report.dropped_orphans.values())
    data = {
        "target": str(target.root),
        "dossiers": dossiers,
        "files": len(shas) - len(lost_files),
        "lost_files": lost_files,
        "copied_rows": report.copied,
        "lost_rows": report.lost,
        "dropped_rows": report.dropped_orphans,
        "complete": not lost_rows and not lost_files,
    }

    def describe() -> str:
        lines = [
            f"Đã cứu sang {target.root}: {dossiers} hồ sơ, {len(shas) - len(lost_files)} tệp.",
        ]
        lines += [
            f"  - bảng {table}: {count} dòng không đọc được"
            for table, count in report.lost.items()
            if count
        ]
        lines += [
            f"  - bảng {table}: bỏ {count} dòng vì dòng cha đã mất"
            for table, count in report.dropped_orphans.items()
        ]
        lines += [f"  - tệp mất hoặc hỏng: {sha}" for sha in lost_files]
        lines.append(
            "Thư mục dữ liệu cũ được giữ nguyên. Hãy kiểm tra lại bằng: "
            f"dvc-desk --data-dir {target.root} doctor, rồi dùng thư mục mới."
        )
        return "\n".join(line for line in lines if line)

    ctx.emit(data, describe)
    return 0 if data["complete"] else EXIT_INTEGRITY
