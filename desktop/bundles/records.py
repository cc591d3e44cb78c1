"""What a workspace remembers about bundles: its own id, its export counter, the bundles
it took in and the signers its clerks trusted. Functions take the caller's session."""

from __future__ import annotations

import uuid as uuidlib
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from desktop.storage.bundle_models import (
    BundleExport,
    BundleImport,
    TrustedSigner,
    WorkspaceIdentity,
)


def workspace_id(session: Session, now: datetime) -> str:
    """This data dir's id, minted on first use (one row, id 1; a race inserts once)."""
    row = session.get(WorkspaceIdentity, 1)
    if row is None:
        session.execute(
            insert(WorkspaceIdentity)
            .values(id=1, workspace_id=str(uuidlib.uuid4()), created_at=now)
            .on_conflict_do_nothing()
        )
        row = session.get(WorkspaceIdentity, 1)
        assert row is not None
    return row.workspace_id


def next_sequence(session: Session) -> int:
    return int(session.scalar(select(func.max(BundleExport.sequence))) or 0) + 1


def is_trusted(session: Session, fingerprint: str) -> bool:
    return session.get(TrustedSigner, fingerprint) is not None


def trust(session: Session, fingerprint: str, name: str, certificate: str, now: datetime) -> None:
    if session.get(TrustedSigner, fingerprint) is None:
        row = TrustedSigner(fingerprint=fingerprint, name=name, certificate=certificate)
        row.trusted_at = now
        session.add(row)


def imported(session: Session, manifest_sha256: str) -> BundleImport | None:
    return session.scalars(
        select(BundleImport).where(BundleImport.manifest_sha256 == manifest_sha256)
    ).first()
