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
from desktop.errors import DvcError, TransientError
from desktop.events import DossierChanged, EventBus
from desktop.portal.adapter import PortalAdapter
from desktop.portal.capabilities import Capabilities
from desktop.portal.errors import LoginRequiredError, PortalRefusedError, PortalUnreachableError
from desktop.storage import models
from desktop.storage.db import Database
from desktop.storage.outbox_models import OutboxItem
from desktop.sync.catalog_sync import CatalogSync
from desktop.sync.delivery import PROBE_TIMEOUT, Delivery, Work
from desktop.sync.events import EngineState
from desktop.sync.failures import (
    E_LOGIN,
    E_OFFLINE,
    E_REFUSED,
    NeedsPersonError,
    retry_after,
)
from desktop.sync.items import (
    ACTIVE,
    QUEUED,
    STOPPED,
    SUBMITTING,
    UPLOADING,
    OutboxEntry,
    entry_of,
    publish_entry,
)
from desktop.sync.lease import LEASE_SECONDS, LeaseLostError
from desktop.sync.outbox import Outbox
from desktop.sync.retry import Clock, RetryPolicy, utc_now
from desktop.sync.status import StatusPoller
from desktop.sync.uploader import PIECE, Uploader
from desktop.sync.versions import supersede

log = logging.getLogger(__name__)

IDLE_WAIT = 300.0  # wake up at least this often (status polling, clock changes)


class Engine:
    """Deliver outbox items; `run_once()` for tests and `--once`, `start()` for a thread."""

    def __init__(
        self,
        db: Database,
        store: BlobStore,
        events: EventBus,
        portal: PortalAdapter,
        *,
        outbox: Outbox | None = None,
        clock: Clock = utc_now,
        policy: RetryPolicy | None = None,
        piece: int = PIECE,
        account: str = "",
        after_delivery: Callable[[], None] | None = None,
        poller: StatusPoller | None = None,
        poll_interval: float = 300.0,
        catalog: CatalogSync | None = None,
        lease_seconds: float = LEASE_SECONDS,
    ) -> None:
        self.db = db
        self.store = store
        self.events = events
        self.portal = portal
        self.outbox = outbox
        self.clock = clock
        self.policy = policy or RetryPolicy()
        self.uploader = Uploader(portal, store, piece)
        self.delivery = Delivery(
            db, events, portal, self.uploader, clock=clock, after_delivery=after_delivery,
            lease_seconds=lease_seconds,
        )  # fmt: skip
        self.account = account
        self.after_delivery = after_delivery
        self.poller = poller
        self.poll_interval = poll_interval
        self.catalog = catalog
        self.last_poll: datetime | None = None
        self.reconciled = False
        self.offline_failures = 0
        self.offline_until: datetime | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if outbox is not None:
            outbox.set_wake(self.wake)

    @property
    def capabilities(self) -> Capabilities:
        """What the portal's adapter can do (the window hides what it cannot)."""
        return self.portal.capabilities

    def close(self) -> None:
        """Close the portal adapter's connections (after `stop()`)."""
        self.portal.close()

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

    def sync_now(self, *, poll: bool = False) -> None:
        """The clerk pressed "Sync now": every waiting item is due, stopped logins retry;
        with `poll`, the portal's status is asked at the next pass too."""
        if poll:
            # The poll itself runs on the engine's thread (its portal session is used
            # from one thread): clearing the last poll makes the next pass poll.
            self.last_poll = None
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
        tried: set[int] = set()
        while not self._stop.is_set():
            if not self._online():
                break
            if not self.reconciled:
                try:
                    self.reconcile()
                except TransientError as exc:
                    self._went_offline(exc)
                    continue
            work = self.delivery.claim(self.clock(), tried)
            if work is None:
                break
            tried.add(work.id)
            try:
                self._attempt(work)
            finally:
                self.delivery.release()
        self.poll()
        self.sync_catalog()
        return self._seconds_to_next()

    def poll(self, *, force: bool = False) -> None:
        """Batched status polling, when due (every `poll_interval`) and online."""
        if self.poller is None or self.offline_until is not None:
            return
        now = self.clock()
        recent = self.last_poll is not None and (
            (now - self.last_poll).total_seconds() < self.poll_interval
        )
        if recent and not force:
            return
        try:
            self.poller.poll()
        except PortalUnreachableError as exc:
            self._went_offline(exc)
            return
        except DvcError as exc:
            log.warning("status polling failed: %s %s", exc.code, exc.params)
        self.last_poll = now

    def sync_catalog(self, *, force: bool = False) -> None:
        """Fetch the portal's catalog when due (every few hours) and online."""
        if self.catalog is None or self.offline_until is not None:
            return
        try:
            self.catalog.run(force=force)
        except PortalUnreachableError as exc:
            self._went_offline(exc)
        except DvcError as exc:
            # A broken catalog answer changes nothing here; dossiers still go out.
            log.warning("catalog sync failed: %s %s", exc.code, exc.params)

    def _online(self) -> bool:
        """False while offline and the next probe is not due; probes when it is."""
        if self.offline_until is None:
            return True
        if self.clock() < self.offline_until:
            return False
        if self.portal.reachable(PROBE_TIMEOUT):
            self._back_online()
            return True
        self._went_offline(PortalUnreachableError(self.portal.base_url, "health probe failed"))
        return False

    def _went_offline(self, exc: DvcError) -> None:
        self.offline_failures += 1
        self.offline_until = self.policy.next_attempt(
            self.clock(), self.offline_failures, retry_after(exc)
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

    # --- reconcile -------------------------------------------------------------------

    def reconcile(self) -> None:
        """Ask the portal about every item whose last side effect has no recorded outcome."""
        self.delivery.reconcile()
        self.reconciled = True

    # --- delivering one item ---------------------------------------------------------

    def _attempt(self, work: Work) -> None:
        item_id = work.id
        try:
            self._deliver(work)
        except LeaseLostError:
            # Paused past the lease: another engine holds the item now and finishes it;
            # nothing of this attempt was written (desktop/sync/lease.py).
            log.info("item %s was taken over by another engine; left to it", item_id)

    def _deliver(self, work: Work) -> None:
        item_id = work.id
        try:
            if not self.delivery.deliver(work):
                # Delivery stopped short without a failure: never spin on it.
                raise TransientError(E_OFFLINE, detail="no progress")
        except PortalUnreachableError as exc:
            self._failed(item_id, exc, engine_wide=True)
        except TransientError as exc:
            self._failed(item_id, exc, engine_wide=False)
        except NeedsPersonError as exc:
            self._stop_item(item_id, exc)
        except LoginRequiredError:
            self._stop_item(item_id, NeedsPersonError("login_expired", E_LOGIN))
        except PortalRefusedError as exc:
            # A refusal no step expects (an upload over the portal's limit, a media type
            # it does not take): the dossier must change, as for a refused PUT.
            detail = f"HTTP {exc.status}: {exc.code}"
            self._stop_item(item_id, NeedsPersonError("portal_refused", E_REFUSED, detail=detail))

    # --- failures --------------------------------------------------------------------

    def _failed(self, item_id: int, exc: DvcError, *, engine_wide: bool) -> None:
        now = self.clock()
        with self.db.session() as session:
            self.delivery.fence(session.connection(), item_id)
            item = session.get(OutboxItem, item_id)
            assert item is not None
            failures = int((item.last_error_params or {}).get("failures", 0)) + 1
            if engine_wide:
                # The link is down: the engine probes for everyone; the item goes first after.
                item.next_attempt_at = now
            else:
                item.next_attempt_at = self.policy.next_attempt(now, failures, retry_after(exc))
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
            self.delivery.fence(session.connection(), item_id)
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
