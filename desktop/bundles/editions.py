"""The catalog record a dossier was made under, carried with it.

Today that is the procedure as stored (with its components, agency and field rows); when
the catalog gains editions (issue #13) this module alone changes: `procedure_record`
writes the edition, `ensure_procedure` finds or adds it at the importing office.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, inspect, select
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


def procedure_record(session: Session, key: str) -> dict[str, Any]:
    """The procedure `key` as stored here: its row, components, agency and field."""
    procedure = session.get(models.Procedure, key)
    assert procedure is not None  # dossiers.procedure_key is a foreign key
    agency = session.get(models.Agency, procedure.agency_code)
    field = session.get(models.Field, procedure.field_code)
    components = session.scalars(
        select(models.ProcedureComponent)
        .where(models.ProcedureComponent.procedure_key == key)
        .order_by(models.ProcedureComponent.position)
    ).all()
    return {
        "procedure": _dump(procedure),
        "components": [_dump(c) for c in components],
        "agency": _dump(agency),
        "field": _dump(field),
    }


def ensure_procedure(session: Session, record: dict[str, Any]) -> str:
    """Add the carried procedure where this catalog lacks it; its key.

    A procedure this office already has is kept as it is: its own catalog decides.
    """
    key = str(record["procedure"]["key"])
    if session.get(models.Procedure, key) is not None:
        return key
    if session.get(models.Agency, record["agency"]["code"]) is None:
        session.add(_load(models.Agency, record["agency"]))
    if session.get(models.Field, record["field"]["code"]) is None:
        session.add(_load(models.Field, record["field"]))
    session.flush()
    session.add(_load(models.Procedure, record["procedure"]))
    session.flush()
    for component in record["components"]:
        session.add(_load(models.ProcedureComponent, component, skip=("id",)))
    session.flush()
    return key
