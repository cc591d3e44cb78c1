"""Reads the catalog tables and hands out the frozen dataclasses of desktop.catalog.model.

Also owns the two storage details of the catalog that the first schema has no column
for: the "unknown" flags of a procedure (components or results not known) are kept as
one object `{"flags": {...}}` at the end of the JSON list `procedures.notes`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from desktop.catalog import model
from desktop.catalog.content import content_from_rows, to_procedure
from desktop.storage import models as orm

FLAG_KEYS = ("components_known", "results_known")


def encode_notes(notes: Sequence[str], flags: dict[str, bool]) -> list[Any]:
    """The JSON stored in `procedures.notes`: the notes, then the flags that are False."""
    stored: list[Any] = list(notes)
    unknown = {k: False for k in FLAG_KEYS if not flags.get(k, True)}
    if unknown:
        stored.append({"flags": unknown})
    return stored


def decode_notes(stored: Sequence[Any]) -> tuple[tuple[str, ...], dict[str, bool]]:
    """Inverse of `encode_notes`."""
    notes = tuple(item for item in stored if isinstance(item, str))
    flags = dict.fromkeys(FLAG_KEYS, True)
    for item in stored:
        if isinstance(item, dict):
            flags.update({k: bool(v) for k, v in item.get("flags", {}).items() if k in flags})
    return notes, flags


def to_agency(row: orm.Agency) -> model.Agency:
    return model.Agency(
        code=row.code,
        name=row.name,
        parent_code=row.parent_code,
        province=row.province,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        successor_code=row.successor_code,
    )


def to_field(row: orm.Field) -> model.Field:
    return model.Field(code=row.code, name=row.name)


def _component_dict(row: orm.ProcedureComponent) -> dict[str, Any]:
    return {
        "code": row.code,
        "name": row.name,
        "required": row.required,
        "originals": row.originals,
        "copies": row.copies,
        "template": row.template,
        "accepted_types": row.accepted_types,
        "max_size": row.max_size,
        "case": row.case,
        "note": row.note,
    }


def _row_dict(row: orm.Procedure) -> dict[str, Any]:
    return {
        "key": row.key,
        "code": row.code,
        "name": row.name,
        "agency_code": row.agency_code,
        "field_code": row.field_code,
        "online_level": row.online_level,
        "channels": row.channels,
        "results": row.results,
        "legal_basis": row.legal_basis,
        "conditions": row.conditions,
        "notes": row.notes,
        "dvcqg_page_id": row.portal_page_id,
    }


def edition_info(row: orm.ProcedureEdition) -> model.EditionInfo:
    return model.EditionInfo(
        number=row.number,
        source=row.source,
        source_format=row.source_format,
        sha256=row.record_sha256,
        fetched_at=row.fetched_at,
        imported_at=row.imported_at,
    )


def _edition_row(session: Session, key: str, number: int) -> orm.ProcedureEdition | None:
    return session.scalars(
        select(orm.ProcedureEdition).where(
            orm.ProcedureEdition.procedure_key == key, orm.ProcedureEdition.number == number
        )
    ).first()


def _build(
    session: Session, row: orm.Procedure, edition: orm.ProcedureEdition | None
) -> model.Procedure:
    if edition is not None:
        content: dict[str, Any] = json.loads(edition.content)
        info: model.EditionInfo | None = edition_info(edition)
    else:
        # A procedure written without editions (before migration 0005 or by hand).
        components = session.scalars(
            select(orm.ProcedureComponent)
            .where(orm.ProcedureComponent.procedure_key == row.key)
            .order_by(orm.ProcedureComponent.position)
        )
        content = content_from_rows(_row_dict(row), [_component_dict(c) for c in components])
        info = None
    agency = session.get(orm.Agency, content["agency"])
    field = session.get(orm.Field, content["field"])
    assert agency is not None and field is not None  # an import writes them first
    return to_procedure(content, to_agency(agency), to_field(field), info)


def procedure_edition(session: Session, key: str, number: int | None) -> model.Procedure | None:
    """The procedure `key` as edition `number` says (None: the current edition)."""
    row = session.get(orm.Procedure, key)
    if row is None:
        return None
    wanted = number if number is not None else row.edition
    edition = _edition_row(session, key, wanted) if wanted is not None else None
    return _build(session, row, edition)


def editions(session: Session, key: str) -> list[model.EditionInfo]:
    """Every edition of a procedure, oldest first."""
    rows = session.scalars(
        select(orm.ProcedureEdition)
        .where(orm.ProcedureEdition.procedure_key == key)
        .order_by(orm.ProcedureEdition.number)
    )
    return [edition_info(r) for r in rows]


def current_edition(session: Session, key: str) -> int | None:
    return session.scalar(select(orm.Procedure.edition).where(orm.Procedure.key == key))


def find_procedure(session: Session, key_or_code: str) -> model.Procedure | None:
    """By catalog key (exact, then ignoring case), else by national code."""
    wanted = key_or_code.strip()
    row = session.get(orm.Procedure, wanted)
    if row is None:
        candidates = session.scalars(
            select(orm.Procedure)
            .where(
                or_(
                    func.upper(orm.Procedure.key) == wanted.upper(),
                    orm.Procedure.code == wanted,
                )
            )
            .order_by(orm.Procedure.key)
        ).all()
        row = _prefer_current(session, candidates)
    if row is None:
        return None
    edition = _edition_row(session, row.key, row.edition) if row.edition is not None else None
    return _build(session, row, edition)


def _prefer_current(session: Session, rows: Sequence[orm.Procedure]) -> orm.Procedure | None:
    # One national code can exist at several agencies; prefer one that exists today.
    today = date.today()
    for row in rows:
        agency = session.get(orm.Agency, row.agency_code)
        if agency is not None and to_agency(agency).valid_on(today):
            return row
    return rows[0] if rows else None


def agencies(session: Session) -> list[model.Agency]:
    return [to_agency(r) for r in session.scalars(select(orm.Agency).order_by(orm.Agency.code))]


def fields(session: Session) -> list[model.Field]:
    return [to_field(r) for r in session.scalars(select(orm.Field).order_by(orm.Field.code))]


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(orm.Procedure)) or 0)
