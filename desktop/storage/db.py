"""Engine, sessions and start-up migration of the local database.

SQLite runs in WAL mode with synchronous=FULL and foreign keys on. Before anything
writes to an existing file we read its schema revision through a read-only connection:
a database written by a newer dvc-desk is refused and left exactly as it was.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from desktop.errors import UserError, define
from desktop.settings import driver_url
from desktop.storage import failures
from desktop.storage.revision import HEAD_REVISION, stored_revision

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")

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
E_DATABASE_FORBIDDEN = define(
    "storage.database_forbidden",
    vi=(
        "Máy chủ cơ sở dữ liệu từ chối việc này: tài khoản cơ sở dữ liệu của bạn không có "
        "quyền (vai trò của bạn không làm việc này). Không có gì bị thay đổi. Hãy nhờ người "
        "có vai trò phù hợp, hoặc nhờ quản trị viên kiểm tra tài khoản."
    ),
    en=(
        "The database server refused this: your database login lacks the permission (your "
        "role does not do this). Nothing was changed. Ask someone with the right role, or "
        "ask an administrator to check your login."
    ),
)
INSUFFICIENT_PRIVILEGE = "42501"  # SQLSTATE of PostgreSQL's "permission denied"


E_SERVER_UNREACHABLE = define(
    "storage.server_unreachable",
    vi=(
        "Không kết nối được cơ sở dữ liệu dùng chung {url} ({detail}). Hãy kiểm tra máy chủ "
        "PostgreSQL của cơ quan đang chạy, mạng nội bộ và địa chỉ trong Cài đặt "
        "(«dvc-desk settings set database_url ...»); dữ liệu không bị thay đổi."
    ),
    en=(
        "Cannot reach the shared database {url} ({detail}). Check that the office's "
        "PostgreSQL server runs, the office network and the address in Settings; "
        "nothing was changed."
    ),
)
# Two clerks' apps starting together on a database that needs a migration: one
# migrates, the other waits for it (a PostgreSQL advisory lock held by the migration).
MIGRATION_LOCK = 0x6476_6364_6573_6B01


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

    # The URL only names the dialect here (the migration runs on `connection`); a
    # server URL keeps its password out of Alembic's configuration.
    config = _alembic_config(engine.url.render_as_string(hide_password=True))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


WRITTEN_DOSSIERS = "dvc_written_dossiers"  # Session.info key: dossier ids this unit wrote


EXPECTED_VERSIONS = "dvc_expected_versions"  # Session.info key: {dossier id: row_version}


def expect_version(session: Session, dossier_id: int, row_version: int) -> None:
    """The editor read `row_version`: the office's hook refuses the write if another
    person changed the dossier since (desktop.office.audit)."""
    session.info.setdefault(EXPECTED_VERSIONS, {})[dossier_id] = row_version


def refuse_stale(session: Session, dossier_id: int) -> None:
    """Refuse a write made from an older version of the dossier (Database.on_stale)."""
    session.info.setdefault(WRITTEN_DOSSIERS, set()).add(dossier_id)
    raise StaleDataError(f"dossier {dossier_id} was changed meanwhile")


def downgrade(engine: Engine, revision: str) -> None:
    """Undo migrations down to `revision` (tests and an administrator's repair)."""
    from alembic import command

    config = _alembic_config(engine.url.render_as_string(hide_password=True))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def server_url(url: str) -> str:
    """`postgresql://...` as clerks paste it, with the driver dvc-desk uses (psycopg 3)."""
    return driver_url(url)


def shown_url(url: str) -> str:
    """A database URL as it may be shown or logged: never its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL at all: show its scheme only
        return url.split("://", 1)[0] + "://..."


def create_server_engine(url: str) -> Engine:
    """An engine on the shared PostgreSQL database (pre-ping: a restarted server's
    dropped connections are replaced instead of failing the next unit of work)."""
    return create_engine(
        server_url(url),
        future=True,
        pool_pre_ping=True,
        pool_size=5,
        connect_args={"connect_timeout": 10, "application_name": "dvc-desk"},
    )


def open_server_database(url: str) -> Engine:
    """Open (creating or upgrading the schema of) the shared database at `url`."""
    engine = create_server_engine(url)
    try:
        with engine.connect() as conn:
            revision: str | None = None
            if inspect(conn).has_table("alembic_version"):
                revision = conn.scalar(text("SELECT version_num FROM alembic_version"))
    except OperationalError as exc:
        engine.dispose()
        detail = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else "?"
        raise UserError(E_SERVER_UNREACHABLE, url=shown_url(url), detail=detail) from exc
    if revision not in (None, head_revision()) and revision not in known_revisions():
        engine.dispose()
        raise UserError(E_NEWER_DATABASE, path=shown_url(url), revision=revision)
    if revision != head_revision():
        upgrade(engine)
    return engine


def open_any(path: Path, url: str | None) -> Engine:
    """The shared database when `url` is set, else the SQLite file at `path`."""
    if url:
        return open_server_database(url)
    return open_database(path)


class Database:
    """Sessions over one engine: one session per unit of work, never shared."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._factory = sessionmaker(engine, expire_on_commit=False)
        # Turns a write that lost an optimistic-version race into the user's message
        # (desktop.office.conflicts names who changed the row meanwhile).
        self.on_stale: Callable[[Session], Exception] | None = None

    @property
    def sessions(self) -> sessionmaker[Session]:
        """The session factory (for session event hooks such as the audit trail)."""
        return self._factory

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed on success, rolled back on any exception."""
        session = self._factory()
        try:
            yield session
            session.commit()
        except DBAPIError as exc:
            session.rollback()
            if getattr(exc.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
                raise UserError(E_DATABASE_FORBIDDEN) from exc
            raise
        except StaleDataError as exc:
            session.rollback()
            if self.on_stale is None:
                raise
            raise self.on_stale(session) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
