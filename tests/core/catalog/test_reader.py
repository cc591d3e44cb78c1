"""The quick `dvc-desk catalog search` (desktop/catalog/reader.py, stdlib sqlite3, no
workspace) gives the workspace's answers in the same order, and fails with its messages."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from desktop.catalog.quality import read_queries
from desktop.catalog.reader import CatalogReader, open_reader
from desktop.catalog.service import CatalogService
from desktop.errors import UserError
from desktop.paths import Paths
from desktop.settings import DATABASE_URL, ENV_DATABASE, Settings
from desktop.storage import models
from desktop.workspace import Workspace
from portal_sandbox.catalog_gen import catalog
from tests.core.catalog.test_search_quality import QUERIES, SIZE
from tests.core.storage.smalldisk import small_disk


def _file_dossiers(workspace: Workspace, counts: dict[str, int]) -> None:
    now = datetime.now(UTC)
    with workspace.db.session() as session:
        for key, n in counts.items():
            for _ in range(n):
                session.add(
                    models.Dossier(
                        procedure_key=key, state="DRAFT", applicant={}, delivery={}, notes="",
                        created_at=now, updated_at=now,
                    )
                )  # fmt: skip


@pytest.fixture
def quality(workspace: Workspace, service: CatalogService, tmp_path: Path) -> CatalogService:
    """The bundled catalog, the quality set's generated catalog and some filed dossiers."""
    path = tmp_path / "quality.json"
    path.write_text(json.dumps(catalog(SIZE), ensure_ascii=False), encoding="utf-8")
    service.import_file(path, "dvcqg")
    favourites = service.search("cap lai giay phep", limit=6)
    _file_dossiers(workspace, {favourites[3].key: 8, favourites[5].key: 3})
    service.refresh_usage()  # counted at the search above; a CLI process counts afresh
    return service


def _reader(workspace: Workspace) -> CatalogReader:
    reader = open_reader(workspace.paths)
    assert reader is not None, "the database is current: the quick path is taken"
    return reader


def test_the_quality_set_gets_the_same_answers_on_both_paths(
    workspace: Workspace, quality: CatalogService
) -> None:
    queries = [query for query, _expected in read_queries(QUERIES)]
    assert len(queries) >= 60
    reader = _reader(workspace)
    try:
        found = 0
        for query in [*queries, "cap lai giay phep", "", "   ", "GCN QSDĐ", '"*:( AND']:
            quick = reader.search(query, limit=10)
            assert quick == quality.search(query, limit=10), query
            found += bool(quick)
        assert found >= len(queries)  # the set's queries all find something
        # The office's usage reorders the list the same way on both paths.
        used = reader.search("cap lai giay phep", limit=6)
        assert used[0] == quality.search("cap lai giay phep", limit=6)[0]
    finally:
        reader.close()


def test_filters_and_limits_answer_alike(workspace: Workspace, quality: CatalogService) -> None:
    agencies = quality.agencies()
    succeeded = next(a.code for a in agencies if a.successor_code)  # an old Kon Tum agency
    field = quality.fields()[0].code
    cases: list[dict[str, Any]] = [
        {"text": "giay phep", "limit": 1},
        {"text": "giay phep", "limit": 500},
        {"text": "dang ky", "level": "xa", "limit": 50},
        {"text": "", "level": "bo", "limit": 500},
        {"text": "", "agency": "BCA_CAX", "limit": 500},
        {"text": "cap", "agency": succeeded, "limit": 100},
        {"text": "", "agency": succeeded, "limit": 100},
        {"text": "cap", "field": field, "limit": 100},
        {"text": "cchn", "field": field, "agency": succeeded, "level": "tinh"},
    ]
    reader = _reader(workspace)
    try:
        for case in cases:
            assert reader.search(**case) == quality.search(**case), case
        for bad in ({"agency": "NOPE"}, {"field": "NOPE"}, {"level": "huyen"}):
            with pytest.raises(UserError) as quick:
                reader.search("giay phep", **bad)
            with pytest.raises(UserError) as full:
                quality.search("giay phep", **bad)
            assert quick.value.code == full.value.code and quick.value.params == full.value.params
    finally:
        reader.close()


def test_the_workspace_opens_what_needs_more_than_reading(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nowhere = Paths(tmp_path / "nowhere")
    assert open_reader(nowhere) is None
    assert not nowhere.root.exists()  # nothing created
    assert open_reader(workspace.paths) is None  # a current file, but no catalog yet
    workspace.catalog.count()  # the bundled catalog is imported on first use
    assert open_reader(workspace.paths) is not None
    assert open_reader(workspace.paths, "postgresql://clerk@office/dvc") is None
    monkeypatch.setenv(ENV_DATABASE, "postgresql://clerk@office/dvc")
    assert open_reader(workspace.paths) is None
    monkeypatch.delenv(ENV_DATABASE)
    Settings(workspace.paths.settings_file).set(DATABASE_URL, "postgresql://clerk@office/dvc")
    assert open_reader(workspace.paths) is None
    Settings(workspace.paths.settings_file).set(DATABASE_URL, "")
    with sqlite3.connect(workspace.paths.database) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0013'")
    assert open_reader(workspace.paths) is None  # an older schema: the workspace migrates


def _both(  # type: ignore[no-untyped-def]
    run_cli, monkeypatch: pytest.MonkeyPatch, *args: str, data: Path, fallback: bool = False
) -> tuple[Any, Any]:
    """The command on the quick path (no workspace opened, unless it must `fallback`),
    then with the quick path turned off."""
    with monkeypatch.context() as patch:
        if not fallback:
            patch.setattr("desktop.workspace.Workspace.__init__", _no_workspace)
        quick = run_cli(*args, data=data)
    with monkeypatch.context() as patch:
        patch.setattr("desktop.commands.catalog.open_reader", lambda *_args: None)
        full = run_cli(*args, data=data)
    return quick, full


def _no_workspace(*_args: Any, **_kwargs: Any) -> None:
    raise AssertionError("the quick path opened the workspace")


def _prepared(data: Path) -> None:
    workspace = Workspace(Paths(data))
    workspace.catalog.count()
    workspace.close()


def test_the_command_prints_the_same_on_both_paths(  # type: ignore[no-untyped-def]
    run_cli, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _prepared(data_dir)
    for args in (
        ("catalog", "search", "cchn duoc"),
        ("catalog", "search", "giay phep", "--json"),
        ("catalog", "search", "khong co thu tuc nao nhu the nay"),
        ("catalog", "search", "giay phep", "--agency", "NOPE"),
        ("catalog", "search", "giay phep", "--json", "--field", "NOPE"),
    ):
        quick, full = _both(run_cli, monkeypatch, *args, data=data_dir)
        assert (quick.code, quick.out, quick.err) == (full.code, full.out, full.err), args


def _damage(path: Path, table: str | None) -> None:
    """Scribble over the first page of `table`, or over the whole file (its header)."""
    page, count = 0, path.stat().st_size // 4096
    if table is not None:
        with sqlite3.connect(path) as conn:
            (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,))
        conn.close()
        page, count = root[0] - 1, 1
    with path.open("r+b") as handle:
        handle.seek(page * 4096)
        handle.write(bytes(range(256)) * 16 * count)


@pytest.mark.parametrize("table", [None, "procedures", "procedure_search_data"])
def test_a_damaged_database_is_said_alike(  # type: ignore[no-untyped-def]
    run_cli, data_dir: Path, monkeypatch: pytest.MonkeyPatch, table: str | None
) -> None:
    _prepared(data_dir)
    _damage(Paths(data_dir).database, table)
    quick, full = _both(run_cli, monkeypatch, "catalog", "search", "giay phep", data=data_dir)
    assert quick.code == full.code == 4
    assert quick.err == full.err and "hỏng" in quick.err
    assert "Traceback" not in quick.err


def test_a_locked_database_is_said_alike(  # type: ignore[no-untyped-def]
    run_cli, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _prepared(data_dir)
    holder = sqlite3.connect(Paths(data_dir).database, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("CREATE TABLE _held (x)")  # another program holds the file
    try:
        quick, full = _both(run_cli, monkeypatch, "catalog", "search", "giay phep", data=data_dir)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert (quick.code, quick.err) == (full.code, full.err)
    assert quick.code != 0 and quick.err.startswith("dvc-desk: ")
    assert "Traceback" not in quick.err


def test_a_read_only_data_dir_is_searched_alike(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with small_disk(tmp_path / "mnt", size="16m") as disk:
        data = disk.mount / "data"
        _prepared(data)
        view = disk.read_only_view(data)
        quick, full = _both(run_cli, monkeypatch, "catalog", "search", "cchn duoc", data=view)
        assert quick.code == full.code == 0, (quick.err, full.err)
        assert quick.out == full.out and "CCHN" in quick.out.upper()
        # An older schema in a read-only folder cannot be migrated: the same refusal.
        conn = sqlite3.connect(data / "dvc-desk.sqlite3", isolation_level=None)
        conn.execute("UPDATE alembic_version SET version_num = '0013'")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # immutable readers skip the WAL
        conn.close()
        quick, full = _both(
            run_cli, monkeypatch, "catalog", "search", "cchn", data=view, fallback=True
        )
        assert (quick.code, quick.err) == (full.code, full.err) == (1, quick.err)
        assert "chỉ đọc" in quick.err
