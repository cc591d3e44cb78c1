"""The engine fetches the portal's catalog (ETag, one transaction, what changed)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from catalog.portal_records import copy_records
from sqlalchemy import func, select

from desktop.events import CatalogImported
from desktop.storage import models
from desktop.sync.catalog_sync import CatalogSync
from desktop.workspace import Workspace

from .portal import FakeClock, login_client, make_engine, register, start_sandbox


@pytest.fixture
def records(tmp_path: Path) -> Path:
    return copy_records(tmp_path / "records")


def editions(ws: Workspace) -> int:
    with ws.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(models.ProcedureEdition)) or 0)


def test_the_engine_applies_the_portal_catalog_and_tells_what_changed(
    workspace: Workspace, tmp_path: Path, records: Path
) -> None:
    sandbox = start_sandbox(tmp_path / "sb", catalog_records_dir=records)
    try:
        clock = FakeClock()
        client = login_client(sandbox.url, register(sandbox.url))
        sync = CatalogSync(workspace.db, workspace.events, client, interval=3600, clock=clock)
        engine = make_engine(workspace, sandbox.url, "xa-an-phu", catalog=sync)
        seen: list[CatalogImported] = []
        workspace.events.subscribe(CatalogImported, seen.append)
        engine.run_once()
        assert seen and seen[0].changed == 20
        tach_ho = workspace.catalog.get("1.010038")
        assert tach_ho.edition is not None and tach_ho.edition.source == sync.source
        assert tach_ho.edition.fetched_at is not None
        before = editions(workspace)
        # Not due yet: no request at all; then due, the ETag answers 304.
        engine.run_once()
        clock.advance(3601)
        assert sync.run() is None and editions(workspace) == before
        # The portal publishes a new edition of one procedure.
        path = records / "1.010038.json"
        record = json.loads(path.read_text(encoding="utf-8"))
        record["name"] = "Tách hộ (sửa đổi)"
        path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        report = sync.run(force=True)
        assert report is not None and report.changed_keys == ("1.010038",)
        assert (report.added, report.updated, report.unchanged) == (0, 1, 19)
        assert seen[-1].changed_keys == ("1.010038",)
        assert workspace.catalog.get("1.010038").edition.number == 2  # type: ignore[union-attr]
        # A restart keeps the ETag: the next look is a 304.
        again = CatalogSync(workspace.db, workspace.events, client)
        assert again.etag == sync.etag and again.run(force=True) is None
        engine.close()
    finally:
        sandbox.stop()


def test_a_broken_catalog_answer_writes_nothing(
    workspace: Workspace, tmp_path: Path, records: Path
) -> None:
    (records / "1.010038.json").write_text(json.dumps({"code": "1.010038"}), encoding="utf-8")
    sandbox = start_sandbox(tmp_path / "sb", catalog_records_dir=records)
    try:
        client = login_client(sandbox.url, register(sandbox.url))
        before = (workspace.catalog.count(), editions(workspace))
        engine = make_engine(workspace, sandbox.url, "xa-an-phu", catalog=CatalogSync(
            workspace.db, workspace.events, client
        ))  # fmt: skip
        engine.run_once()  # logged, nothing written, the engine goes on
        assert (workspace.catalog.count(), editions(workspace)) == before
        engine.close()
    finally:
        sandbox.stop()


def test_the_sandbox_serves_a_realistic_catalog(tmp_path: Path) -> None:
    sandbox = start_sandbox(tmp_path / "sb")
    try:
        answer = httpx.get(f"{sandbox.url}/v1/catalog/procedures", timeout=60)
        records = answer.json()
        assert len(records) >= 2000
        assert {r["code"] for r in records} >= {"1.001612", "3.000365"}
        levels = {(r["isWard"], r["isProvince"], r["isMinistry"]) for r in records}
        assert len(levels) >= 3
        assert (
            len({r["categoriesDetails"][0]["code"] for r in records if r["categoriesDetails"]})
            >= 20
        )
        etag = answer.headers["ETag"]
        again = httpx.get(
            f"{sandbox.url}/v1/catalog/procedures", headers={"If-None-Match": etag}, timeout=60
        )
        assert again.status_code == 304
    finally:
        sandbox.stop()
