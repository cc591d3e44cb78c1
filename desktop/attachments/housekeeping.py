"""Housekeeping of the attachment store: remove what nothing refers to any more.

Replaced scans, superseded signed copies and deleted drafts leave "detached" blobs:
rows in `blobs` that no row of any table with a foreign key to `blobs.sha256` points
to. `collect()` removes them, files in the store without a row, and temp files left by
interrupted writes (tmp/, `.signing-*`, `.repair-*`), all older than a grace period.

Order of a removal: the `blobs` row is deleted in its own transaction first (foreign
keys are ON, so a row that became referenced meanwhile makes the delete fail and the
blob is kept), committed, then the file is unlinked. A crash between the two leaves a
file without a row, which the next run removes as an orphan.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, column, delete, func, inspect, select, table, union
from sqlalchemy.exc import IntegrityError as SqlIntegrityError
from sqlalchemy.exc import OperationalError
from sqlalchemy.sql.expression import ColumnClause

from desktop.paths import Paths

# outbox_models is loaded for its tables: the metadata must hold every model.
from desktop.storage import models, outbox_models  # noqa: F401
from desktop.storage.db import Database

log = logging.getLogger(__name__)

DEFAULT_GRACE = timedelta(hours=24)
BLOB_TABLE = "blobs"
BLOB_KEY = "sha256"
_SHA_NAME = re.compile(r"^[0-9a-f]{64}$")
# Temp files some writers (signer, PDF repair) create beside their target file.
_SIDE_TEMP = re.compile(r"^\.(signing|repair)-.*")

# Why an unreferenced blob or file was kept.
KEPT_YOUNG = "young"  # younger than the grace period: an attach may be in flight
KEPT_REFERENCED_MEANWHILE = "referenced_meanwhile"  # a reference appeared during the run
KEPT_BUSY = "busy"  # the database was locked too long by another writer
KEPT_UNLINK_FAILED = "unlink_failed"  # the file could not be removed (permissions, open)

# What a removed item was.
KIND_BLOB = "blob"  # a row and its file that nothing referred to
KIND_ORPHAN = "orphan"  # a file in the store without a row
KIND_TEMP = "temp"  # a temp file left by an interrupted write


@dataclass(frozen=True)
class Item:
    """One file removed (or, in a dry run, that would be removed), or kept and why."""

    kind: str
    name: str
    size: int
    reason: str = ""


@dataclass(frozen=True)
class HousekeepingReport:
    """What `collect()` did: removed items, unreferenced items kept (with the reason),
    and how many blobs are still referenced."""

    dry_run: bool
    grace_seconds: float
    referenced: int
    removed: tuple[Item, ...] = ()
    kept: tuple[Item, ...] = ()

    def count(self, kind: str) -> int:
        return sum(1 for item in self.removed if item.kind == kind)

    @property
    def bytes_freed(self) -> int:
        return sum(item.size for item in self.removed)


@dataclass(frozen=True)
class Reference:
    """A column holding a foreign key to `blobs.sha256`."""

    table: str
    column: str


def referencing_columns(db: Database, metadata: MetaData | None = None) -> list[Reference]:
    """Every column with a foreign key to `blobs.sha256`.

    Derived, never hand-kept: the union of the ORM metadata (`metadata`, by default
    every dvc-desk model) and the foreign keys the database itself declares (a table
    created by a migration whose model is not loaded still protects its blobs).
    """
    found: set[Reference] = set()
    for orm_table in (metadata or models.Base.metadata).tables.values():
        for key in orm_table.foreign_keys:
            if key.column.table.name == BLOB_TABLE and key.column.name == BLOB_KEY:
                found.add(Reference(orm_table.name, key.parent.name))
    inspector = inspect(db.engine)
    for name in inspector.get_table_names():
        for reflected in inspector.get_foreign_keys(name):
            if reflected["referred_table"] != BLOB_TABLE:
                continue
            for constrained, referred in zip(
                reflected["constrained_columns"], reflected["referred_columns"], strict=True
            ):
                if referred == BLOB_KEY:
                    found.add(Reference(name, constrained))
    # A model whose table is not in this database (yet) cannot hold a reference.
    present = set(inspector.get_table_names())
    return sorted((r for r in found if r.table in present), key=lambda r: (r.table, r.column))


def unreferenced_blobs(
    db: Database, references: list[Reference]
) -> list[tuple[str, int, datetime]]:
    """(sha256, size, created_at) of every blob row no referencing column points to."""
    query = select(models.Blob.sha256, models.Blob.size, models.Blob.created_at)
    used = []
    for ref in references:
        referring: ColumnClause[Any] = column(ref.column)
        # NULLs left out: one NULL in a NOT IN list would hide every blob.
        used.append(
            select(referring).select_from(table(ref.table, referring)).where(referring.is_not(None))
        )
    if used:
        # One uncorrelated set that SQLite builds once, instead of a probe per blob
        # into tables whose column has no index (payments, result_documents).
        query = query.where(models.Blob.sha256.not_in(union(*used).scalar_subquery()))
    with db.session() as session:
        return [(sha, size, created) for sha, size, created in session.execute(query)]


def _count_blobs(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(models.Blob)) or 0)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _blob_path(paths: Paths, sha: str) -> Path:
    return paths.blobs / sha[:2] / sha


def _stored_files(paths: Paths) -> Iterator[Path]:
    if not paths.blobs.is_dir():
        return
    for sub in sorted(paths.blobs.iterdir()):
        if sub.is_dir() and len(sub.name) == 2:
            yield from sorted(sub.iterdir())


def _temp_files(paths: Paths) -> Iterator[Path]:
    """Everything under tmp/ (it holds only temp files), and the side temp files of
    the signer and PDF repair anywhere in the store."""
    if paths.tmp.is_dir():
        for root, _dirs, names in os.walk(paths.tmp):
            for name in sorted(names):
                yield Path(root) / name
    for item in _stored_files(paths):
        if _SIDE_TEMP.match(item.name) and item.is_file():
            yield item


def _remove_empty_dirs(paths: Paths, cutoff: float, emptied: set[Path]) -> None:
    """Folders left inside tmp/ by an interrupted temp directory, once empty and old
    (or emptied by this run: removing their files made their mtime new)."""
    if not paths.tmp.is_dir():
        return
    for root, dirs, _names in os.walk(paths.tmp, topdown=False):
        for name in dirs:
            folder = Path(root) / name
            with contextlib.suppress(OSError):
                if folder in emptied or folder.stat().st_mtime <= cutoff:
                    folder.rmdir()  # fails (kept) when not empty


def _size_and_mtime(path: Path) -> tuple[int, float] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime


def _delete_row(db: Database, sha: str) -> str | None:
    """Delete the blob row in its own transaction; None when done, else why it was kept."""
    try:
        with db.session() as session:
            session.execute(delete(models.Blob).where(models.Blob.sha256 == sha))
    except SqlIntegrityError:
        # Foreign keys are ON: someone referred to the blob after the scan.
        return KEPT_REFERENCED_MEANWHILE
    except OperationalError as exc:
        log.warning("blob %s kept: database busy (%s)", sha, exc)
        return KEPT_BUSY
    return None


def _row_exists(db: Database, sha: str) -> bool:
    with db.session() as session:
        return session.get(models.Blob, sha) is not None


def _unlink(path: Path) -> bool:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("could not remove %s: %s", path, exc)
        return False
    return True


def _remove_blob(paths: Paths, db: Database, sha: str, cutoff_ts: float) -> str | None:
    """Delete the row, then the file; None when both are gone, else why it was kept."""
    reason = _delete_row(db, sha)
    if reason is not None:
        return reason
    # The row is gone (committed). If an attach of the same content recorded a new
    # row since, the file is its file now: leave it.
    if _row_exists(db, sha):
        return KEPT_REFERENCED_MEANWHILE
    # A file written (or touched) since the scan may belong to an attach in flight
    # whose row is not committed yet; without a row it is an orphan, removed by a
    # later run once it is older than the grace period.
    target = _blob_path(paths, sha)
    again = _size_and_mtime(target)
    if again is not None and again[1] > cutoff_ts:
        return KEPT_YOUNG
    return None if _unlink(target) else KEPT_UNLINK_FAILED


def collect(
    paths: Paths,
    db: Database,
    *,
    grace: timedelta = DEFAULT_GRACE,
    dry_run: bool = False,
    metadata: MetaData | None = None,
) -> HousekeepingReport:
    """Remove detached blobs, orphan store files and stale temp files older than `grace`.

    A blob is detached when no row of any table with a foreign key to `blobs.sha256`
    (see `referencing_columns`) points to it: a withdrawn or superseded dossier version
    that still lists a file keeps it. With `dry_run` nothing is changed and the report
    says what would be removed.
    """
    now = datetime.now(UTC)
    cutoff = now - grace
    cutoff_ts = cutoff.timestamp()
    references = referencing_columns(db, metadata)
    removed: list[Item] = []
    kept: list[Item] = []

    total = _count_blobs(db)
    candidates = unreferenced_blobs(db, references)
    for sha, size, created in candidates:
        stat = _size_and_mtime(_blob_path(paths, sha))
        if _utc(created) > cutoff or (stat is not None and stat[1] > cutoff_ts):
            kept.append(Item(KIND_BLOB, sha, size, KEPT_YOUNG))
        elif dry_run:
            removed.append(Item(KIND_BLOB, sha, size))
        else:
            reason = _remove_blob(paths, db, sha, cutoff_ts)
            item = Item(KIND_BLOB, sha, size, reason or "")
            (kept if reason else removed).append(item)

    # Files in the store without a row: earlier crashes (including one between a row
    # delete above and its unlink) and imports whose unit of work never committed.
    with db.session() as session:
        known = set(session.scalars(select(models.Blob.sha256)))
    # Blobs handled above are reported once, as blobs.
    handled = {item.name for item in (*removed, *kept) if item.kind == KIND_BLOB}
    for path in _stored_files(paths):
        if not _SHA_NAME.match(path.name) or path.name in known or path.name in handled:
            continue
        _collect_file(
            path,
            Item(KIND_ORPHAN, path.name, 0),
            cutoff_ts=cutoff_ts,
            dry_run=dry_run,
            removed=removed,
            kept=kept,
        )

    for path in list(_temp_files(paths)):
        _collect_file(
            path,
            # Named from the data dir: tmp/.signing-x.pdf, blobs/ab/.repair-y.pdf.
            Item(KIND_TEMP, path.relative_to(paths.root).as_posix(), 0),
            cutoff_ts=cutoff_ts,
            dry_run=dry_run,
            removed=removed,
            kept=kept,
        )
    if not dry_run:
        emptied = {paths.root / Path(i.name).parent for i in removed if i.kind == KIND_TEMP}
        _remove_empty_dirs(paths, cutoff_ts, emptied)

    referenced = total - len(candidates)
    report = HousekeepingReport(
        dry_run, grace.total_seconds(), max(referenced, 0), tuple(removed), tuple(kept)
    )
    if removed and not dry_run:
        log.info("housekeeping removed %d file(s), %d bytes", len(removed), report.bytes_freed)
    return report


def _collect_file(
    path: Path,
    what: Item,
    *,
    cutoff_ts: float,
    dry_run: bool,
    removed: list[Item],
    kept: list[Item],
) -> None:
    """Remove `path` (described by `what`) when older than the cutoff; note the outcome."""
    stat = _size_and_mtime(path)
    if stat is None:
        return
    size, mtime = stat
    if mtime > cutoff_ts:
        kept.append(Item(what.kind, what.name, size, KEPT_YOUNG))
    elif dry_run or _unlink(path):
        removed.append(Item(what.kind, what.name, size))
    else:
        kept.append(Item(what.kind, what.name, size, KEPT_UNLINK_FAILED))
