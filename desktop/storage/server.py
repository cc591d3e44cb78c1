"""A database server (PostgreSQL) instead of the local SQLite file.

Minimal engine creation for the office features (issue #17 items 3-5); the storage
work of items 1-2 (the `--database` option, dialect fixes, leases) owns the rest.
`postgresql://` URLs are driven by psycopg 3.
"""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, inspect
from sqlalchemy.engine import make_url

from desktop.errors import UserError, define
from desktop.storage.db import head_revision, known_revisions, upgrade

E_BAD_URL = define(
    "storage.bad_database_url",
    vi=(
        "«{url}» không phải địa chỉ cơ sở dữ liệu PostgreSQL. Hãy ghi dạng "
        "postgresql://người-dùng@máy-chủ:5432/tên-cơ-sở-dữ-liệu (quản trị viên có địa chỉ này)."
    ),
    en=(
        "'{url}' is not a PostgreSQL database URL. Write it as "
        "postgresql://user@server:5432/database (your administrator has it)."
    ),
)
E_SERVER_NEWER = define(
    "storage.server_newer",
    vi=(
        "Cơ sở dữ liệu trên máy chủ {url} được tạo bởi phiên bản dvc-desk mới hơn (lược đồ "
        "{revision}). Hãy cài phiên bản mới nhất; dữ liệu trên máy chủ không bị thay đổi."
    ),
    en=(
        "The server database {url} was written by a newer dvc-desk (schema {revision}). "
        "Install the latest dvc-desk; the server's data was left untouched."
    ),
)


def safe_url(url: str) -> str:
    """The URL with its password hidden (for messages and logs)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.rsplit("@", maxsplit=1)[-1][:80]


def engine_for(url: str) -> Engine:
    """An engine for a `postgresql://` URL (psycopg 3); UserError for anything else."""
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise UserError(E_BAD_URL, url=safe_url(url)) from exc
    if parsed.get_backend_name() != "postgresql":
        raise UserError(E_BAD_URL, url=safe_url(url))
    parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, future=True, pool_pre_ping=True)


def stored_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def open_server(url: str) -> Engine:
    """Open (creating or upgrading the schema of) the server database at `url`."""
    engine = engine_for(url)
    revision = stored_revision(engine)
    if revision is not None and revision not in known_revisions():
        engine.dispose()
        raise UserError(E_SERVER_NEWER, url=safe_url(url), revision=revision)
    if revision != head_revision():
        upgrade(engine)
    return engine
