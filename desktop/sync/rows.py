"""Core SQL for the engine's hot path: the same rows the ORM writes, without the ORM.

Each delivered dossier passes through a handful of small transactions; building ORM
sessions, identity maps and flushes for them, and new statement objects for every
call, cost more than the fsync'd commits themselves (docs/sync.md). The statements
here are built once (SQLAlchemy then reuses their cache keys and compiled forms) and
run on one connection inside the caller's transaction (`Database.engine.begin()`), so
the durability and ordering of every intent and outcome are exactly those of the ORM
code they replace.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Connection,
    Row,
    String,
    and_,
    bindparam,
    case,
    func,
    null,
    select,
    update,
)

from desktop.dossier.search_index import stored_text
from desktop.storage import models
from desktop.storage.outbox_models import OutboxFile, OutboxItem
from desktop.sync.items import DONE, FINISH, OutboxEntry

_ENTRY_COLUMNS = [getattr(OutboxItem, f.name) for f in dataclasses.fields(OutboxEntry)]
_ITEM = OutboxItem.id == bindparam("item_id")
_DOSSIER = models.Dossier.id == bindparam("dossier_id")

_INTENT = bindparam("intent", type_=String(100))

SET_INTENT = (
    update(OutboxItem)
    .where(_ITEM, OutboxItem.state.in_(bindparam("states", expanding=True)))
    .values(
        # A supplement's FINISH intent stands until the portal's answer is recorded (or
        # reconciled): the PUT of a later attempt must not replace it, or a withdrawal
        # could slip in while the last piece of an earlier attempt is on the portal.
        in_flight=case(
            (and_(OutboxItem.in_flight == FINISH, _INTENT.is_not(None)), FINISH),
            else_=_INTENT,
        ),
        in_flight_at=bindparam("intent_at"),
        updated_at=bindparam("now"),
        attempts=OutboxItem.attempts + bindparam("count"),
    )
)
"""Compare-and-set of the intent: changes nothing once the item left `states`.

`intent` None clears it (FINISH too); any other intent leaves a FINISH in place."""

SUBMIT_INTENT = (
    update(OutboxItem)
    .where(_ITEM)
    .values(
        in_flight="submit",
        in_flight_at=bindparam("now"),
        attempts=OutboxItem.attempts + bindparam("count"),
    )
)

FILES = (
    select(
        OutboxFile.id, OutboxFile.file_id, OutboxFile.name, OutboxFile.sha256, OutboxFile.size,
        OutboxFile.upload_url, OutboxFile.offset, OutboxFile.complete,
    )
    .where(OutboxFile.item_id == bindparam("item_id"))
    .order_by(OutboxFile.id)
)  # fmt: skip

FILE_TARGET = (
    update(OutboxFile)
    .where(OutboxFile.id == bindparam("row_id"))
    .values(
        upload_url=bindparam("new_url"),
        offset=bindparam("new_offset"),
        complete=bindparam("new_complete"),
    )
)
"""Where the portal said a file stands (after a PUT), one parameter set per file."""

FILE_PROGRESS = (
    update(OutboxFile)
    .where(OutboxFile.id == bindparam("row_id"))
    .values(
        offset=bindparam("new_offset"),
        complete=bindparam("new_complete"),
        resent_bytes=OutboxFile.resent_bytes + bindparam("resent"),
    )
)

ITEM_PROGRESS = (
    update(OutboxItem)
    .where(_ITEM)
    .values(bytes_sent=bindparam("sent"), updated_at=bindparam("now"))
)

PUT_DONE = (
    update(OutboxItem)
    .where(_ITEM, OutboxItem.state.in_(bindparam("states", expanding=True)))
    .values(bytes_sent=bindparam("sent"), in_flight=None, state=bindparam("new_state"))
    .returning(*_ENTRY_COLUMNS)
)

ITEM_FACTS = select(OutboxItem.state, OutboxItem.supplement_id, OutboxItem.dossier_id).where(_ITEM)

INCOMPLETE = select(func.count(OutboxFile.id)).where(
    OutboxFile.item_id == bindparam("item_id"), OutboxFile.complete.is_(False)
)

TO_SUBMITTING = (
    update(OutboxItem)
    .where(_ITEM)
    .values(state=bindparam("new_state"), in_flight="submit", in_flight_at=bindparam("now"))
    .returning(*_ENTRY_COLUMNS)
)

RECEIPT = (
    update(OutboxItem)
    .where(_ITEM, OutboxItem.state != DONE)
    .values(
        state=DONE,
        in_flight=None,
        receipt_no=bindparam("receipt"),
        submitted_at=bindparam("submitted"),
        appointment_date=bindparam("appointment"),
        last_error_code=None,
        last_error_params=null(),
        updated_at=bindparam("now"),
    )
    .returning(*_ENTRY_COLUMNS)
)

_READ_ENTRY = select(*_ENTRY_COLUMNS).where(_ITEM)
_ITEM_STATE = select(OutboxItem.state).where(_ITEM)

_DOSSIER_RECEIPT = (
    update(models.Dossier)
    .where(_DOSSIER)
    .values(receipt_no=bindparam("receipt"), portal_state=1, search_text=bindparam("text"))
)


def entry(row: Row[Any] | Sequence[Any]) -> OutboxEntry:
    """An OutboxEntry from a row of the entry columns (a RETURNING clause or a read)."""
    return OutboxEntry(*row)


def item_state(conn: Connection, item_id: int) -> str:
    state = conn.scalar(_ITEM_STATE, {"item_id": item_id})
    assert state is not None
    return str(state)


def read_entry(conn: Connection, item_id: int) -> OutboxEntry:
    """The item as the queue shows it, read in the caller's transaction."""
    return entry(conn.execute(_READ_ENTRY, {"item_id": item_id}).one())


def set_dossier_receipt(conn: Connection, dossier_id: int, receipt_no: str) -> None:
    """Record the receipt number and portal state 1, with the search text it changes.

    The receipt number is part of the dossier's search text, which the ORM events of
    `desktop.dossier.search_index` keep; this Core UPDATE bypasses them, so it sets the
    text that module computes for the stored row (the FTS5 triggers follow).
    """
    text = stored_text(conn, dossier_id, receipt_no=receipt_no)
    conn.execute(_DOSSIER_RECEIPT, {"dossier_id": dossier_id, "receipt": receipt_no, "text": text})
