"""Delivering one outbox item: PUT, resumable uploads, submission, receipt.

Every step is idempotent on the portal (the stored body is replayed byte for byte, the
upload goes on from the portal's offset, the submission carries the stored key), and
each outcome is committed before the next side effect; the intent of a side effect is
committed before it. `reconcile()` asks the portal about items whose intent has no
recorded outcome (the process died in between) before anything else is sent.
A supplement item PUTs `/supplements/{sid}` and is finished when its files are complete:
the portal takes it with its last piece, so the FINISH intent is committed before that
piece (a withdrawal is refused while it stands) and reconciled like a submission.
Between pieces the upload looks at the item and stops once the clerk withdrew it.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from desktop.dossier import state_door
from desktop.dossier.states import State
from desktop.errors import TransientError
from desktop.events import DossierChanged, EventBus, SyncProgress
from desktop.portal.adapter import PortalAdapter
from desktop.portal.contract import DossierCreated, DossierStatus, Receipt, SupplementCreated
from desktop.portal.errors import (
    LoginRequiredError,
    PortalBusyError,
    PortalRefusedError,
    PortalUnreachableError,
    UploadGoneError,
)
from desktop.storage import models
from desktop.storage.db import Database
from desktop.storage.outbox_models import OutboxItem
from desktop.sync import lease, rows
from desktop.sync.crash import crash_point
from desktop.sync.failures import E_CONFLICT, E_OFFLINE, E_REFUSED, NeedsPersonError
from desktop.sync.items import (
    ACTIVE,
    DONE,
    FINISH,
    QUEUED,
    SUBMITTING,
    UPLOADING,
    OutboxEntry,
    changed_rows,
    entry_of,
    publish_entry,
)
from desktop.sync.retry import Clock
from desktop.sync.uploader import FileTarget, ItemLeftQueueError, Uploader

log = logging.getLogger(__name__)

LARGE_TRANSFER = 4 * 1024 * 1024  # probe /v1/health before sending more than this
PROBE_TIMEOUT = 3.0
MAX_PUT_ROUNDS = 3  # an upload that keeps expiring is a transient problem


@dataclass(frozen=True)
class Work:
    """One outbox item as read when claimed: what every step of the attempt needs."""

    id: int
    state: str
    uuid: str
    supplement_id: str | None
    key: str
    body: dict[str, Any]
    dossier_id: int
    bytes_total: int
    in_flight: str | None
    token: int = 0  # the fencing token of this engine's claim (desktop/sync/lease.py)


SMALL_UPLOAD = 1024 * 1024  # a PUT outcome this close to the end rides with the next commit
PROGRESS_BYTES = 8 * 1024 * 1024  # commit upload progress at most every 8 MiB ...
PROGRESS_SECONDS = 2.0  # ... or every 2 seconds


@dataclass(frozen=True)
class PutOutcome:
    """The portal's answer to a PUT (upload targets and offsets), not yet committed."""

    item_id: int
    dossier_id: int
    state: str  # the item's state when the PUT was sent (QUEUED or UPLOADING)
    changes: list[dict[str, Any]]
    sent: int
    at: datetime

    def record(self, conn: Connection) -> OutboxEntry | None:
        """Record it in the caller's transaction; None when the item left meanwhile."""
        params = {"item_id": self.item_id, "states": [self.state], "sent": self.sent,
                  "new_state": UPLOADING}  # fmt: skip
        row = conn.execute(rows.PUT_DONE, params).first()
        if self.changes:
            # Where the portal keeps the files, recorded even for an item withdrawn
            # meanwhile: an unchanged resubmission resumes there (`Outbox._supplement_id`).
            conn.execute(rows.FILE_TARGET, self.changes)
        if row is None:
            return None
        if self.state == QUEUED:
            note = "Đã tạo hồ sơ trên cổng"
            state_door.move_core(conn, self.dossier_id, State.UPLOADING.value, note, self.at)
        return rows.entry(row)


class Progress:
    """Upload offsets of one item: published on every piece, committed now and then.

    A small upload's PUT outcome (`put`) is committed with the first offsets: until then
    the durable "put" intent stands, so a restart asks the portal before anything else.
    `guard` runs before every piece: it stops the upload once the item left the queue
    and, for a supplement, commits the FINISH intent before the piece that completes it.
    """

    def __init__(
        self,
        delivery: Delivery,
        item_id: int,
        dossier_id: int,
        total: int,
        targets: list[FileTarget],
        *,
        put: PutOutcome | None = None,
        supplement: bool = False,
    ) -> None:
        self.delivery = delivery
        self.put = put
        # The piece that ends this file completes the supplement (earlier targets are
        # complete by then: they are sent in order, each to its end).
        self.finishing_row = targets[-1].row_id if supplement and targets else None
        self.unchecked = 0  # bytes sent since the item was last looked at
        self.item_id, self.dossier_id, self.total = item_id, dossier_id, total
        self.offsets = {t.row_id: t.offset for t in targets}
        self.base = total - sum(t.size for t in targets)  # files complete before this attempt
        self.pending: dict[int, tuple[int, bool, int]] = {}
        self.unsaved = 0
        self.saved_at = time.monotonic()

    def update(self, row_id: int, offset: int, complete: bool, resent: int) -> None:
        self.unsaved += max(0, offset - self.offsets[row_id])
        self.offsets[row_id] = offset
        _, _, before = self.pending.get(row_id, (0, False, 0))
        self.pending[row_id] = (offset, complete, before + resent)
        sent = self.base + sum(self.offsets.values())
        self.delivery.events.publish(SyncProgress(self.dossier_id, sent, self.total))
        if self.unsaved >= PROGRESS_BYTES or time.monotonic() - self.saved_at >= PROGRESS_SECONDS:
            self.flush()

    def guard(self, target: FileTarget, offset: int, size: int) -> None:
        """Before a piece: ItemLeftQueueError if the item was withdrawn; the FINISH intent."""
        if target.row_id == self.finishing_row and offset + size >= target.size:
            # The same compare-and-set as the withdrawal's: one of the two wins.
            if not self.delivery.finish_intent(self):
                raise ItemLeftQueueError(self.item_id)
            crash_point("supplement.intent")
        elif self.unchecked >= self.delivery.uploader.piece:
            # Once a piece's worth went out since the last look (the PUT's, at first): a
            # big upload looks before every piece, a dossier of small files costs no read
            # per file, and at most one piece's worth is sent after a withdrawal.
            if self.delivery.state(self.item_id) not in (QUEUED, UPLOADING):
                raise ItemLeftQueueError(self.item_id)
            self.unchecked = 0
        self.unchecked += size

    def flush(self) -> None:
        if not self.pending and self.put is None:
            return
        with self.delivery.db.engine.begin() as conn:
            self.delivery.fence(conn, self.item_id)
            self.apply(conn)
        self.unsaved, self.saved_at = 0, time.monotonic()

    def apply(self, conn: Connection) -> None:
        """Write the PUT outcome and the pending offsets in the caller's transaction."""
        if self.put is not None:
            self.put.record(conn)
            self.put = None
        if not self.pending:
            return
        conn.execute(
            rows.FILE_PROGRESS,
            [
                {"row_id": r, "new_offset": o, "new_complete": c, "resent": n}
                for r, (o, c, n) in self.pending.items()
            ],
        )
        conn.execute(
            rows.ITEM_PROGRESS,
            {
                "item_id": self.item_id,
                "sent": self.base + sum(self.offsets.values()),
                "now": self.delivery.clock(),
            },
        )
        self.pending.clear()


class Delivery:
    """The steps of delivering items; the engine decides when and handles failures."""

    def __init__(
        self,
        db: Database,
        events: EventBus,
        portal: PortalAdapter,
        uploader: Uploader,
        *,
        clock: Clock,
        after_delivery: Callable[[], None] | None = None,
        owner: str | None = None,
        lease_seconds: float = lease.LEASE_SECONDS,
    ) -> None:
        self.db = db
        self.owner = owner or lease.engine_name()
        self.lease_seconds = lease_seconds
        self.lease: lease.Lease | None = None  # the item this engine holds now
        self.events = events
        self.portal = portal
        self.uploader = uploader
        self.clock = clock
        self.after_delivery = after_delivery
        self._uncounted = False

    # --- reconcile -------------------------------------------------------------------

    def reconcile(self) -> None:
        """Ask the portal about every item whose last side effect has no recorded outcome."""
        with self.db.engine.begin() as conn:
            lease.free_dead_local(conn, self.clock())
        with self.db.session() as session:
            pending = session.scalars(
                select(OutboxItem).where(
                    OutboxItem.state.in_(ACTIVE), OutboxItem.in_flight.is_not(None)
                )
            ).all()
            items = [(i.id, i.uuid, i.in_flight, i.supplement_id) for i in pending]
        for item_id, uuid, intent, supplement_id in items:
            # Another engine may be delivering it right now: only a free item is ours.
            with self.db.engine.begin() as conn:
                self.lease = lease.claim_one(
                    conn, item_id, self.owner, self.clock(), self.lease_seconds
                )
            if self.lease is None:
                continue
            try:
                self._reconcile_one(item_id, uuid, intent, supplement_id)
            except lease.LeaseLostError:
                log.info("item %s was taken over while being reconciled", item_id)
            finally:
                self.release()

    def _reconcile_one(
        self, item_id: int, uuid: str, intent: str | None, supplement_id: str | None
    ) -> None:
        status = self._portal_status(uuid)
        log.info("reconciling item %s (%s): portal has %s", item_id, intent, status)
        if supplement_id is not None:
            answered = status is not None and any(
                r.answered_by == supplement_id for r in status.supplement_requests
            )
            if answered:
                self._finish_supplement(item_id)
            else:
                self._set_intent(item_id, None, ACTIVE)
        elif status is not None and status.receipt_no is not None:
            self._record_receipt(
                item_id,
                status.receipt_no,
                status.submitted_at,
                status.appointment_date.isoformat() if status.appointment_date else None,
            )
        else:
            self._set_intent(item_id, None, ACTIVE)

    def claim(self, now: datetime, tried: set[int]) -> Work | None:
        """The oldest due item nobody holds and not tried in this pass, taken with a
        lease (desktop/sync/lease.py) and read once for the whole attempt."""
        with self.db.engine.begin() as conn:
            item = lease.claim(conn, self.owner, now, self.lease_seconds)
            if item is not None and item.id in tried:
                # An item tried in this pass is due again only after a failure that
                # makes the engine wait: end the pass rather than spin on it.
                lease.release(conn, lease.Lease(item.id, item.lease_token))
                item = None
        if item is None:
            return None
        self.lease = lease.Lease(item.id, int(item.lease_token))
        return Work(*item)

    def fence(self, conn: Connection, item_id: int) -> None:
        """Start of every write of the claimed item: LeaseLostError unless it is still ours."""
        if self.lease is None or self.lease.item_id != item_id:
            raise lease.LeaseLostError(item_id)
        lease.fence(conn, self.lease, self.clock(), self.lease_seconds)

    def release(self) -> None:
        """Let the item go after an attempt (its token stays: a late write still fails)."""
        held, self.lease = self.lease, None
        if held is not None:
            with self.db.engine.begin() as conn:
                lease.release(conn, held)

    def deliver(self, work: Work) -> bool:
        """Take one item as far as it goes: PUT, uploads, submission, receipt.

        The attempt is counted in the first intent committed, before anything is sent.
        True when the item left the queue (done, withdrawn, stopped); False when it
        stopped short and should wait its turn.
        """
        self._uncounted = True
        rounds = 0
        item_id, state = work.id, work.state
        while True:
            if state in (QUEUED, UPLOADING):
                rounds += 1
                if rounds > MAX_PUT_ROUNDS:
                    raise TransientError(E_OFFLINE, detail="uploads keep expiring")
                put = self._put(work)
                if put is None:
                    return self.state(item_id) not in ACTIVE
                try:
                    progress = self._upload_files(work, *put)
                except UploadGoneError:
                    continue  # a new PUT renews the expired uploads
                except ItemLeftQueueError:
                    log.info("item %s left the queue during its upload; stopped", item_id)
                    return self.state(item_id) not in ACTIVE
                state = self._to_submitting(item_id, progress)
                work = dataclasses.replace(work, in_flight="submit")
                continue
            if state == SUBMITTING:
                if self._submit(work):
                    return True
                state = UPLOADING  # the portal wants files again
                continue
            return state not in ACTIVE  # withdrawn, stopped or done meanwhile

    def state(self, item_id: int) -> str:
        with self.db.engine.connect() as conn:
            return rows.item_state(conn, item_id)

    def _set_intent(self, item_id: int, intent: str | None, states: tuple[str, ...]) -> bool:
        """Commit the intent (or clear it) if the item is still in `states`."""
        now = self.clock()
        params = {
            "item_id": item_id,
            "states": list(states),
            "intent": intent,
            "intent_at": now if intent else None,
            "now": now,
            "count": 1 if intent and self._uncounted else 0,
        }
        with self.db.engine.begin() as conn:
            self.fence(conn, item_id)
            done = bool(changed_rows(conn, rows.SET_INTENT, params))
        if done and intent:
            self._uncounted = False
        return done

    def finish_intent(self, progress: Progress) -> bool:
        """Commit the offsets so far and the FINISH intent; False if the item left.

        Committed before the piece that makes the portal take a supplement: from here
        until the outcome is recorded (DONE) or reconciled, a withdrawal is refused.
        """
        now = self.clock()
        params = {
            "item_id": progress.item_id,
            "states": [QUEUED, UPLOADING],
            "intent": FINISH,
            "intent_at": now,
            "now": now,
            "count": int(self._uncounted),
        }
        with self.db.engine.begin() as conn:
            self.fence(conn, progress.item_id)
            progress.apply(conn)
            done = bool(changed_rows(conn, rows.SET_INTENT, params))
        progress.unsaved, progress.saved_at = 0, time.monotonic()
        if done:
            self._uncounted = False
        return done

    def _put(self, work: Work) -> tuple[list[FileTarget], PutOutcome | None] | None:
        """PUT the dossier (or supplement); None if the item left the queue meanwhile.

        Returns the files still to upload and, for a small remainder, the PUT outcome
        still to commit (with the upload offsets); a large one is committed here.
        """
        item_id, dossier_id = work.id, work.dossier_id
        if not self._set_intent(item_id, "put", (QUEUED, UPLOADING)):
            return None
        crash_point("put.intent")
        created = self._send_put(work)
        answers = {t.file_id: t for t in created.files}
        with self.db.engine.connect() as conn:
            state = rows.item_state(conn, item_id)
            files = conn.execute(rows.FILES, {"item_id": item_id}).all()
        if state not in (QUEUED, UPLOADING):
            return None
        targets: list[FileTarget] = []
        changes: list[dict[str, Any]] = []
        for row_id, file_id, name, sha256, size, stored_url, stored_offset, done in files:
            url, offset, complete = stored_url, stored_offset, done
            answer = answers.get(file_id)
            if answer is not None:
                url, offset, complete = answer.upload_url, answer.offset, answer.complete
                changes.append(
                    {"row_id": row_id, "new_url": url, "new_offset": offset,
                     "new_complete": complete}
                )  # fmt: skip
            if not complete:
                targets.append(FileTarget(row_id, file_id, name, sha256, size, url or "", offset))
        sent = sum(t.offset for t in created.files)
        outcome = PutOutcome(item_id, dossier_id, state, changes, sent, self.clock())
        if sum(t.size - t.offset for t in targets) <= SMALL_UPLOAD:
            # A few pieces from the end: the outcome is committed with their offsets and
            # the submission intent, one commit fewer per dossier (docs/sync.md).
            return targets, outcome
        with self.db.engine.begin() as conn:
            self.fence(conn, item_id)
            entry = outcome.record(conn)
        if entry is None:
            return None
        self._publish(entry, dossier_state=State.UPLOADING.value)
        return targets, None

    def _send_put(self, work: Work) -> DossierCreated | SupplementCreated:
        """The PUT itself; a refusal stops the item (409: conflict, else: refused)."""
        created: DossierCreated | SupplementCreated | None = None
        refused: PortalRefusedError | None = None
        try:
            if work.supplement_id is None:
                created = self.portal.put_dossier(work.uuid, work.body)
            else:
                created = self.portal.put_supplement(work.uuid, work.supplement_id, work.body)
        except LoginRequiredError:
            raise
        except PortalRefusedError as exc:
            refused = exc
        crash_point("put.sent")
        if created is not None:
            return created
        status = refused.status if refused is not None else 0
        if status == 409:
            raise NeedsPersonError("conflict", E_CONFLICT, uuid=work.uuid, id=work.dossier_id)
        raise NeedsPersonError("portal_refused", E_REFUSED, detail=f"HTTP {status}")

    def _upload_files(
        self, work: Work, targets: list[FileTarget], put: PutOutcome | None
    ) -> Progress:
        remaining = sum(t.size - t.offset for t in targets)
        if remaining > LARGE_TRANSFER and not self.portal.reachable(PROBE_TIMEOUT):
            raise PortalUnreachableError(
                self.portal.base_url, "health probe before a large transfer"
            )
        progress = Progress(
            self, work.id, work.dossier_id, work.bytes_total, targets,
            put=put, supplement=work.supplement_id is not None,
        )  # fmt: skip
        try:
            for target in targets:
                self.uploader.upload(target, progress.update, progress.guard)
        except BaseException:
            progress.flush()
            raise
        # Offsets are the portal's to tell (a PUT replay reports them): they are committed
        # now and then for the clerk's view, and the last ones with the next state.
        return progress

    def _to_submitting(self, item_id: int, progress: Progress) -> str:
        """All files on the portal: on to submit (a dossier) or finish (a supplement).

        Returns the item's state afterwards (UPLOADING again while a file is missing).
        """
        with self.db.engine.begin() as conn:
            self.fence(conn, item_id)
            progress.apply(conn)
            state, supplement_id, dossier_id = conn.execute(
                rows.ITEM_FACTS, {"item_id": item_id}
            ).one()
            incomplete = conn.scalar(rows.INCOMPLETE, {"item_id": item_id})
            if state != UPLOADING or incomplete:
                return str(state)
            supplement = supplement_id is not None
            now = self.clock()
            if supplement:
                # Usually set before the last piece already; set here too when a PUT replay
                # found every file complete (an earlier attempt's last piece arrived), so no
                # withdrawal slips in before `_finish_supplement` records it.
                params = {"item_id": item_id, "states": [UPLOADING], "intent": FINISH,
                          "intent_at": now, "now": now, "count": 0}  # fmt: skip
                conn.execute(rows.SET_INTENT, params)
            else:
                entry = rows.entry(
                    conn.execute(
                        rows.TO_SUBMITTING,
                        {"item_id": item_id, "new_state": SUBMITTING, "now": now},
                    ).one()
                )
                state_door.move_core(
                    conn, dossier_id, State.SUBMITTING.value, "Đã tải lên đủ tệp", now
                )
        if supplement:
            # The portal takes a supplement when its last file is complete: no submission.
            self._finish_supplement(item_id)
            return DONE
        self._publish(entry, dossier_state=State.SUBMITTING.value)
        return SUBMITTING

    def _finish_supplement(self, item_id: int) -> None:
        with self.db.session() as session:
            self.fence(session.connection(), item_id)
            item = session.get(OutboxItem, item_id)
            assert item is not None
            if item.state == DONE:
                return
            item.state, item.in_flight, item.updated_at = DONE, None, self.clock()
            draft = session.get(models.Dossier, item.dossier_id)
            parent = session.scalars(
                select(models.Dossier).where(models.Dossier.uuid == item.uuid)
            ).first()
            assert draft is not None and parent is not None
            draft.receipt_no = item.receipt_no = parent.receipt_no
            state_door.move(
                session, draft, State.SUBMITTED,
                f"Đã gửi bổ sung cho hồ sơ {parent.receipt_no}", self.clock(),
            )  # fmt: skip
            entry = entry_of(item)
        self._publish(entry, dossier_state=State.SUBMITTED.value)

    def _submit(self, work: Work) -> bool:
        """True when the item is finished (receipt recorded); False to upload again."""
        item_id, uuid, key, dossier_id = work.id, work.uuid, work.key, work.dossier_id
        files = sorted(
            ({"file_id": f["file_id"], "sha256": f["sha256"]} for f in work.body["files"]),
            key=lambda f: str(f["file_id"]),
        )
        if work.in_flight != "submit" or self._uncounted:
            with self.db.engine.begin() as conn:
                self.fence(conn, item_id)
                conn.execute(
                    rows.SUBMIT_INTENT,
                    {"item_id": item_id, "now": self.clock(), "count": int(self._uncounted)},
                )
            self._uncounted = False
        crash_point("submit.intent")
        receipt: Receipt | None = None
        code = ""
        try:
            receipt = self.portal.submit(uuid, {"files": files}, key)
        except LoginRequiredError:
            raise
        except PortalRefusedError as exc:
            code = exc.code
        crash_point("submit.sent")
        if receipt is not None:
            self._record_receipt(
                item_id,
                receipt.receipt_no,
                receipt.submitted_at,
                receipt.appointment_date.isoformat(),
            )
            return True
        if code == "submission.files_incomplete":
            with self.db.session() as session:
                self.fence(session.connection(), item_id)
                item = session.get(OutboxItem, item_id)
                assert item is not None
                item.state, item.in_flight = UPLOADING, None
            return False
        if code == "submission.already_submitted":
            portal = self._portal_status(uuid)
            if portal is not None and portal.receipt_no is not None:
                self._record_receipt(
                    item_id,
                    portal.receipt_no,
                    portal.submitted_at,
                    portal.appointment_date.isoformat() if portal.appointment_date else None,
                )
                return True
        if code == "submission.in_progress":
            raise TransientError(E_OFFLINE, detail=code)
        raise NeedsPersonError("conflict", E_CONFLICT, uuid=uuid, id=dossier_id, detail=code)

    def _portal_status(self, uuid: str) -> DossierStatus | None:
        """What the portal holds for `uuid`; None when it has no such dossier (404)."""
        try:
            return self.portal.dossier(uuid)
        except LoginRequiredError:
            raise
        except PortalRefusedError as exc:
            if exc.status == 404:
                return None
            raise PortalBusyError(exc.status, None) from exc

    def _record_receipt(
        self,
        item_id: int,
        receipt_no: str,
        submitted_at: datetime | None,
        appointment: str | None,
    ) -> None:
        now = self.clock()
        params = {
            "item_id": item_id,
            "receipt": receipt_no,
            "submitted": submitted_at,
            "appointment": appointment,
            "now": now,
        }
        with self.db.engine.begin() as conn:
            self.fence(conn, item_id)
            row = conn.execute(rows.RECEIPT, params).first()
            if row is None:
                return  # recorded already
            entry = rows.entry(row)
            rows.set_dossier_receipt(conn, entry.dossier_id, receipt_no)
            state_door.move_core(
                conn,
                entry.dossier_id,
                State.SUBMITTED.value,
                f"Đã nộp, số biên nhận {receipt_no}",
                now,
            )
        crash_point("receipt.committed")
        self._publish(entry, dossier_state=State.SUBMITTED.value)
        if self.after_delivery is not None:
            self.after_delivery()

    def _publish(self, entry: OutboxEntry, dossier_state: str | None = None) -> None:
        publish_entry(self.events, entry)
        if dossier_state is not None:
            self.events.publish(DossierChanged(entry.dossier_id, dossier_state))
