"""ORM table of remote signing jobs (issue #15): a request waiting for the signer's
confirmation at a trust service, kept so that closing the app, a crash or a lost link
does not lose it. The prepared PDFs are files in the data dir's `sign-jobs/` folder;
their digests and signed attributes are in `documents` (desktop.signing.remote.deferred
.PreparedPdf as JSON), so the signature embedded later matches the bytes hashed now.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.storage.models import Base


class SignJob(Base):
    """One request to a trust service for one or several PDFs (one confirmation)."""

    __tablename__ = "sign_jobs"
    __table_args__ = (Index("ix_sign_jobs_state", "state", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service: Mapped[str] = mapped_column(String(100))  # the configured service's name
    kind: Mapped[str] = mapped_column(String(16))  # push | csc
    user_id: Mapped[str] = mapped_column(String(64))  # the signer's ID at the service
    transaction_id: Mapped[str] = mapped_column(String(100), index=True)
    # WAITING · DONE · REFUSED · EXPIRED · CANCELLED · FAILED
    state: Mapped[str] = mapped_column(String(16))
    certificate: Mapped[str] = mapped_column(Text)  # PEM: the signer's certificate, then chain
    documents: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"), index=True)
    dossier_version: Mapped[str | None] = mapped_column(String(40))  # updated_at, ISO
    deadline: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    error_code: Mapped[str | None] = mapped_column(String(100))
    error_params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
