"""The shared office database (issue #17 items 1 and 6): the same migrations on
PostgreSQL, clear messages for a wrong or unreachable server, the set-up script."""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from desktop import cli
from desktop.errors import UserError
from desktop.paths import Paths
from desktop.storage.db import (
    downgrade,
    head_revision,
    open_server_database,
    server_url,
    shown_url,
    upgrade,
)
from desktop.workspace import Workspace
from tests.pg_cluster import PgCluster

REPO = Path(__file__).parents[3]


def _tables(url: str) -> set[str]:
    engine = create_engine(server_url(url))
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_the_same_migrations_build_the_schema_on_postgresql(
    postgres_url: str, tmp_path: Path
) -> None:
    engine = open_server_database(postgres_url)
    try:
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT version_num FROM alembic_version")) == head_revision()
            extensions = set(conn.scalars(text("SELECT extname FROM pg_extension")))
            assert "pg_trgm" in extensions
            columns = {c["name"] for c in inspect(conn).get_columns("outbox_items")}
            assert {"lease_owner", "lease_until", "lease_token"} <= columns
        # Every table of the SQLite schema but FTS5's own exists on PostgreSQL too.
        sqlite_ws = Workspace(Paths(tmp_path / "sqlite"))
        try:
            sqlite_tables = set(inspect(sqlite_ws.db.engine).get_table_names())
        finally:
            sqlite_ws.close()
        fts = {t for t in sqlite_tables if t.startswith(("procedure_search", "dossier_search"))}
        # procedure_search: FTS5 on SQLite, a plain table with a trigram index there (0015).
        assert (sqlite_tables - fts) | {"procedure_search"} == _tables(postgres_url)
        # 0012 can be undone and done again there.
        downgrade(engine, "0009")
        with engine.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("outbox_items")}
            assert "lease_token" not in columns
        upgrade(engine)
    finally:
        engine.dispose()
    # Opening again: current, nothing to do.
    open_server_database(postgres_url).dispose()


def test_a_database_of_a_newer_dvc_desk_is_refused(postgres_url: str) -> None:
    open_server_database(postgres_url).dispose()
    engine = create_engine(server_url(postgres_url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(UserError) as info:
        open_server_database(postgres_url)
    assert info.value.code == "storage.newer_database"


def test_an_unreachable_server_is_said_plainly_without_the_password(
    pg_cluster: PgCluster,
) -> None:
    url = f"postgresql://dvcdesk:bi-mat-123@127.0.0.1:{pg_cluster.port + 1}/dvcdesk"
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["--database", url, "dossier", "list"], out=out, err=err)
    assert code != 0
    message = err.getvalue()
    assert "Không kết nối được cơ sở dữ liệu dùng chung" in message
    assert "bi-mat-123" not in message and "Traceback" not in message
    assert "***" in shown_url(url)


@pytest.mark.parametrize("url", ["mysql://x@y/z", "postgresql://", "postgresql+asyncpg://a@b/c"])
def test_a_wrong_database_address_is_refused_with_what_to_give(url: str) -> None:
    with pytest.raises(UserError) as info:
        server_url(url)
    assert info.value.code == "storage.bad_database_url"
    assert "postgresql://" in info.value.message()


def test_the_setting_refuses_a_wrong_address(data_dir: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(
        ["--data-dir", str(data_dir), "settings", "set", "database_url", "mysql://a@b/c"],
        out=out,
        err=err,
    )
    assert code != 0 and "postgresql://" in err.getvalue()


def test_the_setup_script_creates_the_role_and_database_and_prints_the_url(
    pg_cluster: PgCluster, tmp_path: Path
) -> None:
    command = [
        "bash", str(REPO / "scripts" / "office-db-setup.sh"), "--no-install",
        "--host", "127.0.0.1", "--port", str(pg_cluster.port), "--admin", "postgres",
        "--name", "office_setup",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    found = re.search(r"^postgresql://\S+$", result.stdout, re.MULTILINE)
    assert found is not None, result.stdout + result.stderr
    url = found.group(0)
    assert url.startswith("postgresql://office_setup:") and url.endswith("/office_setup")
    # Again: the database stays, the password changes.
    again = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    assert url not in again.stdout
    # A clerk's app opens it as that role (no superuser) and creates the tables.
    ws = Workspace(Paths(tmp_path / "clerk"), database=url)
    try:
        with ws.db.engine.connect() as conn:
            assert conn.scalar(text("SELECT current_user")) == "office_setup"
            superuser = "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
            assert conn.scalar(text(superuser)) is False
        ws.catalog.ensure_bundled()
        dossier = ws.dossiers.create("SYT-DUOC-CCHN-XET-HO-SO")
        assert ws.dossiers.get(dossier.id).state == "DRAFT"
    finally:
        ws.close()


def test_the_shared_file_store_stays_content_addressed_and_doctor_verifies_it(
    postgres_url: str, tmp_path: Path
) -> None:
    """Two PCs (data dirs) on one database and one shared folder: a file attached at one
    is read at the other; a damaged file in the shared folder is found by `doctor`."""
    import json

    from tests.core.sync.factory import valid_dossier

    share = tmp_path / "office-share"
    desk_a = Workspace(Paths(tmp_path / "a", shared_store=share), database=postgres_url)
    dossier = valid_dossier(desk_a, tmp_path / "scans", "chung")
    sha = dossier.attachments[0].sha256
    assert desk_a.store.path(sha) == share / "blobs" / sha[:2] / sha
    desk_a.close()
    for args in (["shared_store", str(share)], ["database_url", postgres_url]):
        assert cli.main(["--data-dir", str(tmp_path / "b"), "settings", "set", *args]) == 0
    desk_b = Workspace(Paths(tmp_path / "b"))
    try:
        with desk_b.store.open(sha) as handle:  # the other PC reads the same bytes
            assert hashlib.sha256(handle.read()).hexdigest() == sha
    finally:
        desk_b.close()
    target = share / "blobs" / sha[:2] / sha
    target.chmod(0o600)
    target.write_bytes(target.read_bytes()[:-10] + b"x" * 10)
    out = io.StringIO()
    code = cli.main(["--data-dir", str(tmp_path / "b"), "doctor", "--json"], out=out)
    report = json.loads(out.getvalue())
    assert code != 0 and report["files"]["corrupt"] == [sha]
