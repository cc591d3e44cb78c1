"""ORM tables of the outbox and of what the portal tells us after submission.

An outbox item is one thing to deliver exactly once: a dossier (or a supplement) with
its frozen request body, its UUID and its submission key. The engine writes its intent
(`in_flight`) before every network side effect and the outcome after it, so a restart
knows what may have happened on the portal and asks before acting again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from desktop.storage.models import Base


class OutboxItem(Base):
    """One dossier or supplement on its way to the portal."""

    __tablename__ = "outbox_items"
    __table_args__ = (
        Index("ix_outbox_items_due", "state", "next_attempt_at", "id"),
        UniqueConstraint("submission_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # dossier | supplement
    uuid: Mapped[str] = mapped_column(String(36), index=True)
    supplement_id: Mapped[str | None] = mapped_column(String(64))
    submission_key: Mapped[str] = mapped_column(String(64))
    account: Mapped[str] = mapped_column(String(200), default="")
    # QUEUED · UPLOADING · SUBMITTING · DONE · STOPPED (needs a person)
    state: Mapped[str] = mapped_column(String(16))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    bytes_sent: Mapped[int] = mapped_column(BigInteger, default=0)
    bytes_total: Mapped[int] = mapped_column(BigInteger, default=0)
    last_error_code: Mapped[str | None] = mapped_column(String(100))
    last_error_params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    stop_reason: Mapped[str | None] = mapped_column(String(100))
    in_flight: Mapped[str | None] = mapped_column(String(100))
    in_flight_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    receipt_no: Mapped[str | None] = mapped_column(String(64))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    appointment_date: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Several engines on one queue (0012): the engine that claimed the item, until when,
    # and the fencing token every write of the claimed item checks (desktop/sync/lease.py).
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lease_token: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class OutboxFile(Base):
    """One file of an outbox item and where its upload stands."""

    __tablename__ = "outbox_files"
    __table_args__ = (UniqueConstraint("item_id", "file_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("outbox_items.id", ondelete="CASCADE"), index=True
    )
    file_id: Mapped[str] = mapped_column(String(64))
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    sha256: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(100))
    component_code: Mapped[str | None] = mapped_column(String(64))
    upload_url: Mapped[str | None] = mapped_column(Text)
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    resent_bytes: Mapped[int] = mapped_column(BigInteger, default=0)


class PortalStatus(Base):
    """The portal's view of a submitted dossier, as last polled."""

    __tablename__ = "portal_status"

    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    state: Mapped[int] = mapped_column(Integer)
    state_name: Mapped[str] = mapped_column(Text)
    receipt_no: Mapped[str | None] = mapped_column(String(64))
    appointment_date: Mapped[str | None] = mapped_column(String(10))
    portal_updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    polled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PortalHistory(Base):
    """The portal's state history (codes 1-10) of a dossier, one row per change."""

    __tablename__ = "portal_history"
    __table_args__ = (UniqueConstraint("dossier_id", "state", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    state: Mapped[int] = mapped_column(Integer)
    state_name: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)


class PortalFee(Base):
    """A fee the portal asks for (state 6), with its amount in VND."""

    __tablename__ = "portal_fees"
    __table_args__ = (UniqueConstraint("dossier_id", "fee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    fee_id: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text)
    amount: Mapped[int] = mapped_column(BigInteger)
    paid: Mapped[bool] = mapped_column(Boolean, default=False)
    payment_ref: Mapped[str | None] = mapped_column(String(64))


class Payment(Base):
    """A payment the clerk started; its receipt is kept as a blob once paid."""

    __tablename__ = "payments"

    ref: Mapped[str] = mapped_column(String(64), primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    fee_ids: Mapped[list[Any]] = mapped_column(JSON)
    amount: Mapped[int] = mapped_column(BigInteger)
    payment_url: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))  # pending | paid | cancelled
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    receipt_sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ResultDocument(Base):
    """A result file of the portal, downloaded into the blob store and verified."""

    __tablename__ = "result_documents"
    __table_args__ = (UniqueConstraint("dossier_id", "result_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    result_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    blob_sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256"))
    signature_valid: Mapped[bool | None] = mapped_column(Boolean)
    signature_detail: Mapped[str | None] = mapped_column(Text)


class SupplementRequestRow(Base):
    """An officer's request for more documents (state 5) and the draft opened for it."""

    __tablename__ = "supplement_requests"
    __table_args__ = (UniqueConstraint("dossier_id", "request_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    request_id: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    draft_dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"))
    answered_by: Mapped[str | None] = mapped_column(String(64))


class SyncCursor(Base):
    """Where batched status polling (`changed_since`) stands, per portal and account."""

    __tablename__ = "sync_cursors"

    account: Mapped[str] = mapped_column(String(300), primary_key=True)
    cursor: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
