"""The new DRAFT version that supersedes a frozen one (withdraw and edit, a refusal by the
portal); both states are written through `desktop.dossier.state_door`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desktop.dossier import state_door
from desktop.dossier.states import State
from desktop.storage import models
from desktop.storage.outbox_models import SupplementRequestRow


def supersede(session: Session, dossier_id: int, reason: str, now: datetime) -> int:
    """Copy a frozen dossier into a new DRAFT version and mark it SUPERSEDED; the new id.

    A supplement request answered by the old version is moved to the new one.
    """
    old = session.get(models.Dossier, dossier_id)
    assert old is not None
    new = models.Dossier(
        procedure_key=old.procedure_key,
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
    note = f"Phiên bản {old.version + 1} thay cho hồ sơ {old.id}: {reason}"
    state_door.start(session, new, State.DRAFT, note, now)
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
    state_door.move(session, old, State.SUPERSEDED, f"{reason}; thay bằng hồ sơ {new.id}", now)
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
