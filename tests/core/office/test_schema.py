"""Migration 0013 on both databases: the audit log refuses UPDATE and DELETE."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from desktop.storage.db import open_database
from desktop.storage.db import open_server_database as open_server

_INSERT = sa.text(
    "INSERT INTO audit_log (at, login, display_name, role, host, action, dossier_id, detail) "
    "VALUES (CURRENT_TIMESTAMP, 'lan', 'Chị Lan', 'clerk', 'pc1', 'dossier.edit', 1, 'x')"
)


def _assert_append_only(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(_INSERT)
    for statement in ("UPDATE audit_log SET login = 'mallory'", "DELETE FROM audit_log"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(sa.text(statement))
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT login FROM audit_log")).scalars().all() == ["lan"]


def test_sqlite_audit_log_is_append_only(tmp_path: Path) -> None:
    engine = open_database(tmp_path / "db.sqlite3")
    _assert_append_only(engine)


def test_postgresql_audit_log_is_append_only(postgres_url: str) -> None:
    engine = open_server(postgres_url)
    _assert_append_only(engine)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE audit_log"))
    engine.dispose()


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_0013_goes_down_and_up_again(
    dialect: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from alembic import command

    from desktop.storage.db import _alembic_config, upgrade

    if dialect == "sqlite":
        engine = open_database(tmp_path / "db.sqlite3")
    else:
        engine = open_server(request.getfixturevalue("postgres_url"))
    config = _alembic_config(str(engine.url))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0009")
    with engine.connect() as conn:
        assert "audit_log" not in sa.inspect(conn).get_table_names()
    upgrade(engine)
    _assert_append_only(engine)
    engine.dispose()
