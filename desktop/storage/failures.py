"""What a failure of the disk or the database file means for the clerk, said once.

SQLite reports a full disk, a read-only folder and a damaged file in its own English
words, and SQLAlchemy adds the statement and its parameters (which may hold an
applicant's ID number). `as_dvc_error` turns every such failure into one of three
messages and never carries row data: a full disk ("free N MB", exit 1), a read-only
folder (exit 1), or a damaged database (exit 4, run `dvc-desk doctor`).
"""

from __future__ import annotations

import errno
import math
import os
import shutil
import sqlite3
import sys
from pathlib import Path

from desktop.errors import DvcError, IntegrityError, UserError, define
from desktop.units import size_text

MB = 1024 * 1024
# Room a database write may need beyond what is free: the WAL grows by the pages a
# transaction changes, and a checkpoint copies them back; 8 MB covers the largest
# transactions (catalog import) with room to spare.
DATABASE_HEADROOM = 8 * MB

E_DISK_FULL = define(
    "storage.disk_full",
    vi=(
        "Ổ đĩa chứa thư mục {folder} đã đầy (còn trống {free}). Hãy giải phóng ít nhất "
        "{need_mb} MB rồi làm lại; không có dữ liệu nào bị mất."
    ),
    en=(
        "The disk holding {folder} is full ({free} free). Free at least {need_mb} MB "
        "and try again; nothing was lost."
    ),
)
E_READ_ONLY = define(
    "storage.read_only",
    vi=(
        "Thư mục {folder} chỉ đọc, dvc-desk không ghi được vào đó. Hãy cho phép ghi (hoặc chọn "
        "thư mục dữ liệu khác bằng --data-dir) rồi làm lại; không có dữ liệu nào bị mất."
    ),
    en=(
        "The folder {folder} is read-only; dvc-desk cannot write there. Make it writable (or "
        "choose another data folder with --data-dir) and try again; nothing was lost."
    ),
)
E_DAMAGED = define(
    "storage.damaged",
    vi=(
        "Cơ sở dữ liệu {path} bị hỏng ({reason}). Không có gì bị thay đổi. Hãy sao lưu thư mục "
        "dữ liệu rồi chạy «dvc-desk doctor» để xem phần nào hỏng và «dvc-desk doctor --salvage "
        "THƯ_MỤC_MỚI» để cứu những gì còn đọc được."
    ),
    en=(
        "The database {path} is damaged ({reason}). Nothing was changed. Back up the data "
        "folder, run `dvc-desk doctor` to see what is damaged and `dvc-desk doctor --salvage "
        "NEW_DIR` to save what can still be read."
    ),
)

# SQLite's own words for a damaged file; anything else is said as "unreadable data"
# because the message may quote the row (e.g. "Could not decode to UTF-8 column ... with
# text '...'").
_KNOWN_REASONS = (
    "database disk image is malformed",
    "file is not a database",
    "file is encrypted or is not a database",
    "disk I/O error",
)
_FULL_WORDS = ("database or disk is full", "disk is full")
_READ_ONLY_WORDS = ("readonly database", "read-only file system", "attempt to write a readonly")


def damage_reason(exc: BaseException) -> str:
    """SQLite's reason for `exc` when it is one of its known, row-free sentences."""
    text = str(getattr(exc, "orig", None) or exc)
    for reason in _KNOWN_REASONS:
        if reason in text:
            return reason
    return "unreadable data"


def free_bytes(folder: Path) -> int | None:
    """Free space of the file system holding `folder` (its nearest existing parent)."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        return shutil.disk_usage(probe).free
    except OSError:
        return None


def folder_read_only(folder: Path) -> bool:
    """True when nothing can be created in `folder` (read-only mount or no permission)."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        if os.statvfs(probe).f_flag & os.ST_RDONLY:
            return True
    except OSError:
        return False
    return not os.access(probe, os.W_OK)


def disk_full(folder: Path, needed: int = DATABASE_HEADROOM) -> UserError:
    free = free_bytes(folder) or 0
    return UserError(
        E_DISK_FULL,
        folder=str(folder),
        free=size_text(free),
        free_bytes=free,
        need_mb=max(1, math.ceil(max(needed - free, needed // 4) / MB)),
    )


def read_only(folder: Path) -> UserError:
    return UserError(E_READ_ONLY, folder=str(folder))


def damaged(path: Path, exc: BaseException | None = None) -> IntegrityError:
    reason = damage_reason(exc) if exc is not None else "unreadable data"
    return IntegrityError(E_DAMAGED, path=str(path), reason=reason)


def _os_error(exc: OSError, fallback: Path) -> DvcError | None:
    folder = Path(exc.filename).parent if exc.filename else fallback
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return disk_full(folder, needed=MB)
    if exc.errno == errno.EROFS or (
        exc.errno in (errno.EACCES, errno.EPERM) and folder_read_only(folder)
    ):
        return read_only(folder)
    return None


def as_dvc_error(exc: BaseException, database: Path | None = None) -> DvcError | None:
    """The clerk's message for a disk or database failure; None for anything else.

    `database` is the database file in use, for the folder in the message and to tell
    a full or read-only disk (SQLite then says only "unable to open" or "I/O error")
    from a damaged file.
    """
    if isinstance(exc, DvcError):
        return exc
    folder = database.parent if database is not None else Path.cwd()
    if isinstance(exc, OSError):
        return _os_error(exc, folder)
    # SQLAlchemy wraps the driver's error; a process that never imported it (the quick
    # `catalog search`, desktop.catalog.reader) has only sqlite3's, and stays light.
    wrapped = sys.modules.get("sqlalchemy.exc")
    orig = getattr(exc, "orig", exc) if wrapped and isinstance(exc, wrapped.DBAPIError) else exc
    if not isinstance(orig, sqlite3.Error):
        return None
    text = str(orig)
    if any(words in text for words in _FULL_WORDS):
        return disk_full(folder)
    if any(words in text for words in _READ_ONLY_WORDS):
        return read_only(folder)
    if database is not None and not isinstance(orig, sqlite3.IntegrityError):
        if folder_read_only(folder):
            return read_only(folder)
        if (free_bytes(folder) or 0) < MB:
            return disk_full(folder)
    if isinstance(orig, sqlite3.OperationalError):
        # Mostly our own mistakes ("no such column", "Expression tree is too large"):
        # bugs, not damage, unless SQLite names damage or a cell cannot be decoded.
        if damage_reason(orig) == "unreadable data" and "decode" not in text:
            return None
        return damaged(database or Path("?"), orig)
    if isinstance(orig, sqlite3.DatabaseError) and not isinstance(
        orig, (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError)
    ):
        return damaged(database or Path("?"), orig)
    return None
