from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from desktop.errors import UserError
from desktop.paths import Paths
from desktop.storage.db import head_revision, open_database, stored_revision
from desktop.workspace import Workspace

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
    # Migration 0005: the procedure became edition 1 of itself, the dossier is pinned to
    # it, and its file is still under the same component.
    conn = sqlite3.connect(path)
    editions = conn.execute(
        "SELECT procedure_key, number, source FROM procedure_editions"
    ).fetchall()
    pinned = conn.execute(
        "SELECT procedure_edition, case_code FROM dossiers WHERE id = 1"
    ).fetchone()
    conn.close()
    assert editions == [("cchn-duoc-xet-ho-so", 1, "migration 0005")]
    assert pinned == (1, None)


def test_a_first_schema_dossier_still_reads_and_validates_after_0005(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIRST_SCHEMA, data / "dvc-desk.sqlite3")
    workspace = Workspace(Paths(data).ensure())
    try:
        dossier = workspace.dossiers.get(1)
        assert dossier.procedure_edition == 1
        procedure = workspace.dossiers.procedure_of(dossier)
        assert [c.code for c in procedure.components] == ["TP1"]
        assert procedure.components[0].required is True
        items = workspace.dossiers.checklist_items(1)
        assert [(i.spec.code, i.status, [f.name for f in i.files]) for i in items] == [
            ("TP1", "attached", ["don.pdf"])
        ]
        assert workspace.dossiers.newer_edition(1) is None
        found = workspace.catalog.search("cchn duoc")
        assert [r.key for r in found][:1] == ["cchn-duoc-xet-ho-so"]
    finally:
        workspace.close()


FREE_TEXT_ADDRESSES = Path(__file__).parents[2] / "data" / "db-0003-free-text-addresses.sqlite3"


def _dossier_json(path: Path, dossier_id: int) -> tuple[Any, Any, Any]:
    conn = sqlite3.connect(path)
    row = conn.execute(
        "SELECT applicant, submitter, delivery FROM dossiers WHERE id = ?", (dossier_id,)
    ).fetchone()
    conn.close()
    return tuple(None if v is None else json.loads(v) for v in row)  # type: ignore[return-value]


def test_free_text_addresses_get_codes_or_are_flagged(tmp_path: Path) -> None:
    """Migration 0004: addresses that resolve get codes; the rest are flagged, none lost."""
    path = tmp_path / "old.sqlite3"
    shutil.copy(FREE_TEXT_ADDRESSES, path)
    assert stored_revision(path) == "0003"
    frozen_before = _dossier_json(path, 3)
    open_database(path).dispose()
    assert stored_revision(path) == head_revision()

    applicant, _submitter, delivery = _dossier_json(path, 1)
    # "Xã Đắk La" was a commune of Kon Tum (merged into Quảng Ngãi): now Xã Đăk Hà.
    assert applicant["address"] == {
        "province": "Quảng Ngãi",
        "province_code": "51",
        "commune": "Xã Đăk Hà",
        "commune_code": "23500",
        "detail": "Thôn 1",
        "before_0004": {"province": "Quảng Ngãi", "commune": "Xã Đắk La"},
    }
    assert delivery["return_address"]["commune_code"] == "26740"  # Bến Nghé → Sài Gòn
    assert delivery["return_by_post"] is True

    applicant, submitter, _delivery = _dossier_json(path, 2)
    # Phường Kim Mã was split between three wards: the clerk must choose.
    assert applicant["address"]["needs_review"] is True
    assert applicant["address"]["commune"] == "Phường Kim Mã"
    assert applicant["address"]["province_code"] == "01"
    assert "commune_code" not in applicant["address"]
    assert submitter["address"]["needs_review"] is True  # no such province
    assert submitter["address"]["province"] == "Xứ Sở"

    # A submitted dossier is a record of what was sent: untouched.
    assert _dossier_json(path, 3) == frozen_before


def test_flagged_address_is_shown_to_the_clerk_as_to_choose_again(tmp_path: Path) -> None:
    from desktop.dossier.model import party_from
    from desktop.dossier.validation import _address

    path = tmp_path / "old.sqlite3"
    shutil.copy(FREE_TEXT_ADDRESSES, path)
    open_database(path).dispose()
    applicant, _s, _d = _dossier_json(path, 2)
    problems = _address(party_from(applicant).address, "applicant.address", required=True)
    assert [p.code for p in problems] == ["address.needs_review"]
    assert problems[0].message().startswith("Địa chỉ cần chọn lại: «Ngõ 5, Phường Kim Mã, Hà Nội»")


def test_migration_0004_can_be_undone(tmp_path: Path) -> None:
    from alembic import command

    from desktop.storage.db import _alembic_config, create_sqlite_engine

    path = tmp_path / "old.sqlite3"
    shutil.copy(FREE_TEXT_ADDRESSES, path)
    before = [_dossier_json(path, i) for i in (1, 2, 3)]
    open_database(path).dispose()
    engine = create_sqlite_engine(path)
    config = _alembic_config(str(engine.url))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
    engine.dispose()
    assert [_dossier_json(path, i) for i in (1, 2, 3)] == before
