"""The sync engine: one worker delivering outbox items to the portal, exactly once.

For each due item, oldest first: PUT the dossier (idempotent: the stored body is
replayed byte for byte), upload each file from the portal's offset, then submit with the
stored key and record the receipt. The intent is committed before every side effect and
the outcome after it; at start every item with an intent is first reconciled with
`GET /v1/dossiers/{uuid}`. Keys are minted once, at submit time, never here.

Connectivity is judged for the whole engine: when the portal cannot be reached the
engine probes `/v1/health` on the retry schedule instead of letting every item knock,
so an hour offline costs a handful of connection attempts whatever the queue length.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update

from desktop.attachments.store import BlobStore
from desktop.dossier.states import State
from desktop.events import DossierChanged, EventBus, SyncProgress
from desktop.storage import models
from desktop.storage.db import Database
from desktop.storage.outbox_models import OutboxFile, OutboxItem
from desktop.sync.crash import crash_point
from desktop.sync.events import EngineState
from desktop.sync.failures import (
    E_CONFLICT,
    E_OFFLINE,
    E_REFUSED,
    DisconnectedError,
    NeedsPersonError,
    TransientSyncError,
    UploadGoneError,
)
from desktop.sync.outbox import (
    ACTIVE,
    DONE,
    QUEUED,
    STOPPED,
    SUBMITTING,
    UPLOADING,
    Outbox,
    OutboxEntry,
    changed_rows,
    entry_of,
    move_dossier,
    publish_entry,
    supersede,
)
from desktop.sync.retry import Clock, RetryPolicy, utc_now
from desktop.sync.uploader import PIECE, FileTarget, Uploader
from desktop.sync.wire import PortalWire

log = logging.getLogger(__name__)

LARGE_TRANSFER = 4 * 1024 * 1024  # probe /v1/health before sending more than this
PROBE_TIMEOUT = 3.0
IDLE_WAIT = 300.0  # wake up at least this often (status polling, clock changes)
MAX_PUT_ROUNDS = 3  # an upload that keeps expiring is a transient problem


class Engine:
    """Deliver outbox items; `run_once()` for tests and `--once`, `start()` for a thread."""

    def __init__(
        self,
        db: Database,
        store: BlobStore,
        events: EventBus,
        wire: PortalWire,
        *,
        outbox: Outbox | None = None,
        clock: Clock = utc_now,
        policy: RetryPolicy | None = None,
        piece: int = PIECE,
        account: str = "",
        after_delivery: Callable[[], None] | None = None,
    ) -> None:
        self.db = db
        self.store = store
        self.events = events
        self.wire = wire
        self.outbox = outbox
        self.clock = clock
        self.policy = policy or RetryPolicy()
        self.uploader = Uploader(wire, store, piece)
        self.account = account
        self.after_delivery = after_delivery
        self.reconciled = False
        self.offline_failures = 0
        self.offline_until: datetime | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if outbox is not None:
            outbox.set_wake(self.wake)

    # --- the worker thread -----------------------------------------------------------

    def start(self) -> None:
        """Run the loop in one daemon thread until `stop()`."""
        self._thread = threading.Thread(target=self._loop, name="dvc-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def join(self, timeout: float | None = None) -> None:
        """Wait for the worker thread to end (after `stop()`)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def wake(self) -> None:
        """A new item was queued: look at the queue now."""
        self._wake.set()

    def sync_now(self) -> None:
        """The clerk pressed "Sync now": every waiting item is due, stopped logins retry."""
        self.reachability_hint()
        with self.db.session() as session:
            stopped = session.scalars(
                select(OutboxItem).where(
                    OutboxItem.state == STOPPED, OutboxItem.stop_reason == "login_expired"
                )
            ).all()
            for item in stopped:
                dossier = session.get(models.Dossier, item.dossier_id)
                assert dossier is not None
                # Go on where it stopped: the PUT replay tells the upload offsets.
                item.state = QUEUED if dossier.state == State.QUEUED.value else UPLOADING
                if dossier.state == State.SUBMITTING.value:
                    item.state = SUBMITTING
                item.stop_reason = None
                item.next_attempt_at = self.clock()

    def reachability_hint(self) -> None:
        """The network seems back: forget the back-off and try at once."""
        now = self.clock()
        self.offline_failures = 0
        self.offline_until = None
        with self.db.session() as session:
            session.execute(
                update(OutboxItem)
                .where(OutboxItem.state.in_(ACTIVE), OutboxItem.next_attempt_at > now)
                .values(next_attempt_at=now)
            )
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                wait = self.run_once()
            except Exception:
                log.exception("sync loop failed; trying again later")
                wait = self.policy.base
            self._wake.wait(timeout=min(wait if wait is not None else IDLE_WAIT, IDLE_WAIT))
            self._wake.clear()

    # --- one pass --------------------------------------------------------------------

    def run_once(self) -> float | None:
        """Reconcile if not done yet, deliver every due item; seconds until the next one."""
        while not self._stop.is_set():
            if not self._online():
                break
            if not self.reconciled:
                try:
                    self.reconcile()
                except TransientSyncError as exc:
                    self._went_offline(exc)
                    continue
            item_id = self._claim()
            if item_id is None:
                break
            self._attempt(item_id)
        return self._seconds_to_next()

    def _online(self) -> bool:
        """False while offline and the next probe is not due; probes when it is."""
        if self.offline_until is None:
            return True
        if self.clock() < self.offline_until:
            return False
        if self.wire.healthy(PROBE_TIMEOUT):
            self._back_online()
            return True
        self._went_offline(TransientSyncError(E_OFFLINE, detail="health probe failed"))
        return False

    def _went_offline(self, exc: TransientSyncError) -> None:
        self.offline_failures += 1
        self.offline_until = self.policy.next_attempt(
            self.clock(), self.offline_failures, exc.retry_after
        )
        log.info("portal unreachable (%s); next probe at %s", exc.code, self.offline_until)
        self.events.publish(EngineState(False, self._waiting(), self.offline_until))

    def _back_online(self) -> None:
        self.offline_failures = 0
        self.offline_until = None
        self.events.publish(EngineState(True, self._waiting(), None))

    def _waiting(self) -> int:
        with self.db.session() as session:
            count = session.scalar(
                select(func.count(OutboxItem.id)).where(OutboxItem.state.in_(ACTIVE))
            )
        return int(count or 0)

    def _seconds_to_next(self) -> float | None:
        with self.db.session() as session:
            earliest = session.scalar(
                select(func.min(OutboxItem.next_attempt_at)).where(OutboxItem.state.in_(ACTIVE))
            )
        if earliest is None:
            return None
        # SQLite hands datetimes back naive; every stored moment is UTC.
        moment = earliest if earliest.tzinfo else earliest.replace(tzinfo=UTC)
        if self.offline_until is not None:
            moment = max(moment, self.offline_until)
        return max(0.0, (moment - self.clock()).total_seconds())

    def _claim(self) -> int | None:
        """The oldest due item; its attempt is counted before anything is sent."""
        now = self.clock()
        with self.db.session() as session:
            item = session.scalars(
                select(OutboxItem)
                .where(OutboxItem.state.in_(ACTIVE), OutboxItem.next_attempt_at <= now)
                .order_by(OutboxItem.next_attempt_at, OutboxItem.id)
                .limit(1)
            ).first()
            if item is None:
                return None
            item.attempts += 1
            item.updated_at = now
            item_id = item.id
        crash_point("claim.committed")
        return item_id

    # --- reconcile -------------------------------------------------------------------

    def reconcile(self) -> None:
        """Ask the portal about every item whose last side effect has no recorded outcome."""
        with self.db.session() as session:
            pending = session.scalars(
                select(OutboxItem).where(
                    OutboxItem.state.in_(ACTIVE), OutboxItem.in_flight.is_not(None)
                )
            ).all()
            items = [(i.id, i.uuid, i.in_flight) for i in pending]
        for item_id, uuid, intent in items:
            status = self.wire.get_dossier(uuid)
            log.info("reconciling item %s (%s): portal has %s", item_id, intent, status)
            if status is not None and status.receipt_no is not None:
                self._record_receipt(
                    item_id,
                    status.receipt_no,
                    status.submitted_at,
                    status.appointment_date.isoformat() if status.appointment_date else None,
                )
            else:
                self._set_intent(item_id, None, ACTIVE)
        self.reconciled = True

    # --- delivering one item ---------------------------------------------------------

    def _attempt(self, item_id: int) -> None:
        try:
            self._deliver(item_id)
        except DisconnectedError as exc:
            self._failed(item_id, exc, engine_wide=True)
        except TransientSyncError as exc:
            self._failed(item_id, exc, engine_wide=False)
        except NeedsPersonError as exc:
            self._stop_item(item_id, exc)

    def _deliver(self, item_id: int) -> None:
        rounds = 0
        while True:
            state = self._state(item_id)
            if state in (QUEUED, UPLOADING):
                rounds += 1
                if rounds > MAX_PUT_ROUNDS:
                    raise TransientSyncError(E_OFFLINE, detail="uploads keep expiring")
                if not self._put(item_id):
                    return
                try:
                    self._upload_files(item_id)
                except UploadGoneError:
                    continue  # a new PUT renews the expired uploads
                if not self._to_submitting(item_id):
                    return
                continue
            if state == SUBMITTING:
                if self._submit(item_id):
                    return
                continue  # the portal wants files again: back to uploading
            return  # withdrawn, stopped or done meanwhile

    def _state(self, item_id: int) -> str:
        with self.db.session() as session:
            item = session.get(OutboxItem, item_id)
            assert item is not None
            return item.state

    def _set_intent(self, item_id: int, intent: str | None, states: tuple[str, ...]) -> bool:
        """Commit the intent (or clear it) if the item is still in `states`."""
        with self.db.session() as session:
            return bool(
                changed_rows(
                    session,
                    update(OutboxItem)
                    .where(OutboxItem.id == item_id, OutboxItem.state.in_(states))
                    .values(
                        in_flight=intent,
                        in_flight_at=self.clock() if intent else None,
                        updated_at=self.clock(),
                    ),
                )
            )

    def _put(self, item_id: int) -> bool:
        with self.db.session() as session:
            item = session.get(OutboxItem, item_id)
            assert item is not None
            uuid, body, dossier_id = item.uuid, dict(item.body), item.dossier_id
        if not self._set_intent(item_id, "put", (QUEUED, UPLOADING)):
            return False
        crash_point("put.intent")
        status, created = self.wire.put_dossier(uuid, body)
        crash_point("put.sent")
        if created is None:
            if status == 409:
                raise NeedsPersonError("conflict", E_CONFLICT, uuid=uuid, id=dossier_id)
            raise NeedsPersonError("portal_refused", E_REFUSED, detail=f"HTTP {status}")
        targets = {t.file_id: t for t in created.files}
        with self.db.session() as session:
            item = session.get(OutboxItem, item_id)
            assert item is not None
            if item.state not in (QUEUED, UPLOADING):
                return False
            for row in session.scalars(select(OutboxFile).where(OutboxFile.item_id == item_id)):
                target = targets.get(row.file_id)
                if target is not None:
                    row.upload_url = target.upload_url
                    row.offset = target.offset
                    row.complete = target.complete
            item.bytes_sent = sum(t.offset for t in created.files)
            item.in_flight = None
            if item.state == QUEUED:
                item.state = UPLOADING
                dossier = session.get(models.Dossier, dossier_id)
                assert dossier is not None
                move_dossier(
                    session, dossier, State.UPLOADING.value, "Đã tạo hồ sơ trên cổng", self.clock()
                )
            entry = entry_of(item)
        self._publish(entry, dossier_state=State.UPLOADING.value)
        return True

    def _upload_files(self, item_id: int) -> None:
        with self.db.session() as session:
            rows = session.scalars(
                select(OutboxFile)
                .where(OutboxFile.item_id == item_id, OutboxFile.complete.is_(False))
                .order_by(OutboxFile.id)
            ).all()
            item = session.get(OutboxItem, item_id)
            assert item is not None
            dossier_id, total = item.dossier_id, item.bytes_total
            targets = [
                FileTarget(r.id, r.file_id, r.name, r.sha256, r.size, r.upload_url or "", r.offset)
                for r in rows
            ]
        remaining = sum(t.size - t.offset for t in targets)
        if remaining > LARGE_TRANSFER and not self.wire.healthy(PROBE_TIMEOUT):
            raise DisconnectedError(E_OFFLINE, detail="health probe before a large transfer")

        def commit(row_id: int, offset: int, complete: bool, resent: int) -> None:
            with self.db.session() as session:
                row = session.get(OutboxFile, row_id)
                owner = session.get(OutboxItem, item_id)
                assert row is not None and owner is not None
                row.offset, row.complete = offset, complete
                row.resent_bytes += resent
                session.flush()
                sent = session.scalar(
                    select(func.sum(OutboxFile.offset)).where(OutboxFile.item_id == item_id)
                )
                owner.bytes_sent = int(sent or 0)
                owner.updated_at = self.clock()
                done = owner.bytes_sent
            self.events.publish(SyncProgress(dossier_id, done, total))

        for target in targets:
            if self._state(item_id) != UPLOADING:
                return
            self.uploader.upload(target, commit)

    def _to_submitting(self, item_id: int) -> bool:
        with self.db.session() as session:
            item = session.get(OutboxItem, item_id)
            assert item is not None
            incomplete = session.scalar(
                select(func.count(OutboxFile.id)).where(
                    OutboxFile.item_id == item_id, OutboxFile.complete.is_(False)
                )
            )
            if item.state != UPLOADING or incomplete:
                return item.state == UPLOADING
            item.state = SUBMITTING
            item.in_flight = "submit"
            item.in_flight_at = self.clock()
            dossier = session.get(models.Dossier, item.dossier_id)
            assert dossier is not None
            move_dossier(
                session, dossier, State.SUBMITTING.value, "Đã tải lên đủ tệp", self.clock()
            )
            entry = entry_of(item)
        self._publish(entry, dossier_state=State.SUBMITTING.value)
        return True

    def _submit(self, item_id: int) -> bool:
        """True when the item is finished (receipt recorded); False to upload again."""
        with self.db.session() as session:
            item = session.get(OutboxItem, item_id)
            assert item is not None
            uuid, key, dossier_id = item.uuid, item.submission_key, item.dossier_id
            files = sorted(
                ({"file_id": f["file_id"], "sha256": f["sha256"]} for f in item.body["files"]),
                key=lambda f: str(f["file_id"]),
            )
            item.in_flight = "submit"
            item.in_flight_at = self.clock()
        crash_point("submit.intent")
        status, receipt, code = self.wire.submit(uuid, key, {"files": files})
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
                item = session.get(OutboxItem, item_id)
                assert item is not None
                item.state, item.in_flight = UPLOADING, None
            return False
        if code == "submission.already_submitted":
            portal = self.wire.get_dossier(uuid)
            if portal is not None and portal.receipt_no is not None:
                self._record_receipt(
                    item_id,
                    portal.receipt_no,
                    portal.submitted_at,
                    portal.appointment_date.isoformat() if portal.appointment_date else None,
                )
                return True
        if code == "submission.in_progress" or status >= 500:
            raise TransientSyncError(E_OFFLINE, detail=code or f"HTTP {status}")
        raise NeedsPersonError("conflict", E_CONFLICT, uuid=uuid, id=dossier_id, detail=code)

    def _record_receipt(
        self,
        item_id: int,
        receipt_no: str,
        submitted_at: datetime | None,
        appointment: str | None,
    ) -> None:
        with self.db.session() as session:
            item = session.get(OutboxItem, item_id)
            assert item is not None
            if item.state == DONE:
                return
            item.state, item.in_flight = DONE, None
            item.receipt_no, item.submitted_at = receipt_no, submitted_at
            item.appointment_date = appointment
            item.last_error_code, item.last_error_params = None, None
            item.updated_at = self.clock()
            dossier = session.get(models.Dossier, item.dossier_id)
            assert dossier is not None
            dossier.receipt_no, dossier.portal_state = receipt_no, 1
            move_dossier(
                session,
                dossier,
                State.SUBMITTED.value,
                f"Đã nộp, số biên nhận {receipt_no}",
                self.clock(),
            )
            entry = entry_of(item)
        crash_point("receipt.committed")
        self._publish(entry, dossier_state=State.SUBMITTED.value)
        if self.after_delivery is not None:
            self.after_delivery()

    # --- failures --------------------------------------------------------------------

    def _failed(self, item_id: int, exc: TransientSyncError, *, engine_wide: bool) -> None:
        now = self.clock()
        with self.db.session() as session:
            item = session.get(OutboxItem, item_id)
            assert item is not None
            failures = int((item.last_error_params or {}).get("failures", 0)) + 1
            if engine_wide:
                # The link is down: the engine probes for everyone; the item goes first after.
                item.next_attempt_at = now
            else:
                item.next_attempt_at = self.policy.next_attempt(now, failures, exc.retry_after)
            item.last_error_code = exc.code
            item.last_error_params = {**exc.params, "failures": failures}
            item.updated_at = now
            entry = entry_of(item)
        if engine_wide:
            self._went_offline(exc)
        self._publish(entry)

    def _stop_item(self, item_id: int, exc: NeedsPersonError) -> None:
        now = self.clock()
        params: dict[str, Any] = dict(exc.params)
        new_id: int | None = None
        with self.db.session() as session:
            item = session.get(OutboxItem, item_id)
            assert item is not None
            if exc.reason == "portal_refused":
                new_id = supersede(session, item.dossier_id, "Cổng từ chối hồ sơ", now)
                params["new_id"] = new_id
            item.state, item.stop_reason = STOPPED, exc.reason
            item.last_error_code, item.last_error_params = exc.code, params
            item.in_flight = None
            item.updated_at = now
            entry = entry_of(item)
        log.warning("item %s stopped: %s %s", item_id, exc.reason, params)
        self._publish(entry)
        if new_id is not None:
            self.events.publish(DossierChanged(entry.dossier_id, State.SUPERSEDED.value))
            self.events.publish(DossierChanged(new_id, State.DRAFT.value))

    def _publish(self, entry: OutboxEntry, dossier_state: str | None = None) -> None:
        publish_entry(self.events, entry)
        if dossier_state is not None:
            self.events.publish(DossierChanged(entry.dossier_id, dossier_state))
