"""`dvc-desk db migrate-to postgresql://...` (issue #17 item 5): everything copied and
verified by counts and hashes, the queue's intents kept, the source unchanged."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import update

from desktop.office import engine_lock
from desktop.office.move import table_hash, tables
from desktop.paths import Paths
from desktop.storage.outbox_models import OutboxItem
from desktop.sync.outbox import Outbox
from desktop.workspace import Workspace
from tests.core.sync.factory import valid_dossier


def _snapshot(ws: Workspace) -> dict[str, tuple[int, str]]:
    with ws.db.engine.connect() as conn:
        return {t.name: (c.rows, c.sha256) for t in tables() for c in [table_hash(conn, t)]}


@pytest.fixture
def office_pc(data_dir: Path, tmp_path: Path) -> Path:
    """A single-PC workspace: a queued dossier caught in the middle of a send (its
    intent recorded), a draft, the catalog, the history and the audit trail."""
    ws = Workspace(Paths(data_dir))
    queued = valid_dossier(ws, tmp_path / "files", "a")
    valid_dossier(ws, tmp_path / "files", "b")
    Outbox(ws.db, ws.dossiers, ws.store, ws.events).submit(queued.id)
    with ws.db.session() as session:
        session.execute(
            update(OutboxItem).values(
                state="UPLOADING", attempts=2, in_flight="create", bytes_sent=5
            )
        )
    ws.close()
    return data_dir


def test_a_workspace_moves_whole_and_verified_and_the_source_stays(
    office_pc: Path,
    tmp_path: Path,
    postgres_url: str,
    run_cli,  # type: ignore[no-untyped-def]
) -> None:
    source = Workspace(Paths(office_pc))
    before = _snapshot(source)
    source.close()
    shared = tmp_path / "office-store"

    result = run_cli("db", "migrate-to", postgres_url, "--blobs", str(shared))

    assert result.code == 0, result.err
    assert "mã băm từng bảng khớp" in result.out
    source = Workspace(Paths(office_pc))
    assert _snapshot(source) == before  # the source is left as it was
    server = Workspace(Paths(tmp_path / "desk2"), database=postgres_url)
    after = _snapshot(server)
    assert after.pop("audit_log")[0] == before["audit_log"][0] + 1  # + "db.migrate"
    assert after == {k: v for k, v in before.items() if k != "audit_log"}
    assert before["dossiers"][0] == 2 and before["outbox_items"][0] == 1
    item = server.outbox.entries()[0]
    assert (item.state, item.attempts) == ("UPLOADING", 2)
    assert [e.action for e in server.office.trail.entries()][-1] == "db.migrate"
    # every attachment is in the shared store, byte for byte
    for dossier in source.dossiers.list():
        for attachment in source.dossiers.get(dossier.id).attachments:
            copied = shared / attachment.sha256[:2] / attachment.sha256
            assert hashlib.sha256(copied.read_bytes()).hexdigest() == attachment.sha256
    # the procedure search index (not a table of the metadata) is built on the server
    found = [s.key for s in source.catalog.search("cchn duoc", limit=5)]
    assert found and [s.key for s in server.catalog.search("cchn duoc", limit=5)] == found
    # new rows on the server do not collide with the copied ids
    fresh = server.dossiers.create("SYT-DUOC-CCHN-XET-HO-SO")
    assert fresh.id == 3
    source.close()
    server.close()


def test_the_move_is_refused_while_an_engine_runs_or_into_a_used_database(
    office_pc: Path,
    postgres_url: str,
    run_cli,  # type: ignore[no-untyped-def]
) -> None:
    engine_lock.hold(office_pc)
    try:
        running = run_cli("db", "migrate-to", postgres_url)
    finally:
        engine_lock.release(office_pc)
    assert running.code == 1
    assert "đang có chương trình gửi hồ sơ" in running.err.lower()

    assert run_cli("db", "migrate-to", postgres_url).code == 0
    again = run_cli("db", "migrate-to", postgres_url)
    assert again.code == 1
    assert "đã có dữ liệu" in again.err
