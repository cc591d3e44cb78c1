"""Supplement requests as the clerk sees them: which draft answers which request.

When the officer asks for more documents (portal state 5), the status poller records a
`supplement_requests` row and opens a DRAFT version of the dossier for the answer
(`status.py`); submitting that draft queues a `supplement` outbox item (`outbox.py`).
Withdrawing it ("Rút và sửa") moves the request to the new version in the same
transaction (`versions.supersede`), so the request always names the version being worked
on and a withdrawn version answers nothing.
This module only reads: for a dossier, whether it is such a draft and of which request,
and for a submitted dossier, its requests and how far each answer got. It also says
what a supplement draft still needs before it can be sent (at least one document: the
core does not validate the rest of a supplement, which the portal already has).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.dossier.states import State
from desktop.storage import models
from desktop.storage.db import Database
from desktop.storage.outbox_models import OutboxItem, SupplementRequestRow
from desktop.sync.items import DONE, WITHDRAWN

# How far the answer to one request got.
UNANSWERED = "unanswered"  # the draft is still being prepared (or was never opened)
SENDING = "sending"  # queued: the documents are on their way to the portal
SENT = "sent"  # the portal has the documents


@dataclass(frozen=True)
class SupplementRequest:
    """One officer's request for more documents and the draft that answers it."""

    request_id: str
    parent_id: int
    """The submitted dossier the officer asked about."""
    parent_receipt_no: str | None
    note: str
    requested_at: datetime
    draft_id: int | None
    """The DRAFT version opened for the answer (None when the portal had it answered)."""
    draft_state: str | None
    answered_by: str | None
    """The portal's id of the supplement that answered it, once the portal says so."""
    progress: str
    """UNANSWERED, SENDING or SENT."""

    @property
    def answered(self) -> bool:
        return self.progress == SENT


def _progress(session: Session, row: SupplementRequestRow, draft: models.Dossier | None) -> str:
    if row.answered_by is not None:
        return SENT
    if draft is None:
        return UNANSWERED
    if draft.state == State.SUBMITTED.value:
        return SENT
    item_state = session.scalars(
        select(OutboxItem.state)
        .where(OutboxItem.dossier_id == draft.id, OutboxItem.kind == "supplement")
        .order_by(OutboxItem.id.desc())
        .limit(1)
    ).first()
    if item_state == DONE:
        return SENT
    if item_state is not None and item_state != WITHDRAWN:
        return SENDING  # queued, uploading, or stopped until a person acts (see the queue)
    return UNANSWERED


def _request(session: Session, row: SupplementRequestRow) -> SupplementRequest:
    parent = session.get(models.Dossier, row.dossier_id)
    draft = session.get(models.Dossier, row.draft_dossier_id) if row.draft_dossier_id else None
    return SupplementRequest(
        request_id=row.request_id,
        parent_id=row.dossier_id,
        parent_receipt_no=parent.receipt_no if parent is not None else None,
        note=row.note,
        requested_at=row.requested_at,
        draft_id=row.draft_dossier_id,
        draft_state=draft.state if draft is not None else None,
        answered_by=row.answered_by,
        progress=_progress(session, row, draft),
    )


def supplement_of(db: Database, dossier_id: int) -> SupplementRequest | None:
    """The request dossier `dossier_id` answers, or None when it is not a supplement draft.

    Only the newest version of a supplement draft answers: a withdrawn one gives None.
    """
    with db.session() as session:
        row = session.scalars(
            select(SupplementRequestRow).where(SupplementRequestRow.draft_dossier_id == dossier_id)
        ).first()
        return _request(session, row) if row is not None else None


def supplement_requests(db: Database, dossier_id: int) -> list[SupplementRequest]:
    """Every supplement request the portal made about dossier `dossier_id`, oldest first."""
    with db.session() as session:
        rows = session.scalars(
            select(SupplementRequestRow)
            .where(SupplementRequestRow.dossier_id == dossier_id)
            .order_by(SupplementRequestRow.requested_at, SupplementRequestRow.id)
        ).all()
        return [_request(session, row) for row in rows]
