"""Dossier versions and their local history: one line per state change, and the new
DRAFT version that supersedes a frozen one (withdraw and edit, a refusal by the portal)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desktop.dossier.states import State
from desktop.storage import models
from desktop.storage.outbox_models import SupplementRequestRow


def log_state(
    session: Session, dossier_id: int, source: str | None, target: str, *, note: str, at: datetime
) -> None:
    """Add one line to the local history of a dossier."""
    session.add(
        models.DossierEvent(
            dossier_id=dossier_id, at=at, from_state=source, to_state=target, note=note
        )
    )


def move_dossier(
    session: Session, row: models.Dossier, target: str, note: str, at: datetime
) -> None:
    log_state(session, row.id, row.state, target, note=note, at=at)
    row.state = target
    row.updated_at = at


def supersede(session: Session, dossier_id: int, reason: str, now: datetime) -> int:
    """Copy a frozen dossier into a new DRAFT version and mark it SUPERSEDED; the new id.

    A supplement request answered by the old version is moved to the new one.
    """
    old = session.get(models.Dossier, dossier_id)
    assert old is not None
    new = models.Dossier(
        procedure_key=old.procedure_key,
        state=State.DRAFT.value,
        version=old.version + 1,
        supersedes_id=old.id,
        applicant=dict(old.applicant),
        applicant_name=old.applicant_name,
        submitter=dict(old.submitter) if old.submitter is not None else None,
        delivery=dict(old.delivery),
        notes=old.notes,
        scan_text=old.scan_text,  # the same files, so the same text layers
        created_at=now,
        updated_at=now,
    )
    session.add(new)
    session.flush()
    files = session.scalars(
        select(models.DossierFile).where(models.DossierFile.dossier_id == old.id)
    ).all()
    for f in files:
        session.add(
            models.DossierFile(
                dossier_id=new.id,
                component_code=f.component_code,
                blob_sha256=f.blob_sha256,
                name=f.name,
                position=f.position,
                added_at=f.added_at,
            )
        )
    log_state(
        session,
        new.id,
        None,
        State.DRAFT.value,
        note=f"Phiên bản {new.version} thay cho hồ sơ {old.id}: {reason}",
        at=now,
    )
    move_dossier(session, old, State.SUPERSEDED.value, f"{reason}; thay bằng hồ sơ {new.id}", now)
    # A supplement draft's request follows it to the new version in this same transaction:
    # submitting the new version must answer the request (same portal dossier), and the
    # editor and the queue find the request through `draft_dossier_id`.
    session.execute(
        update(SupplementRequestRow)
        .where(SupplementRequestRow.draft_dossier_id == old.id)
        .values(draft_dossier_id=new.id)
    )
    session.flush()
    return new.id
