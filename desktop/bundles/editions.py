"""The catalog record a dossier was made under, carried with it.

The procedure as stored (its row, components, agency and field) plus the edition the
dossier was created under (issue #13: its whole content and provenance). At the office
`ensure_procedure` adds what the catalog lacks and finds the same edition by its content
hash, or adds it as an edition of its own: the dossier keeps its checklist there too.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, func, inspect, select
from sqlalchemy.orm import Session

from desktop.storage import models


def _dump(row: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column in inspect(type(row)).columns:
        value = getattr(row, column.key)
        values[column.key] = value.isoformat() if isinstance(value, (date, datetime)) else value
    return values


def _load(model: type[Any], values: dict[str, Any], *, skip: tuple[str, ...] = ()) -> Any:
    known = {c.key: c for c in inspect(model).columns}
    kwargs: dict[str, Any] = {}
    for key, stored in values.items():
        column = known.get(key)
        if column is None or key in skip:
            continue  # a column of a later dvc-desk: this one does not store it
        value = stored
        if stored is not None and isinstance(column.type, DateTime):
            value = datetime.fromisoformat(stored)
        elif stored is not None and isinstance(column.type, Date):
            value = date.fromisoformat(stored)
        kwargs[key] = value
    return model(**kwargs)


def procedure_record(session: Session, key: str, edition: int | None = None) -> dict[str, Any]:
    """The procedure `key` as stored here: its row, components, agency and field, and
    its edition number `edition` (the one a dossier was created under)."""
    procedure = session.get(models.Procedure, key)
    assert procedure is not None  # dossiers.procedure_key is a foreign key
    agency = session.get(models.Agency, procedure.agency_code)
    field = session.get(models.Field, procedure.field_code)
    components = session.scalars(
        select(models.ProcedureComponent)
        .where(models.ProcedureComponent.procedure_key == key)
        .order_by(models.ProcedureComponent.position)
    ).all()
    record = {
        "procedure": _dump(procedure),
        "components": [_dump(c) for c in components],
        "agency": _dump(agency),
        "field": _dump(field),
    }
    if edition is not None:
        row = session.scalar(
            select(models.ProcedureEdition).where(
                models.ProcedureEdition.procedure_key == key,
                models.ProcedureEdition.number == edition,
            )
        )
        if row is not None:
            record["edition"] = _dump(row)
    return record


def ensure_procedure(session: Session, record: dict[str, Any]) -> tuple[str, int | None]:
    """Add the carried procedure where this catalog lacks it; its key and the number the
    carried edition has here (None when the record carries none).

    A procedure this office already has is kept as it is: its own catalog decides which
    edition is current; the carried one is found by its content hash, or added.
    """
    key = str(record["procedure"]["key"])
    if session.get(models.Procedure, key) is None:
        _add_procedure(session, record)
    carried = record.get("edition")
    if carried is None:
        return key, None
    return key, _ensure_edition(session, key, carried)


def _ensure_edition(session: Session, key: str, carried: dict[str, Any]) -> int:
    same = session.scalar(
        select(models.ProcedureEdition.number).where(
            models.ProcedureEdition.procedure_key == key,
            models.ProcedureEdition.content_sha256 == carried["content_sha256"],
        )
    )
    if same is not None:
        return int(same)
    last = session.scalar(
        select(func.max(models.ProcedureEdition.number)).where(
            models.ProcedureEdition.procedure_key == key
        )
    )
    edition = _load(models.ProcedureEdition, carried, skip=("id", "procedure_key", "number"))
    edition.procedure_key = key
    edition.number = int(last or 0) + 1
    session.add(edition)
    procedure = session.get(models.Procedure, key)
    if procedure is not None and procedure.edition is None:
        procedure.edition = edition.number
    session.flush()
    return int(edition.number)


def _add_procedure(session: Session, record: dict[str, Any]) -> None:
    if session.get(models.Agency, record["agency"]["code"]) is None:
        session.add(_load(models.Agency, record["agency"]))
    if session.get(models.Field, record["field"]["code"]) is None:
        session.add(_load(models.Field, record["field"]))
    session.flush()
    procedure = _load(models.Procedure, record["procedure"])
    if record.get("edition") is not None:
        procedure.edition = None  # set by _ensure_edition to the number it gets here
    session.add(procedure)
    session.flush()
    for component in record["components"]:
        session.add(_load(models.ProcedureComponent, component, skip=("id",)))
    session.flush()
