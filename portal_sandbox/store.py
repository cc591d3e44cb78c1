"""The sandbox's own SQLite store: its tables, created by itself at start.

One write lock serialises every unit of work: the sandbox is a training server, and
this keeps SQLite free of "database is locked" under concurrent requests.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    create_engine,
    event,
    select,
    update,
)


class UtcDateTime(TypeDecorator[datetime]):
    """SQLite forgets time zones: store UTC, hand back aware datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


metadata = MetaData()

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(40), nullable=False, unique=True),
    Column("email", String(254), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("full_name", String(200), nullable=False),
    Column("phone", String(20), nullable=False),
    Column("active", Boolean, nullable=False, default=False),
    Column("activation_token", String(64), unique=True),
    Column("created_at", UtcDateTime, nullable=False),
)

tokens = Table(
    "tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("kind", String(10), nullable=False),  # access | refresh
    Column("account_id", ForeignKey("accounts.id"), nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
)

mails = Table(
    "mails",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("to_address", String(254), nullable=False),
    Column("username", String(40), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("link", String(500), nullable=False),
    Column("sent_at", UtcDateTime, nullable=False),
)

dossiers = Table(
    "dossiers",
    metadata,
    Column("uuid", String(36), primary_key=True),
    Column("account_id", ForeignKey("accounts.id"), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("body", JSON, nullable=False),
    Column("agency_code", String(64), nullable=False),
    Column("procedure_code", String(64)),
    Column("procedure_name", String(500), nullable=False),
    Column("state", Integer, nullable=False),
    Column("receipt_no", String(100), unique=True),
    Column("submitted_at", UtcDateTime),
    Column("appointment_date", String(10)),
    Column("submission_key", String(200)),
    Column("submission_hash", String(64)),
    Column("seq", BigInteger, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

uploads = Table(
    "uploads",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("dossier_uuid", ForeignKey("dossiers.uuid"), nullable=False),
    Column("supplement_id", String(64)),
    Column("file_id", String(64), nullable=False),
    Column("name", String(255), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("media_type", String(127), nullable=False),
    Column("component_code", String(64)),
    Column("offset", BigInteger, nullable=False, default=0),
    Column("complete", Boolean, nullable=False, default=False),
    Column("expires_at", UtcDateTime, nullable=False),
    UniqueConstraint("dossier_uuid", "supplement_id", "file_id"),
)

history = Table(
    "history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dossier_uuid", ForeignKey("dossiers.uuid"), nullable=False),
    Column("state", Integer, nullable=False),
    Column("note", Text),
    Column("at", UtcDateTime, nullable=False),
)

supplement_requests = Table(
    "supplement_requests",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("dossier_uuid", ForeignKey("dossiers.uuid"), nullable=False),
    Column("note", Text, nullable=False),
    Column("requested_at", UtcDateTime, nullable=False),
    Column("answered_by", String(64)),
)

supplements = Table(
    "supplements",
    metadata,
    # Scoped per dossier: two offices' supplements may carry the same id.
    Column("id", String(64), primary_key=True),
    Column("dossier_uuid", ForeignKey("dossiers.uuid"), primary_key=True),
    Column("request_id", String(32), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("state", String(20), nullable=False),  # uploading | received
    Column("created_at", UtcDateTime, nullable=False),
)

fees = Table(
    "fees",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("dossier_uuid", ForeignKey("dossiers.uuid"), nullable=False),
    Column("description", String(300), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("paid", Boolean, nullable=False, default=False),
    Column("payment_ref", String(32)),
)

payments = Table(
    "payments",
    metadata,
    Column("ref", String(32), primary_key=True),
    Column("dossier_uuid", ForeignKey("dossiers.uuid"), nullable=False),
    Column("account_id", ForeignKey("accounts.id"), nullable=False),
    Column("fee_ids", JSON, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("state", String(10), nullable=False),  # pending | paid | cancelled
    Column("method", String(100)),
    Column("paid_at", UtcDateTime),
)

results = Table(
    "results",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("dossier_uuid", ForeignKey("dossiers.uuid"), nullable=False),
    Column("name", String(255), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
)

idempotency = Table(
    "submissions",
    metadata,
    # Scoped per account: one office's key never collides with (or reveals) another's.
    Column("key", String(200), primary_key=True),
    Column("account_id", ForeignKey("accounts.id"), primary_key=True),
    Column("dossier_uuid", ForeignKey("dossiers.uuid"), nullable=False),
    Column("body_hash", String(64), nullable=False),
)

# Files received by the service-style face (UploadFile), before a dossier names them.
lgsp_files = Table(
    "lgsp_files",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("account_id", ForeignKey("accounts.id"), nullable=False),
    Column("name", String(255), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

counters = Table(
    "counters",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("value", BigInteger, nullable=False),
)


def _pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


class Store:
    """The sandbox database; `begin()` is one serialised transaction."""

    def __init__(self, path: Path) -> None:
        self.engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
        event.listen(self.engine, "connect", _pragmas)
        metadata.create_all(self.engine)
        self._lock = threading.RLock()

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        with self._lock, self.engine.begin() as conn:
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()


def next_value(conn: Connection, name: str) -> int:
    """Increment and return the counter `name` (1 the first time) inside `conn`'s transaction."""
    current = conn.execute(select(counters.c.value).where(counters.c.name == name)).scalar()
    if current is None:
        conn.execute(counters.insert().values(name=name, value=1))
        return 1
    conn.execute(update(counters).where(counters.c.name == name).values(value=current + 1))
    return int(current) + 1
