"""Events the outbox and the engine publish on the bus (frozen, thread-safe to pass)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from desktop.events import Event


@dataclass(frozen=True)
class OutboxChanged(Event):
    """An outbox item moved: queued, uploading, submitting, done, stopped, or retrying."""

    item_id: int
    dossier_id: int
    state: str
    attempts: int
    next_attempt_at: datetime | None
    error_code: str | None
    stop_reason: str | None


@dataclass(frozen=True)
class PortalStatusChanged(Event):
    """The portal reported a new state (codes 1-10) for a submitted dossier."""

    dossier_id: int
    state: int
    state_name: str


@dataclass(frozen=True)
class PaymentChanged(Event):
    dossier_id: int
    payment_ref: str
    state: str


@dataclass(frozen=True)
class ResultDownloaded(Event):
    dossier_id: int
    result_id: str
    signature_valid: bool | None


@dataclass(frozen=True)
class EngineState(Event):
    """The engine went online, offline (waiting until `next_attempt_at`) or idle."""

    online: bool
    waiting: int
    next_attempt_at: datetime | None
