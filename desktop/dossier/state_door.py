"""The one door through which a dossier's state changes (ARCHITECTURE §5).

Every write of `dossiers.state` goes through this module, and each writes its line in the
dossier's history in the same unit of work:

- `start`: a new dossier row enters the life cycle (DRAFT, or the READY/SIGNED state a
  carried dossier was handed over in);
- `move` (ORM) and `move_core` (Core SQL, the sync engine's hot path): a change, checked
  against `TRANSITIONS`; an illegal move is refused with a message naming both states;
- `stay`: a history line that leaves the state as it is (an edit of a DRAFT, news from the
  portal about a SUBMITTED dossier).

tests/dossier/test_state_door.py scans the sources and fails on any write
of the state column outside this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Connection, DateTime, String, Text, bindparam, insert, select, update
from sqlalchemy.orm import Session

from desktop.dossier.states import (
    HANDED_OVER_FROM,
    LABELS,
    TRANSITIONS,
    State,
    check_transition,
    parse_state,
)
from desktop.errors import UserError, define
from desktop.storage import models


class HistoryLine(NamedTuple):
    source: str | None
    target: str
    note: str
    at: datetime


ORIGINS = frozenset({State.DRAFT}) | HANDED_OVER_FROM
"""The states a dossier row can be created in."""

E_ILLEGAL_START = define(
    "dossier.illegal_start",
    vi=(
        "Không thể tạo hồ sơ ở trạng thái «{label}» ({state}). Hồ sơ mới chỉ có thể bắt đầu "
        "ở: {allowed}."
    ),
    en="A dossier cannot be created in state {state}. A new dossier can start in: {allowed}.",
)


def _log(
    session: Session,
    dossier_id: int,
    source: str | None,
    target: str,
    *,
    note: str,
    at: datetime,
) -> None:
    """Add one line to the local history of a dossier; the state column is not touched."""
    session.add(
        models.DossierEvent(
            dossier_id=dossier_id, at=at, from_state=source, to_state=target, note=note
        )
    )


def start(
    session: Session,
    row: models.Dossier,
    state: str,
    note: str,
    at: datetime,
    *,
    carried: Iterable[HistoryLine] = (),
) -> None:
    """Give the new `row` its first state and history line, and flush it (it gets its id).

    `carried`: the history it brings from another office, logged before its first line here.
    """
    origin = parse_state(state)
    if origin not in ORIGINS:
        raise UserError(
            E_ILLEGAL_START,
            state=origin.value,
            label=LABELS[origin],
            allowed=", ".join(sorted(ORIGINS)),
        )
    row.state = origin.value
    session.add(row)
    session.flush()
    for line in carried:
        _log(session, row.id, line.source, line.target, note=line.note, at=line.at)
    _log(session, row.id, None, origin.value, note=note, at=at)


def move(session: Session, row: models.Dossier, target: str, note: str, at: datetime) -> State:
    """Move `row` to `target` if `TRANSITIONS` allows it (else UserError), with its line."""
    checked = check_transition(row.id, row.state, target)
    _log(session, row.id, row.state, checked.value, note=note, at=at)
    row.state = checked.value
    row.updated_at = at
    return checked


def stay(session: Session, row: models.Dossier, note: str, at: datetime) -> None:
    """A history line for a change that leaves the state as it is."""
    _log(session, row.id, row.state, row.state, note=note, at=at)
    row.updated_at = at


# --- Core SQL form ----------------------------------------------------------------------

_DOSSIER = models.Dossier.id == bindparam("dossier_id")

_SOURCES: dict[State, list[str]] = {
    target: sorted(s.value for s in State if target in TRANSITIONS[s]) for target in State
}
"""For each state, the states it may be reached from."""

_LOG_MOVE = insert(models.DossierEvent).from_select(
    ["dossier_id", "at", "from_state", "to_state", "note"],
    select(
        models.Dossier.id,
        bindparam("at", type_=DateTime(timezone=True)),
        models.Dossier.state,
        bindparam("target", type_=String(16)),
        bindparam("note", type_=Text()),
    ).where(_DOSSIER, models.Dossier.state.in_(bindparam("sources", expanding=True))),
)

_MOVE = (
    update(models.Dossier)
    .where(_DOSSIER)
    .values(state=bindparam("target"), updated_at=bindparam("at"))
)

_STATE = select(models.Dossier.state).where(_DOSSIER)


def move_core(conn: Connection, dossier_id: int, target: str, note: str, at: datetime) -> None:
    """`move` in Core SQL, in the caller's transaction: the history line is written only
    from a state `TRANSITIONS` allows (checked by the INSERT itself, no extra read on the
    way through), then the move; an illegal move is refused with the same UserError."""
    checked = parse_state(target)
    params = {
        "dossier_id": dossier_id,
        "target": checked.value,
        "note": note,
        "at": at,
        "sources": _SOURCES[checked],
    }
    # preserve_rowcount: psycopg (PostgreSQL) forgets an INSERT ... SELECT's row count once
    # SQLAlchemy closes the cursor of a statement that returns no rows; sqlite3 keeps it.
    logged = conn.execute(_LOG_MOVE, params, execution_options={"preserve_rowcount": True})
    if logged.rowcount != 1:
        current = conn.scalar(_STATE, params)
        if current is None:
            return  # no such dossier: nothing to move (as an UPDATE of no row)
        check_transition(dossier_id, str(current), checked.value)
        raise AssertionError(f"dossier {dossier_id}: {current} → {checked} not logged")
    conn.execute(_MOVE, params)
