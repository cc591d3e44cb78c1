"""ORM tables (SQLAlchemy 2.0 typed). Every change here needs an Alembic migration.

Repositories turn these rows into frozen dataclasses; no ORM object leaves a session.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


# --- catalog -------------------------------------------------------------------------


class Agency(Base):
    __tablename__ = "agencies"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    parent_code: Mapped[str | None] = mapped_column(String(64))
    province: Mapped[str | None] = mapped_column(Text)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    successor_code: Mapped[str | None] = mapped_column(String(64))


class Field(Base):
    __tablename__ = "fields"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)


class Procedure(Base):
    """One administrative procedure. `key` is the catalog's own stable key; `code` is
    the national procedure code when known (often it is not: it stays NULL)."""

    __tablename__ = "procedures"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    code: Mapped[str | None] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(Text)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"), index=True)
    field_code: Mapped[str] = mapped_column(ForeignKey("fields.code"), index=True)
    online_level: Mapped[str | None] = mapped_column(String(32))
    channels: Mapped[list[Any]] = mapped_column(default=list)
    results: Mapped[list[Any]] = mapped_column(default=list)
    legal_basis: Mapped[list[Any]] = mapped_column(default=list)
    conditions: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[list[Any]] = mapped_column(default=list)
    # Migration 0005: the current edition (procedure_editions.number; NULL for a row
    # written without one), the levels ("bo tinh xa", space-separated) for the filter,
    # and the portal's page id as text (the old integer column dvcqg_page_id is kept
    # in the table, no longer written).
    edition: Mapped[int | None] = mapped_column(Integer)
    levels: Mapped[str | None] = mapped_column(String(16))
    portal_page_id: Mapped[str | None] = mapped_column(String(64))
    # For lists (0005): the folded name to sort by (indexed: the first page of the
    # empty query reads 50 index entries) and the fee and time summaries of a row.
    sort_name: Mapped[str | None] = mapped_column(Text, index=True)
    fee_summary: Mapped[str | None] = mapped_column(Text)
    time_summary: Mapped[str | None] = mapped_column(Text)


class ProcedureComponent(Base):
    """A dossier component (thành phần hồ sơ) of a procedure."""

    __tablename__ = "procedure_components"
    __table_args__ = (UniqueConstraint("procedure_key", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_key: Mapped[str] = mapped_column(
        ForeignKey("procedures.key", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    required: Mapped[bool | None] = mapped_column(Boolean)
    originals: Mapped[int | None] = mapped_column(Integer)
    copies: Mapped[int | None] = mapped_column(Integer)
    template: Mapped[str | None] = mapped_column(Text)
    accepted_types: Mapped[list[Any]] = mapped_column(default=list)
    max_size: Mapped[int | None] = mapped_column(BigInteger)
    case: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class ProcedureEdition(Base):
    """One edition of a procedure (migration 0005): its whole content in the native
    format (docs/catalog-format.md) with where it came from. Dossiers keep the edition
    they were created under; a new edition never changes an older one."""

    __tablename__ = "procedure_editions"
    __table_args__ = (UniqueConstraint("procedure_key", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_key: Mapped[str] = mapped_column(
        ForeignKey("procedures.key", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    # The canonical JSON text (desktop.catalog.content.canonical_json): written once,
    # hashed as it is stored.
    content: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64))
    record_sha256: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text)
    source_format: Mapped[str] = mapped_column(String(16))
    fetched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CatalogImport(Base):
    __tablename__ = "catalog_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    catalog_version: Mapped[str | None] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    procedures: Mapped[int] = mapped_column(Integer)


# --- files ---------------------------------------------------------------------------


class Blob(Base):
    """A content-addressed file in blobs/ab/abcdef...; the row exists only after the
    file is durable."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(100))
    facts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# --- dossiers ------------------------------------------------------------------------


class Dossier(Base):
    __tablename__ = "dossiers"
    __table_args__ = (
        Index("ix_dossiers_state_updated", "state", "updated_at"),
        Index("ix_dossiers_updated", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_key: Mapped[str] = mapped_column(ForeignKey("procedures.key"), index=True)
    state: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"))
    uuid: Mapped[str | None] = mapped_column(String(36), unique=True)
    submission_key: Mapped[str | None] = mapped_column(String(64))
    applicant_name: Mapped[str] = mapped_column(Text, default="")
    applicant: Mapped[dict[str, Any]] = mapped_column(default=dict)
    submitter: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    delivery: Mapped[dict[str, Any]] = mapped_column(default=dict)
    notes: Mapped[str] = mapped_column(Text, default="")
    receipt_no: Mapped[str | None] = mapped_column(String(64))
    portal_state: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Folded text for search (migration 0003), kept current by desktop.dossier.search_index
    # and copied into the FTS5 table dossier_search by triggers.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Folded text layer of the dossier's PDF scans (migration 0010), part of search_text.
    scan_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Migration 0005: the procedure edition the dossier was created under (NULL: the
    # procedure had none) and the case (trường hợp) the clerk chose.
    procedure_edition: Mapped[int | None] = mapped_column(Integer)
    case_code: Mapped[str | None] = mapped_column(String(64))
    # Migration 0013: optimistic versioning. Every ORM write checks and bumps it
    # (UPDATE ... WHERE row_version = the one read), so two desks never overwrite each
    # other silently; `version` above is the dossier's own version (supersede chain).
    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": row_version}  # noqa: RUF012 - SQLAlchemy reads it


class DossierFile(Base):
    """An attachment of a dossier component, pointing at a blob."""

    __tablename__ = "dossier_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    component_code: Mapped[str] = mapped_column(String(32))
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), index=True)
    name: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RecordMetadataRow(Base):
    """A record's archive metadata (desktop.intake.metadata.FIELDS keys), per dossier."""

    __tablename__ = "record_metadata"

    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), primary_key=True
    )
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ComponentMark(Base):
    """A clerk's decision on a component whose need is unclear (migration 0005): "không
    áp dụng cho hồ sơ này", with who decided and when."""

    __tablename__ = "dossier_component_marks"
    __table_args__ = (UniqueConstraint("dossier_id", "component_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    component_code: Mapped[str] = mapped_column(String(64))
    mark: Mapped[str] = mapped_column(String(16))
    marked_by: Mapped[str] = mapped_column(Text)
    marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(Text, default="")


class DossierEvent(Base):
    """The local history of a dossier: every state change with its reason."""

    __tablename__ = "dossier_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
