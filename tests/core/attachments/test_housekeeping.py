"""Housekeeping: detached blobs, orphan files and stale temp files go; anything still
referenced, or too young, stays."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, update

from desktop.attachments import housekeeping
from desktop.storage import models, outbox_models
from desktop.workspace import Workspace

from .samples import pdf_bytes, write

OLD = timedelta(hours=48)
_pages = iter(range(1, 1000))  # each blob gets a PDF with its own page count


def _put(ws: Workspace, files: Path) -> str:
    pages = next(_pages)
    return ws.store.put(write(files, f"scan-{pages}.pdf", pdf_bytes(pages))).sha256


def _age_file(path: Path, age: timedelta = OLD) -> None:
    moment = (datetime.now(UTC) - age).timestamp()
    os.utime(path, (moment, moment))


def _age(ws: Workspace, sha: str, age: timedelta = OLD) -> None:
    """Make a blob look stored `age` ago: its row and its file."""
    with ws.db.session() as session:
        session.execute(
            update(models.Blob)
            .where(models.Blob.sha256 == sha)
            .values(created_at=datetime.now(UTC) - age)
        )
    _age_file(ws.store.path(sha), age)


def _old_blob(ws: Workspace, files: Path) -> str:
    sha = _put(ws, files)
    _age(ws, sha)
    return sha


def _has_row(ws: Workspace, sha: str) -> bool:
    with ws.db.session() as session:
        return session.get(models.Blob, sha) is not None


def _kept(ws: Workspace, sha: str) -> bool:
    return _has_row(ws, sha) and ws.store.path(sha).is_file()


def _gone(ws: Workspace, sha: str) -> bool:
    return not _has_row(ws, sha) and not ws.store.path(sha).exists()


def _collect(ws: Workspace, **kwargs: object) -> housekeeping.HousekeepingReport:
    return housekeeping.collect(ws.paths, ws.db, **kwargs)  # type: ignore[arg-type]


# --- referencing rows ----------------------------------------------------------------


def _dossier(ws: Workspace, state: str = "DRAFT", supersedes: int | None = None) -> int:
    now = datetime.now(UTC)
    with ws.db.session() as session:
        if session.get(models.Procedure, "TEST-P") is None:
            session.add(models.Agency(code="TEST.A", name="Sở thử nghiệm"))
            session.add(models.Field(code="TEST.F", name="Lĩnh vực thử nghiệm"))
            session.flush()
            session.add(
                models.Procedure(
                    key="TEST-P", name="Thủ tục thử", agency_code="TEST.A", field_code="TEST.F"
                )
            )
            session.flush()
        row = models.Dossier(
            procedure_key="TEST-P",
            state=state,
            version=2 if supersedes else 1,
            supersedes_id=supersedes,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        return row.id


def _refer_dossier_file(ws: Workspace, sha: str, dossier: int | None = None) -> None:
    dossier = dossier or _dossier(ws)
    with ws.db.session() as session:
        session.add(
            models.DossierFile(
                dossier_id=dossier,
                component_code="TP1",
                blob_sha256=sha,
                name="don.pdf",
                added_at=datetime.now(UTC),
            )
        )


def _refer_superseded_version(ws: Workspace, sha: str) -> None:
    """The file is only on the withdrawn first version; the new version has another."""
    first = _dossier(ws, state="SUPERSEDED")
    _dossier(ws, state="DRAFT", supersedes=first)
    _refer_dossier_file(ws, sha, first)


def _refer_outbox(ws: Workspace, sha: str) -> None:
    dossier = _dossier(ws, state="QUEUED")
    now = datetime.now(UTC)
    with ws.db.session() as session:
        item = outbox_models.OutboxItem(
            dossier_id=dossier,
            kind="dossier",
            uuid=f"uuid-{sha[:8]}",
            submission_key=f"key-{sha[:8]}",
            state="QUEUED",
            body={},
            next_attempt_at=now,
            created_at=now,
            updated_at=now,
        )
        session.add(item)
        session.flush()
        session.add(
            outbox_models.OutboxFile(
                item_id=item.id,
                file_id="f1",
                blob_sha256=sha,
                sha256=sha,
                name="don.pdf",
                size=1,
                media_type="application/pdf",
            )
        )


def _refer_receipt(ws: Workspace, sha: str) -> None:
    dossier = _dossier(ws, state="SUBMITTED")
    with ws.db.session() as session:
        session.add(
            outbox_models.Payment(
                ref=f"pay-{sha[:8]}",
                dossier_id=dossier,
                fee_ids=["fee-1"],
                amount=50000,
                payment_url="http://127.0.0.1/pay",
                state="paid",
                receipt_sha256=sha,
                created_at=datetime.now(UTC),
            )
        )


def _refer_result(ws: Workspace, sha: str) -> None:
    dossier = _dossier(ws, state="SUBMITTED")
    with ws.db.session() as session:
        session.add(
            outbox_models.ResultDocument(
                dossier_id=dossier,
                result_id="kq-1",
                name="ket-qua.pdf",
                sha256=sha,
                size=1,
                blob_sha256=sha,
            )
        )


REFERRERS: dict[str, Callable[[Workspace, str], None]] = {
    "dossier_file": _refer_dossier_file,
    "superseded_version": _refer_superseded_version,
    "outbox_file": _refer_outbox,
    "payment_receipt": _refer_receipt,
    "result_document": _refer_result,
}


# --- tests ---------------------------------------------------------------------------


def test_referencing_columns_are_derived_from_the_schema(workspace: Workspace) -> None:
    found = {(r.table, r.column) for r in housekeeping.referencing_columns(workspace.db)}
    assert found == {
        ("dossier_files", "blob_sha256"),
        ("outbox_files", "blob_sha256"),
        ("payments", "receipt_sha256"),
        ("result_documents", "blob_sha256"),
    }


@pytest.mark.parametrize("referrer", sorted(REFERRERS))
def test_referenced_blob_survives(workspace: Workspace, files: Path, referrer: str) -> None:
    used = _old_blob(workspace, files)
    REFERRERS[referrer](workspace, used)
    detached = _old_blob(workspace, files)

    report = _collect(workspace)

    assert _kept(workspace, used)
    assert _gone(workspace, detached)
    assert [i.name for i in report.removed] == [detached]
    assert report.kept == ()  # left out by the scan, not merely saved by the foreign key
    assert report.referenced == 1


def test_unreferenced_old_blob_is_removed(workspace: Workspace, files: Path) -> None:
    sha = _old_blob(workspace, files)
    size = workspace.store.path(sha).stat().st_size
    dossier = _dossier(workspace)
    _refer_dossier_file(workspace, sha, dossier)
    with workspace.db.session() as session:  # the clerk replaced the scan
        for row in session.query(models.DossierFile).filter_by(dossier_id=dossier):
            session.delete(row)

    report = _collect(workspace)

    assert _gone(workspace, sha)
    assert report.count(housekeeping.KIND_BLOB) == 1
    assert report.bytes_freed == size
    assert report.kept == ()


def test_young_unreferenced_blob_stays(workspace: Workspace, files: Path) -> None:
    young = _put(workspace, files)  # just stored: its attach may not have committed yet
    report = _collect(workspace)
    assert _kept(workspace, young)
    assert report.removed == ()
    assert report.kept == (
        housekeeping.Item(
            housekeeping.KIND_BLOB,
            young,
            workspace.store.path(young).stat().st_size,
            housekeeping.KEPT_YOUNG,
        ),
    )
    # The grace period is the caller's: with a shorter one it goes.
    _age(workspace, young, timedelta(hours=2))
    _collect(workspace, grace=timedelta(hours=1))
    assert _gone(workspace, young)


class _Crash(BaseException):
    """The process dies here (a kill, a power cut)."""


def test_crash_between_row_delete_and_unlink_is_healed(
    workspace: Workspace, files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sha = _old_blob(workspace, files)

    def crash(path: Path) -> bool:
        raise _Crash

    with monkeypatch.context() as patch:
        patch.setattr(housekeeping, "_unlink", crash)
        with pytest.raises(_Crash):
            _collect(workspace)
    assert not _has_row(workspace, sha)  # the row delete was committed
    assert workspace.store.path(sha).is_file()  # the file was left behind

    report = _collect(workspace)

    assert _gone(workspace, sha)
    assert [(i.kind, i.name) for i in report.removed] == [(housekeeping.KIND_ORPHAN, sha)]


def test_dry_run_changes_nothing(workspace: Workspace, files: Path) -> None:
    detached = _old_blob(workspace, files)
    orphan = workspace.paths.blobs / "ee" / ("ee" + "1" * 62)
    orphan.parent.mkdir(exist_ok=True)
    orphan.write_bytes(b"a file without a row")
    _age_file(orphan)
    temp = workspace.paths.tmp / "blob-abc.part"
    temp.write_bytes(b"half a copy")
    _age_file(temp)

    report = _collect(workspace, dry_run=True)

    assert report.dry_run
    assert sorted(i.kind for i in report.removed) == ["blob", "orphan", "temp"]
    assert _kept(workspace, detached)
    assert orphan.is_file()
    assert temp.is_file()
    # The real run then removes exactly what the dry run announced.
    real = _collect(workspace)
    assert real.removed == report.removed
    assert _gone(workspace, detached)
    assert not orphan.exists()
    assert not temp.exists()


def test_reference_added_during_the_run_keeps_the_blob(
    workspace: Workspace, files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sha = _old_blob(workspace, files)
    scan = housekeeping.unreferenced_blobs

    def scan_then_attach(
        db: object, references: list[housekeeping.Reference]
    ) -> list[tuple[str, int, datetime]]:
        found = scan(workspace.db, references)
        _refer_dossier_file(workspace, sha)  # a clerk attaches the same file right now
        return found

    monkeypatch.setattr(housekeeping, "unreferenced_blobs", scan_then_attach)
    report = _collect(workspace)

    assert _kept(workspace, sha)
    assert report.removed == ()
    assert [(i.name, i.reason) for i in report.kept] == [
        (sha, housekeeping.KEPT_REFERENCED_MEANWHILE)
    ]


def test_a_new_referencing_model_is_honoured(workspace: Workspace, files: Path) -> None:
    """A table added later (here: only known to the ORM, the database lacks the foreign
    key) protects its blobs without anyone updating a list."""
    with sqlite3.connect(workspace.paths.database) as raw:
        raw.execute("CREATE TABLE stamp_images (id INTEGER PRIMARY KEY, image_sha256 TEXT)")
    metadata = MetaData()
    Table("blobs", metadata, Column("sha256", String(64), primary_key=True))
    Table(
        "stamp_images",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("image_sha256", ForeignKey("blobs.sha256")),
    )
    used = _old_blob(workspace, files)
    with sqlite3.connect(workspace.paths.database) as raw:
        raw.execute("INSERT INTO stamp_images (image_sha256) VALUES (?)", (used,))
    detached = _old_blob(workspace, files)

    _collect(workspace, metadata=metadata)

    assert _kept(workspace, used)
    assert _gone(workspace, detached)


def test_a_new_referencing_table_in_the_database_is_honoured(
    workspace: Workspace, files: Path
) -> None:
    """A table a later migration created, whose model is not loaded here."""
    with sqlite3.connect(workspace.paths.database) as raw:
        raw.execute(
            "CREATE TABLE seal_scans (id INTEGER PRIMARY KEY,"
            " scan_sha256 TEXT REFERENCES blobs (sha256))"
        )
    used = _old_blob(workspace, files)
    with sqlite3.connect(workspace.paths.database) as raw:
        raw.execute("INSERT INTO seal_scans (scan_sha256) VALUES (?)", (used,))
    assert ("seal_scans", "scan_sha256") in {
        (r.table, r.column) for r in housekeeping.referencing_columns(workspace.db)
    }

    _collect(workspace)

    assert _kept(workspace, used)


def test_stale_temp_files_go_young_ones_stay(workspace: Workspace, files: Path) -> None:
    tmp = workspace.paths.tmp
    stale = [
        tmp / "blob-x1.part",  # an interrupted attach
        tmp / ".signing-k3j.pdf",  # a kill in the middle of signing
        tmp / "result-9.pdf",  # an interrupted download
    ]
    side = workspace.paths.blobs / "ab" / ".signing-q1.pdf"
    side.parent.mkdir(exist_ok=True)
    leftover_dir = tmp / ".ocr-abc"
    leftover_dir.mkdir()
    stale += [side, leftover_dir / "source.pdf"]
    for path in stale:
        path.write_bytes(b"partial")
        _age_file(path)
    _age_file(leftover_dir)
    young = tmp / ".signing-now.pdf"
    young.write_bytes(b"signing right now")

    report = _collect(workspace)

    assert [p for p in stale if p.exists()] == []
    assert not leftover_dir.exists()
    assert young.is_file()
    assert report.count(housekeeping.KIND_TEMP) == len(stale)
    assert [(i.name, i.reason) for i in report.kept] == [
        ("tmp/.signing-now.pdf", housekeeping.KEPT_YOUNG)
    ]


def test_empty_references_do_not_hide_detached_blobs(workspace: Workspace, files: Path) -> None:
    """A payment still pending has no receipt (NULL): that must not protect everything."""
    dossier = _dossier(workspace, state="SUBMITTED")
    with workspace.db.session() as session:
        session.add(
            outbox_models.Payment(
                ref="pay-pending",
                dossier_id=dossier,
                fee_ids=["fee-1"],
                amount=50000,
                payment_url="http://127.0.0.1/pay",
                state="pending",
                receipt_sha256=None,
                created_at=datetime.now(UTC),
            )
        )
    detached = _old_blob(workspace, files)
    _collect(workspace)
    assert _gone(workspace, detached)


def test_file_rewritten_during_the_run_is_kept(
    workspace: Workspace, files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An attach of the same content rewrites the file, then records its row: the
    file must not be unlinked under it, even though the old row is already gone."""
    sha = _old_blob(workspace, files)
    delete_row = housekeeping._delete_row

    def delete_then_attach_writes(db: object, digest: str) -> str | None:
        outcome = delete_row(workspace.db, digest)
        os.utime(workspace.store.path(digest))  # the attach's file lands now
        return outcome

    monkeypatch.setattr(housekeeping, "_delete_row", delete_then_attach_writes)
    report = _collect(workspace)

    assert workspace.store.path(sha).is_file()
    assert [(i.name, i.reason) for i in report.kept] == [(sha, housekeeping.KEPT_YOUNG)]
    monkeypatch.undo()
    # Nothing recorded a row after all: once old, the next run removes the orphan.
    _age_file(workspace.store.path(sha))
    assert [i.kind for i in _collect(workspace).removed] == [housekeeping.KIND_ORPHAN]
    assert _gone(workspace, sha)
