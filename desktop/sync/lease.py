"""Leases and fencing tokens: several sync engines on one queue, each item delivered once.

An engine claims the oldest due item nobody holds: one UPDATE that raises the item's
fencing token (`lease_token`) and sets the lease (`lease_owner`, `lease_until`), on the row
a `SELECT ... FOR UPDATE SKIP LOCKED` picked (PostgreSQL; SQLite runs one writer at a time,
so the same statement is atomic there). Every write of a claimed item starts with `fence`:
it renews the lease only while the item still carries the engine's token and otherwise
raises LeaseLostError, which rolls the whole transaction back. On PostgreSQL the fence
also locks the row until commit, so no claim slips in between the check and the write.
An engine that was paused (SIGSTOP, a laptop lid) past its lease and wakes after another
engine took the item over therefore changes nothing; a side effect it sends meanwhile is
a replay the portal recognises (same UUID, same body, same submission key).
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, and_, bindparam, or_, select, update

from desktop.storage.outbox_models import OutboxItem
from desktop.sync.items import ACTIVE

LEASE_SECONDS = 60.0
"""How long a claim holds without a write; every fenced write renews it. The PCs' clocks
must agree to well within this (the office's NTP does)."""


class LeaseLostError(Exception):
    """Another engine holds the item now: this engine's transaction was rolled back."""

    def __init__(self, item_id: int) -> None:
        super().__init__(f"lease of outbox item {item_id} lost")
        self.item_id = item_id


def engine_name() -> str:
    """Who holds a lease: the PC, the process and a random part (a restarted process with
    a reused pid is someone else)."""
    return f"{_host()}:{os.getpid()}:{secrets.token_hex(4)}"


@dataclass(frozen=True)
class Lease:
    item_id: int
    token: int


_FREE = or_(OutboxItem.lease_until.is_(None), OutboxItem.lease_until <= bindparam("now"))

_DUE = (
    select(OutboxItem.id)
    .where(OutboxItem.state.in_(ACTIVE), OutboxItem.next_attempt_at <= bindparam("now"), _FREE)
    .order_by(OutboxItem.next_attempt_at, OutboxItem.id)
    .limit(1)
    .with_for_update(skip_locked=True)
    .scalar_subquery()
)

_WORK_COLUMNS = (
    OutboxItem.id, OutboxItem.state, OutboxItem.uuid, OutboxItem.supplement_id,
    OutboxItem.submission_key, OutboxItem.body, OutboxItem.dossier_id,
    OutboxItem.bytes_total, OutboxItem.in_flight, OutboxItem.lease_token,
)  # fmt: skip

_TAKE = {
    "lease_owner": bindparam("owner"),
    "lease_until": bindparam("until"),
    "lease_token": OutboxItem.lease_token + 1,
}

CLAIM = (
    update(OutboxItem)
    .where(OutboxItem.id == _DUE, _FREE, OutboxItem.state.in_(ACTIVE))
    .values(**_TAKE)
    .returning(*_WORK_COLUMNS)
)
"""The oldest due item nobody holds, taken: its work columns and the new token."""

CLAIM_ONE = (
    update(OutboxItem)
    .where(OutboxItem.id == bindparam("item_id"), _FREE, OutboxItem.state.in_(ACTIVE))
    .values(**_TAKE)
    .returning(OutboxItem.lease_token)
)
"""A named item (reconciliation), taken if nobody holds it."""

_HELD = and_(OutboxItem.id == bindparam("item_id"), OutboxItem.lease_token == bindparam("token"))
_FENCE = update(OutboxItem).where(_HELD).values(lease_until=bindparam("until"))
_RELEASE = update(OutboxItem).where(_HELD).values(lease_owner=None, lease_until=None)


_HELD_BY = (
    select(OutboxItem.lease_owner)
    .where(OutboxItem.lease_owner.is_not(None), OutboxItem.lease_until > bindparam("now"))
    .distinct()
)
_FREE_OWNER = (
    update(OutboxItem)
    .where(OutboxItem.lease_owner == bindparam("owner"))
    .values(lease_owner=None, lease_until=None)
)


def _host() -> str:
    return socket.gethostname()[:40]


def _dead_here(owner: str) -> bool:
    """True when `owner` is a process of this PC that no longer runs."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != _host() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def free_dead_local(conn: Connection, now: datetime) -> int:
    """Free the leases of this PC's engines that died (a crash, a SIGKILL): a restarted
    engine goes on at once, as on a single PC, instead of waiting for them to expire. A
    paused process is alive and keeps its lease; its token still fences it."""
    freed = 0
    for owner in conn.scalars(_HELD_BY, {"now": now}).all():
        if owner is not None and _dead_here(owner):
            conn.execute(_FREE_OWNER, {"owner": owner})
            freed += 1
    return freed


def until(now: datetime, seconds: float = LEASE_SECONDS) -> datetime:
    return now + timedelta(seconds=seconds)


def claim(conn: Connection, owner: str, now: datetime, seconds: float = LEASE_SECONDS) -> Any:
    """Take the oldest due free item in the caller's transaction; its row or None."""
    return conn.execute(CLAIM, {"owner": owner, "now": now, "until": until(now, seconds)}).first()


def claim_one(
    conn: Connection, item_id: int, owner: str, now: datetime, seconds: float = LEASE_SECONDS
) -> Lease | None:
    """Take item `item_id` if it is active and nobody holds it."""
    params = {"item_id": item_id, "owner": owner, "now": now, "until": until(now, seconds)}
    token = conn.scalar(CLAIM_ONE, params)
    return None if token is None else Lease(item_id, int(token))


def fence(conn: Connection, lease: Lease, now: datetime, seconds: float = LEASE_SECONDS) -> None:
    """Renew the lease in the caller's transaction; LeaseLostError if the token moved on."""
    params = {"item_id": lease.item_id, "token": lease.token, "until": until(now, seconds)}
    result = cast("CursorResult[Any]", conn.execute(_FENCE, params))
    if result.rowcount != 1:
        raise LeaseLostError(lease.item_id)


def release(conn: Connection, lease: Lease) -> None:
    """Let the item go (after an attempt); nothing if another engine holds it already."""
    conn.execute(_RELEASE, {"item_id": lease.item_id, "token": lease.token})
