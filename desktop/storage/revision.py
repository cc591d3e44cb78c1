"""The schema revision of a SQLite database file, read without SQLAlchemy or Alembic.

A database at HEAD_REVISION opens without loading Alembic, and a read-only command
(`dvc-desk catalog search`) reads it without SQLAlchemy at all: both ask this module.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.errors import IntegrityError, define
from desktop.storage import failures

# The newest migration in migrations/versions/. A database at this revision opens without
# loading Alembic (a second of start-up for every CLI call); tests/core/storage/
# test_head_revision.py fails when a new migration is added and this is not updated.
HEAD_REVISION = "0015"

E_NOT_A_DATABASE = define(
    "storage.not_a_database",
    vi="Tệp {path} không phải cơ sở dữ liệu dvc-desk hoặc đã hỏng ({detail}). Tệp được giữ nguyên.",
    en="{path} is not a dvc-desk database or is damaged ({detail}). It was left untouched.",
)


def stored_revision(path: Path, *, immutable: bool = False) -> str | None:
    """The schema revision recorded in `path`, read without writing to it."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        flags = "mode=ro&immutable=1" if immutable else "mode=ro"
        conn = sqlite3.connect(f"file:{path}?{flags}", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables:
                return None
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        # A full disk or a read-only folder stops the read-only open too (it must
        # create `-shm`): say that, not "damaged", or a clerk may delete a healthy file.
        mapped = failures.as_dvc_error(exc, path) if isinstance(exc, sqlite3.Error) else None
        if mapped is not None and not isinstance(mapped, IntegrityError):
            raise mapped from exc
        raise IntegrityError(
            E_NOT_A_DATABASE, path=str(path), detail=failures.damage_reason(exc)
        ) from exc
    if row is None:
        return None
    if not isinstance(row[0], str) or not row[0].isprintable():
        raise IntegrityError(E_NOT_A_DATABASE, path=str(path), detail="unreadable data")
    return row[0]
