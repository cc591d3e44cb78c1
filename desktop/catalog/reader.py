"""The quick `dvc-desk catalog search`: the data dir's SQLite file read with the stdlib
sqlite3 module, without SQLAlchemy, Alembic or the workspace (a third of a second of
start-up for a script that calls the command once per file).

Used only when nothing else is needed first: the data dir's own SQLite file (no shared
PostgreSQL database), already at the schema this dvc-desk writes (HEAD_REVISION) and
with a catalog in it. Otherwise `open_reader` returns None and the command opens the
workspace, which migrates, imports the bundled catalog or connects to the server as
before. The search itself is desktop.catalog.finding, the one the workspace's catalog
service runs, so both give the same answers; a damaged, locked or unreadable file fails
through the same helpers (stored_revision, desktop.storage.failures) with the same
messages. The file is opened read-only (immutable in a read-only folder, like the
workspace does): no row is written, and neither is the log (SQLite may leave its
empty `-wal` and `-shm` beside the file, as the workspace's revision check does).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from desktop.catalog import finding
from desktop.catalog.model import ProcedureSummary
from desktop.paths import Paths
from desktop.settings import Settings, chosen_database_url
from desktop.storage import failures
from desktop.storage.revision import HEAD_REVISION, stored_revision

BUSY_SECONDS = 10.0  # the workspace's busy_timeout (desktop.storage.db)


class CatalogReader:
    """A read-only connection to the catalog of one data dir's SQLite file."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def run(self, sql: str, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        return self._conn.execute(sql, dict(params)).fetchall()

    def search(
        self,
        text: str,
        agency: str | None = None,
        field: str | None = None,
        limit: int = 50,
        level: str | None = None,
    ) -> list[ProcedureSummary]:
        """CatalogService.search, on this connection."""
        return finding.find(
            self.run,
            text,
            agency=agency,
            field=field,
            level=level,
            limit=limit,
            usage=lambda: finding.usage_counts(self.run),
        )

    def close(self) -> None:
        self._conn.close()


def open_reader(paths: Paths, database: str | None = None) -> CatalogReader | None:
    """A reader of `paths`' database, or None when the workspace must open it (a shared
    database chosen by `database`, the environment or the settings; no file yet; an
    older schema; an empty catalog). A newer or damaged file is refused here exactly as
    the workspace refuses it."""
    if chosen_database_url(Settings(paths.settings_file), database):
        return None
    path = paths.database
    if not path.is_file():
        return None
    read_only = failures.folder_read_only(path.parent)
    if stored_revision(path, immutable=read_only) != HEAD_REVISION:
        return None  # the workspace migrates it (or says why it cannot)
    flags = "mode=ro&immutable=1" if read_only else "mode=ro"
    # sqlite3's errors from here on reach the command line's handler raw, as the
    # workspace's do (SQLAlchemy's wrap the same ones): one mapping, the same messages.
    conn = sqlite3.connect(f"file:{path}?{flags}", uri=True, timeout=BUSY_SECONDS)
    try:
        empty = conn.execute("SELECT 1 FROM procedures LIMIT 1").fetchone() is None
    except BaseException:
        conn.close()
        raise
    if empty:
        conn.close()
        return None  # the workspace imports the bundled catalog first
    return CatalogReader(conn)
