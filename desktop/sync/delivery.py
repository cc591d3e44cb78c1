"""Delivering one outbox item: PUT, resumable uploads, submission, receipt.

Every step is idempotent on the portal (the stored body is replayed byte for byte, the
upload goes on from the portal's offset, the submission carries the stored key), and
each outcome is committed before the next side effect; the intent of a side effect is
committed before it. `reconcile()` asks the portal about items whose intent has no
recorded outcome (the process died in between) before anything else is sent.
A supplement item PUTs `/supplements/{sid}` and is finished when its files are complete.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select, update

from desktop.dossier.states import State
from desktop.events import DossierChanged, EventBus, SyncProgress
from desktop.portal.contract import DossierCreated, SupplementCreated
from desktop.storage import models
from desktop.storage.db import Database
from desktop.storage.outbox_models import OutboxFile, OutboxItem
from desktop.sync.crash import crash_point
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
    SUBMITTING,
    UPLOADING,
    OutboxEntry,
    changed_rows,
    entry_of,
    move_dossier,
    publish_entry,
)
from desktop.sync.retry import Clock
from desktop.sync.uploader import FileTarget, Uploader
from desktop.sync.wire import PortalWire

log = logging.getLogger(__name__)

LARGE_TRANSFER = 4 * 1024 * 1024  # probe /v1/health before sending more than this
PROBE_TIMEOUT = 3.0
MAX_PUT_ROUNDS = 3  # an upload that keeps expiring is a transient problem


class Delivery:
    """The steps of delivering items; the engine decides when and handles failures."""

    def __init__(
        self,
        db: Database,
        events: EventBus,
        wire: PortalWire,
        uploader: Uploader,
        *,
        clock: Clock,
        after_delivery: Callable[[], None] | None = None,
    ) -> None:
        self.db = db
        self.events = events
        self.wire = wire
        self.uploader = uploader
        self.clock = clock
        self.after_delivery = after_delivery

    # --- reconcile -------------------------------------------------------------------

    def reconcile(self) -> None:
        """Ask the portal about every item whose last side effect has no recorded outcome."""
        with self.db.session() as session:
            pending = session.scalars(
                select(OutboxItem).where(
                    OutboxItem.state.in_(ACTIVE), OutboxItem.in_flight.is_not(None)
                )
            ).all()
            items = [(i.id, i.uuid, i.in_flight, i.supplement_id) for i in pending]
        for item_id, uuid, intent, supplement_id in items:
            status = self.wire.get_dossier(uuid)
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

    def deliver(self, item_id: int) -> None:
        """Take one item as far as it goes: PUT, uploads, submission, receipt."""
        rounds = 0
        while True:
            state = self.state(item_id)
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

    def state(self, item_id: int) -> str:
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
            supplement_id = item.supplement_id
        if not self._set_intent(item_id, "put", (QUEUED, UPLOADING)):
            return False
        crash_point("put.intent")
        created: DossierCreated | SupplementCreated | None
        if supplement_id is None:
            status, created = self.wire.put_dossier(uuid, body)
        else:
            status, created = self.wire.put_supplement(uuid, supplement_id, body)
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
            if self.state(item_id) != UPLOADING:
                return
            self.uploader.upload(target, commit)

    def _to_submitting(self, item_id: int) -> bool:
        """All files are on the portal: go on to submit (a dossier) or finish (a supplement)."""
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
            supplement = item.supplement_id is not None
            if not supplement:
                item.state = SUBMITTING
                item.in_flight = "submit"
                item.in_flight_at = self.clock()
                dossier = session.get(models.Dossier, item.dossier_id)
                assert dossier is not None
                move_dossier(
                    session, dossier, State.SUBMITTING.value, "Đã tải lên đủ tệp", self.clock()
                )
            entry = entry_of(item)
        if supplement:
            # The portal takes a supplement when its last file is complete: no submission.
            self._finish_supplement(item_id)
        else:
            self._publish(entry, dossier_state=State.SUBMITTING.value)
        return True

    def _finish_supplement(self, item_id: int) -> None:
        with self.db.session() as session:
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
            move_dossier(
                session, draft, State.SUBMITTED.value,
                f"Đã gửi bổ sung cho hồ sơ {parent.receipt_no}", self.clock(),
            )  # fmt: skip
            entry = entry_of(item)
        self._publish(entry, dossier_state=State.SUBMITTED.value)

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

    def _publish(self, entry: OutboxEntry, dossier_state: str | None = None) -> None:
        publish_entry(self.events, entry)
        if dossier_state is not None:
            self.events.publish(DossierChanged(entry.dossier_id, dossier_state))
