"""Moving an office from its SQLite file to PostgreSQL (`dvc-desk db migrate-to URL`).

Every table of the schema is copied (dossiers and their history, the queue with its
intents, payments, results, bundles, remote signing jobs, the catalog with its
editions, accounts and the audit trail) in ONE transaction on the server, then counted
and hashed row by row on both sides before it commits: a difference rolls everything
back. The blob files are checked against their SHA-256 (and copied when a shared store
folder is given). The source is only read, under the engine lock: no engine may be
delivering from it meanwhile, and none can start until the move ends. Queue items keep
their states, attempts and in-flight intents, so an engine on the server reconciles an
interrupted send with the portal exactly as it would have here: nothing is sent twice.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Integer, Row, Table, func, insert, select, text

from desktop.catalog import search_postgres
from desktop.errors import IntegrityError, UserError, define
from desktop.office import engine_lock
from desktop.office.roles import Actor
from desktop.progress import Progress, ProgressCallback, no_progress
from desktop.storage import bundle_models, office_models, outbox_models, sign_job_models
from desktop.storage.db import open_server_database as open_server
from desktop.storage.db import shown_url as safe_url
from desktop.storage.models import Base

_REGISTERED = (bundle_models, office_models, outbox_models, sign_job_models)  # every table
BATCH = 1000

E_ENGINE_RUNNING = define(
    "office.move_engine_running",
    vi=(
        "Đang có chương trình gửi hồ sơ (đồng bộ) chạy trên dữ liệu này nên chưa chuyển "
        "được: hãy đóng cửa sổ dvc-desk và dừng «dvc-desk sync» rồi chạy lại lệnh. Không có "
        "gì bị thay đổi."
    ),
    en=(
        "A sync engine is running on this data, so it cannot be moved: close the dvc-desk "
        "window and stop 'dvc-desk sync', then run the command again. Nothing was changed."
    ),
)
E_TARGET_NOT_EMPTY = define(
    "office.move_target_not_empty",
    vi=(
        "Cơ sở dữ liệu {url} đã có dữ liệu ({table}: {count} dòng) nên không chép vào được "
        "(để không trộn hai văn phòng). Hãy dùng một cơ sở dữ liệu mới, trống."
    ),
    en=(
        "The database {url} already holds data ({table}: {count} rows); nothing was copied "
        "(two offices must not be mixed). Use a new, empty database."
    ),
)
E_MISMATCH = define(
    "office.move_mismatch",
    vi=(
        "Kiểm tra sau khi chép thấy bảng {table} khác nguồn ({detail}); mọi thứ đã được huỷ "
        "trên máy chủ, dữ liệu của máy này không đổi. Hãy chạy «dvc-desk doctor» rồi thử lại."
    ),
    en=(
        "After copying, table {table} differs from the source ({detail}); everything was "
        "rolled back on the server and this PC's data is unchanged. Run 'dvc-desk doctor'."
    ),
)
E_BLOB = define(
    "office.move_blob",
    vi=(
        "Tệp đính kèm {sha256} bị thiếu hoặc hỏng trong kho tệp của máy này nên chưa chuyển; "
        "không có gì bị thay đổi. Hãy chạy «dvc-desk doctor» để xem và sửa."
    ),
    en=(
        "Attachment {sha256} is missing or damaged in this PC's file store; nothing was "
        "moved. Run 'dvc-desk doctor' to see and mend it."
    ),
)


@dataclass(frozen=True)
class TableCheck:
    table: str
    rows: int
    sha256: str


@dataclass(frozen=True)
class MoveReport:
    url: str
    tables: tuple[TableCheck, ...]
    blobs: int
    blob_bytes: int

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def tables() -> list[Table]:
    """Every table of the schema, parents before children."""
    return [t for t in Base.metadata.sorted_tables if t.name != "alembic_version"]


def _value(value: Any) -> Any:
    """A column value in one form on both databases (SQLite gives naive UTC datetimes)."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return value


def _rows(conn: Connection, table: Table) -> Iterator[Row[Any]]:
    order = list(table.primary_key.columns) or list(table.columns)
    yield from conn.execute(select(table).order_by(*order)).yield_per(BATCH)


def table_hash(conn: Connection, table: Table) -> TableCheck:
    """Rows and SHA-256 of the table's content, in primary-key order."""
    digest = hashlib.sha256()
    count = 0
    for row in _rows(conn, table):
        line = json.dumps([_value(v) for v in row], sort_keys=True, ensure_ascii=False, default=str)
        digest.update(line.encode() + b"\n")
        count += 1
    return TableCheck(table.name, count, digest.hexdigest())


def _check_empty(conn: Connection, url: str) -> None:
    for table in tables():
        count = conn.scalar(select(func.count()).select_from(table)) or 0
        if count:
            raise UserError(E_TARGET_NOT_EMPTY, url=safe_url(url), table=table.name, count=count)


def _copy_table(source: Connection, target: Connection, table: Table) -> None:
    self_refs = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    later: list[dict[str, Any]] = []
    batch: list[dict[str, Any]] = []
    for row in _rows(source, table):
        values = dict(row._mapping)
        if self_refs and any(values[c] is not None for c in self_refs):
            # A row may point at a later one: insert without the link, link afterwards.
            later.append({c: values[c] for c in [*(k.name for k in table.primary_key), *self_refs]})
            values.update(dict.fromkeys(self_refs))
        batch.append(values)
        if len(batch) >= BATCH:
            target.execute(table.insert(), batch)
            batch = []
    if batch:
        target.execute(table.insert(), batch)
    keys = list(table.primary_key.columns)
    for link in later:
        condition = [c == link[c.name] for c in keys]
        target.execute(table.update().where(*condition).values({c: link[c] for c in self_refs}))


def _reset_sequences(target: Connection, table: Table) -> None:
    """Ids made on the server continue after the copied ones (no sequence: NULL, no-op)."""
    keys = list(table.primary_key.columns)
    for column in keys:
        if len(keys) == 1 and isinstance(column.type, Integer):
            # Names from the schema's own metadata, never from input.
            top = select(func.coalesce(func.max(column), 0) + 1).scalar_subquery()
            sequence = func.pg_get_serial_sequence(table.name, column.name)
            target.execute(select(func.setval(sequence, top, False)))


def _check_blobs(source: Connection, blobs: Path, copy_to: Path | None) -> tuple[int, int]:
    from desktop.storage.models import Blob

    count = size = 0
    for sha256, length in source.execute(select(Blob.sha256, Blob.size).order_by(Blob.sha256)):
        path = blobs / sha256[:2] / sha256
        digest = hashlib.sha256()
        try:
            with path.open("rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    digest.update(chunk)
        except OSError as exc:
            raise IntegrityError(E_BLOB, sha256=sha256) from exc
        if digest.hexdigest() != sha256:
            raise IntegrityError(E_BLOB, sha256=sha256)
        if copy_to is not None:
            _copy_blob(path, copy_to / sha256[:2] / sha256, sha256)
        count += 1
        size += length
    return count, size


def _copy_blob(source: Path, target: Path, sha256: str) -> None:
    from desktop.atomic import atomic_output

    if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == sha256:
        return  # already there (a second run, or a store shared by several PCs)
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as src, atomic_output(target) as dst:
        shutil.copyfileobj(src, dst, 1 << 20)


def _moved(actor: Actor, url: str) -> dict[str, Any]:
    return {
        "at": datetime.now(UTC), "login": actor.login, "display_name": actor.display_name,
        "role": actor.role.value, "host": socket.gethostname(), "action": "db.migrate",
        "dossier_id": None, "detail": f"moved from SQLite to {safe_url(url)}",
    }  # fmt: skip


def migrate_to(
    source: Engine,
    root: Path,
    blobs: Path,
    url: str,
    *,
    copy_blobs_to: Path | None = None,
    actor: Actor | None = None,
    progress: ProgressCallback | None = None,
) -> MoveReport:
    """Copy the workspace in `source` (data dir `root`, blob store `blobs`) to the empty
    PostgreSQL database at `url`; verified, all or nothing, the source unchanged."""
    report = progress or no_progress
    lock = engine_lock.Exclusive(root)
    if not lock.acquire():
        raise UserError(E_ENGINE_RUNNING)
    try:
        target = open_server(url)
        try:
            with source.connect() as src:
                # One read transaction: the copy and its check see the same snapshot.
                if source.dialect.name == "sqlite":
                    src.exec_driver_sql("BEGIN")
                blob_count, blob_bytes = _check_blobs(src, blobs, copy_blobs_to)
                with target.begin() as dst:
                    dst.execute(text("SET LOCAL TIME ZONE 'UTC'"))
                    _check_empty(dst, url)
                    all_tables = tables()
                    for index, table in enumerate(all_tables, start=1):
                        report(Progress(index, 2 * len(all_tables), table.name))
                        _copy_table(src, dst, table)
                        _reset_sequences(dst, table)
                    checks = []
                    for index, table in enumerate(all_tables, start=1):
                        report(Progress(len(all_tables) + index, 2 * len(all_tables), table.name))
                        expected, found = table_hash(src, table), table_hash(dst, table)
                        if expected != found:
                            detail = (
                                f"{expected.rows} → {found.rows} rows"
                                if expected.rows != found.rows
                                else "content"
                            )
                            raise IntegrityError(E_MISMATCH, table=table.name, detail=detail)
                        checks.append(expected)
                    # The procedure search index is not a table of the schema's
                    # metadata (FTS5 on SQLite): built again from the copied catalog.
                    search_postgres.rebuild(dst)
                    if actor is not None:
                        dst.execute(insert(office_models.AuditEntry), [_moved(actor, url)])
                src.rollback()
        finally:
            target.dispose()
    finally:
        lock.release()
    return MoveReport(safe_url(url), tuple(checks), blob_count, blob_bytes)
