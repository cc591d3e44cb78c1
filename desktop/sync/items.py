"""An outbox item as the rest of the app sees it: its states, the entry the CLI and the UI
read, and the event that says where it stands."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, Executable
from sqlalchemy.orm import Session

from desktop.events import EventBus
from desktop.storage.outbox_models import OutboxItem
from desktop.sync.events import OutboxChanged

# Outbox item states.
QUEUED = "QUEUED"
UPLOADING = "UPLOADING"
SUBMITTING = "SUBMITTING"
DONE = "DONE"
STOPPED = "STOPPED"
WITHDRAWN = "WITHDRAWN"
ACTIVE = (QUEUED, UPLOADING, SUBMITTING)
WITHDRAWABLE = (QUEUED, UPLOADING, STOPPED)
# Intents (`in_flight`) during which a withdrawal is refused: the side effect may already
# have reached the portal. "submit": a dossier's submission; FINISH: the last piece of a
# supplement, which makes the portal take the supplement (answer the officer's request).
FINISH = "finish"
UNWITHDRAWABLE_INTENTS = ("submit", FINISH)

# The clerk's words for outbox states, once for the CLI's lines and the queue screen.
STATE_WORDS: dict[str, tuple[str, str]] = {
    QUEUED: ("chờ gửi", "waiting to be sent"),
    UPLOADING: ("đang tải lên", "uploading"),
    SUBMITTING: ("đang nộp", "submitting"),
    DONE: ("đã nộp", "submitted"),
    STOPPED: ("dừng, cần người xử lý", "stopped, needs a person"),
    WITHDRAWN: ("đã rút để sửa", "withdrawn to edit"),
}


def state_word(state: str, language: str | None = None) -> str:
    """The clerk's word for an outbox state in `language` (the app's language when None),
    in lower case for a sentence; an unknown state is shown as it is."""
    from desktop.errors import language as app_language

    words = STATE_WORDS.get(state)
    if words is None:
        return state
    return words[1] if (language or app_language()) == "en" else words[0]


@dataclass(frozen=True)
class OutboxEntry:
    """What the queue knows of one item, for the CLI, the UI and the tests."""

    id: int
    dossier_id: int
    kind: str
    uuid: str
    state: str
    attempts: int
    next_attempt_at: datetime
    bytes_sent: int
    bytes_total: int
    last_error_code: str | None
    last_error_params: dict[str, Any] | None
    stop_reason: str | None
    in_flight: str | None
    receipt_no: str | None
    submitted_at: datetime | None
    appointment_date: str | None
    account: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def entry_of(row: OutboxItem) -> OutboxEntry:
    return OutboxEntry(
        id=row.id,
        dossier_id=row.dossier_id,
        kind=row.kind,
        uuid=row.uuid,
        state=row.state,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        bytes_sent=row.bytes_sent,
        bytes_total=row.bytes_total,
        last_error_code=row.last_error_code,
        last_error_params=row.last_error_params,
        stop_reason=row.stop_reason,
        in_flight=row.in_flight,
        receipt_no=row.receipt_no,
        submitted_at=row.submitted_at,
        appointment_date=row.appointment_date,
        account=row.account,
    )


def changed_rows(
    session: Session | Connection, statement: Executable, params: dict[str, Any] | None = None
) -> int:
    """Run an UPDATE and return how many rows it changed (compare-and-set)."""
    result = cast("CursorResult[Any]", session.execute(statement, params))
    return int(result.rowcount)


def new_submission_key() -> str:
    """A fresh idempotency key: minted once per item, never on a retry."""
    return secrets.token_hex(24)


def publish_entry(events: EventBus, entry: OutboxEntry) -> None:
    """Tell subscribers (the UI) where an outbox item stands now."""
    events.publish(
        OutboxChanged(
            item_id=entry.id,
            dossier_id=entry.dossier_id,
            state=entry.state,
            attempts=entry.attempts,
            next_attempt_at=entry.next_attempt_at,
            error_code=entry.last_error_code,
            stop_reason=entry.stop_reason,
        )
    )
