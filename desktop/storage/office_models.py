"""ORM tables of a shared office (issue #17, migration 0013): the office's accounts and
the append-only audit log. The database itself refuses UPDATE and DELETE on
`audit_log` (triggers on SQLite and PostgreSQL, see desktop.storage.office_ddl).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.storage.models import Base


class OfficeUser(Base):
    """A person of the office. `password_hash` is NULL for an account the OS vouches
    for (its login is the OS user name); otherwise a scrypt hash (desktop.office.passwords)."""

    __tablename__ = "office_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """Who did what, when, from which PC. No foreign key to dossiers: the trail of a
    deleted dossier stays."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_dossier_at", "dossier_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    login: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    host: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(32))
    dossier_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text, default="")
