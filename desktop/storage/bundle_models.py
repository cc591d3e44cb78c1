"""ORM tables of transfer bundles (desktop/bundles): who this workspace is, what it sent
and received on USB sticks, and whose bundle signatures its clerks chose to trust."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.storage.models import Base


class WorkspaceIdentity(Base):
    """One row: this data dir's id, minted once, written into every bundle it exports."""

    __tablename__ = "workspace_identity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    workspace_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BundleExport(Base):
    """A bundle this workspace wrote; `sequence` counts them (1, 2, ...)."""

    __tablename__ = "bundle_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer, unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # dossiers | returns
    target_workspace: Mapped[str | None] = mapped_column(String(36))
    path: Mapped[str] = mapped_column(Text)
    # writing · written · failed (the dossiers it held were given back)
    state: Mapped[str] = mapped_column(String(16))
    manifest_sha256: Mapped[str | None] = mapped_column(String(64))
    dossier_uuids: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BundleImport(Base):
    """A bundle this workspace took in; the same manifest twice changes nothing."""

    __tablename__ = "bundle_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    manifest_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    source_workspace: Mapped[str] = mapped_column(String(36), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    signer_fingerprint: Mapped[str] = mapped_column(String(64))
    signer_name: Mapped[str] = mapped_column(Text)
    added: Mapped[list[Any]] = mapped_column(JSON)  # dossier uuids taken in or updated
    skipped: Mapped[list[Any]] = mapped_column(JSON)  # dossier uuids already here
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BundleDossier(Base):
    """A dossier that arrived in a bundle: where from, so its returns can go back."""

    __tablename__ = "bundle_dossiers"

    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    source_workspace: Mapped[str] = mapped_column(String(36), index=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("bundle_imports.id"))


class TrustedSigner(Base):
    """A bundle signer's certificate a clerk trusted explicitly (by SHA-256 fingerprint)."""

    __tablename__ = "bundle_signers"

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    certificate: Mapped[str] = mapped_column(Text)  # DER, base64
    trusted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
