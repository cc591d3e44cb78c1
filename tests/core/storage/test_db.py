from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop.errors import UserError
from desktop.storage.db import head_revision, open_database, stored_revision

FIRST_SCHEMA = Path(__file__).parents[2] / "data" / "db-0001-first-schema.sqlite3"


def test_new_database_uses_wal_full_sync_and_foreign_keys(tmp_path: Path) -> None:
    engine = open_database(tmp_path / "db.sqlite3")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
    assert stored_revision(tmp_path / "db.sqlite3") == head_revision()


def test_database_from_newer_version_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    open_database(path).dispose()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(UserError) as info:
        open_database(path)
    assert info.value.code == "storage.newer_database"
    assert "mới hơn" in info.value.message()
    assert path.read_bytes() == before


def test_first_schema_database_upgrades_to_head(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copy(FIRST_SCHEMA, path)
    assert stored_revision(path) == "0001"
    open_database(path).dispose()
    assert stored_revision(path) == head_revision()
    conn = sqlite3.connect(path)
    (count,) = conn.execute("SELECT count(*) FROM dossiers").fetchone()
    # Migration 0003 folds existing dossiers into the search index.
    found = conn.execute(
        "SELECT d.applicant_name FROM dossier_search s JOIN dossiers d ON d.id = s.rowid "
        """WHERE dossier_search MATCH '"nguyen"* AND "van"* AND "a"*'"""
    ).fetchall()
    conn.close()
    assert count >= 1, "the saved first-schema database keeps its dossiers"
    assert found == [("Nguyễn Văn A",)]
