"""ORM rows ↔ frozen dataclasses, and the dossier list query.

Functions take the caller's session (one unit of work) and never return ORM objects.
The list reads only light columns and walks the (state, updated_at) / (updated_at)
indexes newest first, so its first page stays fast with 100,000 dossiers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, String, func, literal_column, or_, select, type_coerce
from sqlalchemy.orm import Session

from desktop.dossier.model import (
    Attachment,
    Dossier,
    DossierRow,
    HistoryEntry,
    delivery_from,
    party_from,
)
from desktop.storage import models


def load(session: Session, row: models.Dossier) -> Dossier:
    """The frozen view of `row` with its attachments."""
    files = session.execute(
        select(models.DossierFile, models.Blob)
        .join(models.Blob, models.Blob.sha256 == models.DossierFile.blob_sha256)
        .where(models.DossierFile.dossier_id == row.id)
        .order_by(models.DossierFile.component_code, models.DossierFile.position)
    ).all()
    attachments = tuple(
        Attachment(
            id=f.id,
            component_code=f.component_code,
            sha256=b.sha256,
            name=f.name,
            size=b.size,
            media_type=b.media_type,
            facts=dict(b.facts),
        )
        for f, b in files
    )
    return Dossier(
        id=row.id,
        procedure_key=row.procedure_key,
        state=row.state,
        version=row.version,
        supersedes_id=row.supersedes_id,
        uuid=row.uuid,
        applicant=party_from(row.applicant),
        submitter=party_from(row.submitter) if row.submitter is not None else None,
        delivery=delivery_from(row.delivery),
        notes=row.notes,
        attachments=attachments,
        created_at=row.created_at,
        updated_at=row.updated_at,
        receipt_no=row.receipt_no,
        portal_state=row.portal_state,
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(query: Select[Any], state: str | None, search: str | None) -> Select[Any]:
    """Conditions on the dossiers table only (the procedure name through a subquery)."""
    if state:
        query = query.where(models.Dossier.state == state)
    text = (search or "").strip()
    if text:
        pattern = f"%{_escape_like(text)}%"
        procedures = select(models.Procedure.key).where(
            models.Procedure.name.like(pattern, escape="\\")
        )
        conditions: list[ColumnElement[bool]] = [
            models.Dossier.applicant_name.like(pattern, escape="\\"),
            models.Dossier.receipt_no.like(pattern, escape="\\"),
            models.Dossier.procedure_key.in_(procedures),
        ]
        if text.isdigit() and len(text) == 12:
            # A CCCD: a plain substring test on the stored JSON is far cheaper than
            # json_extract (or LIKE) on every row; 12 digits in quotes is an ID number.
            applicant = type_coerce(models.Dossier.applicant, String)
            return query.where(func.instr(applicant, f'"{text}"') > 0)
        if text.isdigit():
            conditions.append(models.Dossier.id == int(text))
        query = query.where(or_(*conditions))
    return query


# How many of the newest dossiers a search looks at before scanning the whole table.
SEARCH_WINDOW = 2000


def list_rows(
    session: Session, *, state: str | None, search: str | None, offset: int, limit: int
) -> list[DossierRow]:
    """One page of the dossier list, newest change first.

    Without a search the page walks the (state,) updated_at index and stops after
    `limit` rows. A search (LIKE cannot use an index) first looks at the newest
    `SEARCH_WINDOW` dossiers: when they hold the whole page, no older dossier can be in
    it. Otherwise (a rare term) the ids come from one sequential scan and a sort (`+`
    keeps SQLite from walking the index, which would read every row at random).
    """
    newest = (models.Dossier.updated_at.desc(), models.Dossier.id.desc())
    files = (
        select(func.count(models.DossierFile.id))
        .where(models.DossierFile.dossier_id == models.Dossier.id)
        .correlate(models.Dossier)
        .scalar_subquery()
    )
    query = select(
        models.Dossier.id,
        models.Dossier.procedure_key,
        models.Procedure.name,
        models.Dossier.applicant_name,
        models.Dossier.state,
        models.Dossier.updated_at,
        files,
    ).join(models.Procedure, models.Procedure.key == models.Dossier.procedure_key)
    if (search or "").strip():
        ids = _search_ids(session, state=state, search=search, offset=offset, limit=limit)
        query = query.where(models.Dossier.id.in_(ids)).order_by(*newest)
    else:
        query = _filtered(query, state, None).order_by(*newest).offset(offset).limit(limit)
    return [DossierRow(*row) for row in session.execute(query).all()]


def _search_ids(
    session: Session, *, state: str | None, search: str | None, offset: int, limit: int
) -> list[int]:
    unindexed: tuple[ColumnElement[Any], ...] = (
        literal_column("+dossiers.updated_at").desc(),
        models.Dossier.id.desc(),
    )
    window = (
        _filtered(select(models.Dossier.id), state, None)
        .order_by(models.Dossier.updated_at.desc(), models.Dossier.id.desc())
        .limit(SEARCH_WINDOW)
    )
    recent = list(
        session.scalars(
            _filtered(select(models.Dossier.id), None, search)
            .where(models.Dossier.id.in_(window))
            .order_by(*unindexed)
            .limit(offset + limit)
        )
    )
    if len(recent) == offset + limit:
        return recent[offset:]
    return list(
        session.scalars(
            _filtered(select(models.Dossier.id), state, search)
            .order_by(*unindexed)
            .offset(offset)
            .limit(limit)
        )
    )


def count_rows(session: Session, *, state: str | None, search: str | None) -> int:
    query = _filtered(select(func.count(models.Dossier.id)), state, search)
    return int(session.scalar(query) or 0)


def history(session: Session, dossier_id: int) -> list[HistoryEntry]:
    rows = session.scalars(
        select(models.DossierEvent)
        .where(models.DossierEvent.dossier_id == dossier_id)
        .order_by(models.DossierEvent.id)
    )
    return [HistoryEntry(r.at, r.from_state, r.to_state, r.note) for r in rows]
