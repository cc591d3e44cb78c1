"""Reads the catalog tables and hands out the frozen dataclasses of desktop.catalog.model.

Also owns the two storage details of the catalog that the first schema has no column
for: the "unknown" flags of a procedure (components or results not known) are kept as
one object `{"flags": {...}}` at the end of the JSON list `procedures.notes`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, func, or_, select, text
from sqlalchemy.orm import Session

from desktop.catalog import model
from desktop.catalog.summaries import stored_summaries
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


def to_channels(stored: Sequence[Any]) -> tuple[model.Channel, ...]:
    """Channels as stored (the catalog file's shape) → model channels."""
    channels = []
    for item in stored:
        fees = item.get("fees")
        channels.append(
            model.Channel(
                kind=item.get("kind") or model.UNKNOWN_CHANNEL,
                processing_days=item.get("processing_days"),
                day_type=item.get("day_type"),
                note=item.get("note"),
                fees=tuple(
                    model.Fee(
                        kind=fee.get("kind") or model.UNKNOWN_FEE_KIND,
                        amount=fee.get("amount"),
                        code=fee.get("code"),
                        note=fee.get("note"),
                    )
                    for fee in fees or ()
                ),
                fees_known=fees is not None,
            )
        )
    return tuple(channels)


def to_component(row: orm.ProcedureComponent) -> model.ComponentSpec:
    return model.ComponentSpec(
        code=row.code,
        name=row.name,
        required=row.required,
        originals=row.originals,
        copies=row.copies,
        template=row.template,
        accepted_types=tuple(row.accepted_types or ()),
        max_size=row.max_size,
        case=row.case,
        note=row.note,
    )


def to_procedure(
    row: orm.Procedure,
    agency: orm.Agency,
    field: orm.Field,
    components: Iterable[orm.ProcedureComponent],
) -> model.Procedure:
    notes, flags = decode_notes(row.notes or [])
    return model.Procedure(
        key=row.key,
        code=row.code,
        name=row.name,
        agency=to_agency(agency),
        field=to_field(field),
        online_level=row.online_level,
        channels=to_channels(row.channels or []),
        components=tuple(to_component(c) for c in components),
        results=tuple(row.results or ()),
        legal_basis=tuple(
            model.LegalBasis(number=b["number"], title=b.get("title"))
            for b in row.legal_basis or ()
        ),
        conditions=row.conditions,
        dvcqg_page_id=row.dvcqg_page_id,
        notes=notes,
        components_known=flags["components_known"],
        results_known=flags["results_known"],
    )


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
    agency = session.get(orm.Agency, row.agency_code)
    field = session.get(orm.Field, row.field_code)
    assert agency is not None and field is not None  # foreign keys guarantee them
    components = session.scalars(
        select(orm.ProcedureComponent)
        .where(orm.ProcedureComponent.procedure_key == row.key)
        .order_by(orm.ProcedureComponent.position)
    )
    return to_procedure(row, agency, field, components)


def _prefer_current(session: Session, rows: Sequence[orm.Procedure]) -> orm.Procedure | None:
    # One national code can exist at several agencies; prefer one that exists today.
    today = date.today()
    for row in rows:
        agency = session.get(orm.Agency, row.agency_code)
        if agency is not None and to_agency(agency).valid_on(today):
            return row
    return rows[0] if rows else None


# Plain SQL: this runs on every keystroke of a search, and the ORM's per-row work
# costs as much as the search itself.
_SUMMARY_SQL = (
    "SELECT p.key, p.code, p.name, p.channels, a.code, a.name, f.code, f.name "
    "FROM procedures p JOIN agencies a ON a.code = p.agency_code "
    "JOIN fields f ON f.code = p.field_code WHERE p.key IN ({marks})"
)


@lru_cache(maxsize=64)
def _summary_statement(size: int) -> TextClause:
    return text(_SUMMARY_SQL.format(marks=", ".join(f":k{i}" for i in range(size))))


def summaries(
    session: Session, keys: Sequence[str], scores: Mapping[str, float] | None = None
) -> dict[str, model.ProcedureSummary]:
    """Summary rows of `keys` (order is the caller's), with their search `scores`."""
    result: dict[str, model.ProcedureSummary] = {}
    for start in range(0, len(keys), 500):
        chunk = list(keys[start : start + 500])
        rows = session.execute(
            _summary_statement(len(chunk)), {f"k{i}": k for i, k in enumerate(chunk)}
        )
        for key, code, name, channels, a_code, a_name, f_code, f_name in rows:
            fee, time = stored_summaries(json.loads(channels) if channels else [])
            result[key] = model.ProcedureSummary(
                key=key,
                code=code,
                name=name,
                agency_code=a_code,
                agency_name=a_name,
                field_code=f_code,
                field_name=f_name,
                fee_summary=fee,
                processing_summary=time,
                score=scores.get(key, 0.0) if scores else 0.0,
            )
    return result


def agencies(session: Session) -> list[model.Agency]:
    return [to_agency(r) for r in session.scalars(select(orm.Agency).order_by(orm.Agency.code))]


def fields(session: Session) -> list[model.Field]:
    return [to_field(r) for r in session.scalars(select(orm.Field).order_by(orm.Field.code))]


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(orm.Procedure)) or 0)


def lineage(all_agencies: Sequence[model.Agency], code: str) -> set[str]:
    """`code` with every agency it became (successors) and every agency that became it
    (predecessors): the procedures of all of them are the same office's work."""
    successor = {a.code: a.successor_code for a in all_agencies if a.successor_code}
    predecessors: dict[str, list[str]] = {}
    for old, new in successor.items():
        predecessors.setdefault(new, []).append(old)
    found = {code}
    current = successor.get(code)
    while current is not None and current not in found:
        found.add(current)
        current = successor.get(current)
    stack = [code]
    while stack:
        for old in predecessors.get(stack.pop(), []):
            if old not in found:
                found.add(old)
                stack.append(old)
    return found
