"""ORM table of what a portal adapter must remember across restarts (desktop/portal/memory.py).

A service-style portal has no idempotency key: the adapter reserves the dossier's code
before creating it and names each uploaded file by the portal's id. Those facts are
written here before the call that depends on them, so a retry after a crash looks the
dossier up by the same code and never creates a second one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.storage.models import Base


class PortalRef(Base):
    """One fact (`name` → `value`) about one dossier (`uuid`) on one portal."""

    __tablename__ = "portal_refs"

    portal: Mapped[str] = mapped_column(String(300), primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
