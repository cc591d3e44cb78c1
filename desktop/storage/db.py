"""Engine, sessions and start-up migration of the local database.

SQLite runs in WAL mode with synchronous=FULL and foreign keys on. Before anything
writes to an existing file we read its schema revision through a read-only connection:
a database written by a newer dvc-desk is refused and left exactly as it was.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from desktop.errors import IntegrityError, UserError, define
from desktop.storage import failures

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")

# The newest migration in migrations/versions/. A database at this revision opens without
# loading Alembic (a second of start-up for every CLI call); tests/core/storage/
# test_head_revision.py fails when a new migration is added and this is not updated.
HEAD_REVISION = "0009"

E_NEWER_DATABASE = define(
    "storage.newer_database",
    vi=(
        "Cơ sở dữ liệu {path} được tạo bởi phiên bản dvc-desk mới hơn (lược đồ {revision}). "
        "Hãy cài phiên bản mới nhất của dvc-desk; tệp dữ liệu được giữ nguyên, không bị thay đổi."
    ),
    en=(
        "The database {path} was written by a newer dvc-desk (schema {revision}). "
        "Install the latest dvc-desk; the database was left untouched."
    ),
)
E_NOT_A_DATABASE = define(
    "storage.not_a_database",
    vi="Tệp {path} không phải cơ sở dữ liệu dvc-desk hoặc đã hỏng ({detail}). Tệp được giữ nguyên.",
    en="{path} is not a dvc-desk database or is damaged ({detail}). It was left untouched.",
)


def _alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


def head_revision() -> str:
    """The newest schema revision this dvc-desk knows (HEAD_REVISION)."""
    return HEAD_REVISION


def migrations_head() -> str:
    """The head of the migration scripts, read by Alembic (slow: tests and checks only)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config("sqlite://"))
    return {rev.revision for rev in script.walk_revisions()}


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


def _set_sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def create_sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", future=True)
    event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


def _read_only_engine(path: Path) -> Engine:
    """The database in a read-only folder: SQLite cannot create `-shm` there, and
    nobody can write the file either, so it is opened as immutable. Every write is
    refused by SQLite ("readonly database"), said as "the folder is read-only"."""
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&immutable=1&uri=true", future=True)
    event.listen(engine, "connect", _set_read_only_pragmas)
    return engine


def _set_read_only_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def open_database(path: Path) -> Engine:
    """Open (creating or upgrading) the database at `path`; refuse a newer one.

    In a read-only folder an up-to-date database is opened for reading only."""
    if path.is_file() and failures.folder_read_only(path.parent):
        revision = stored_revision(path, immutable=True)
        if revision != head_revision():
            raise failures.read_only(path.parent)  # it would need a migration
        return _read_only_engine(path)
    revision = stored_revision(path)
    if revision is not None and revision != HEAD_REVISION and revision not in known_revisions():
        raise UserError(E_NEWER_DATABASE, path=str(path), revision=revision)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Created 0600 before SQLite opens it: its -wal and -shm files take the same mode.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    engine = create_sqlite_engine(path)
    if revision != head_revision():
        upgrade(engine)
    return engine


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    config = _alembic_config(str(engine.url))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


class Database:
    """Sessions over one engine: one session per unit of work, never shared."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._factory = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed on success, rolled back on any exception."""
        session = self._factory()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
