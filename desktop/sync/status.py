"""After submission: batched status polling, fees, supplement requests and results.

One `GET /v1/dossiers?changed_since=<cursor>` answers every dossier of the account that
changed since the last poll; the cursor is committed with what it brought, so a crash
re-reads at most one page. The local dossier follows the portal's codes 1-10 and keeps
their history; a supplement request (5) opens a supplement draft carrying the officer's
note; result documents are downloaded into the store and their signatures verified.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.attachments.store import BlobStore
from desktop.dossier import state_door
from desktop.dossier.states import State
from desktop.events import DossierChanged, Event, EventBus
from desktop.paths import Paths
from desktop.portal.adapter import PortalAdapter
from desktop.portal.contract import DossierStatus, ResultFile
from desktop.portal.unknown_status import status_watch
from desktop.storage import models
from desktop.storage.db import Database
from desktop.storage.outbox_models import (
    PortalFee,
    PortalHistory,
    PortalStatus,
    ResultDocument,
    SupplementRequestRow,
    SyncCursor,
)
from desktop.sync.events import PortalStatusChanged, ResultDownloaded
from desktop.sync.retry import Clock, utc_now

log = logging.getLogger(__name__)

# (path of a downloaded PDF) → (signature valid, detail)
Verifier = Callable[[Path], tuple[bool, str]]


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def signature_verifier(trust_folder: Path | None, extra: tuple[Path, ...] = ()) -> Verifier:
    """Verify result PDFs with desktop.signing against the trusted roots."""
    from desktop.signing.verifier import load_trust, verify_pdf

    def verify(path: Path) -> tuple[bool, str]:
        try:
            report = verify_pdf(path, load_trust(trust_folder, extra))
        except Exception as exc:  # a damaged PDF is a finding, not a crash of the poller
            return False, f"{type(exc).__name__}: {exc}"
        if not report.signatures:
            return False, "no signature"
        problems = [p for s in report.signatures for p in s.problems]
        return report.ok, "; ".join(problems) or "ok"

    return verify


class StatusPoller:
    """Apply what the portal reports to local dossiers; publishes every change."""

    def __init__(
        self,
        db: Database,
        store: BlobStore,
        paths: Paths,
        events: EventBus,
        portal: PortalAdapter,
        *,
        account: str = "",
        verify: Verifier | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.db = db
        self.store = store
        self.paths = paths
        self.events = events
        self.portal = portal
        self.key = f"{portal.base_url}#{account}"
        self.verify = verify
        self.clock = clock
        # Status codes the active portal profile does not map: logged once, for doctor.
        self.status_codes = status_watch(paths)

    def poll(self) -> int:
        """Fetch every change since the stored cursor; how many dossiers changed here."""
        changed = 0
        while True:
            with self.db.session() as session:
                row = session.get(SyncCursor, self.key)
                cursor = row.cursor if row else None
            page = self.portal.changes(cursor or "0")
            for status in page.items:
                changed += self.apply(status)
            with self.db.session() as session:
                row = session.get(SyncCursor, self.key)
                if row is None:
                    session.add(
                        SyncCursor(account=self.key, cursor=page.cursor, updated_at=self.clock())
                    )
                else:
                    row.cursor, row.updated_at = page.cursor, self.clock()
            if not page.has_more or not page.items:
                return changed

    def apply(self, status: DossierStatus) -> int:
        """Record one dossier's portal status; 1 if a local dossier changed, else 0."""
        if status.state == 0:
            return 0  # created, not submitted: the outbox is still on it
        if self.status_codes is not None:
            self.status_codes.see(status.state, status.state_name)
        with self.db.session() as session:
            recorded = record_status(
                session, status, self.clock(),
                open_drafts=self.portal.capabilities.supplements,
            )  # fmt: skip
        if recorded is None:
            return 0
        dossier_id, events, drafts = recorded
        for event in events:
            self.events.publish(event)
        for draft_id in drafts:
            self.events.publish(DossierChanged(draft_id, State.DRAFT.value))
        self._results(dossier_id, status.results)
        return 1 if events or drafts else 0

    @staticmethod
    def _history(session: Session, dossier_id: int, status: DossierStatus) -> None:
        known = {
            (h.state, _aware(h.at))
            for h in session.scalars(
                select(PortalHistory).where(PortalHistory.dossier_id == dossier_id)
            )
        }
        for entry in status.history:
            if (entry.state, _aware(entry.at)) not in known:
                session.add(
                    PortalHistory(
                        dossier_id=dossier_id,
                        state=entry.state,
                        state_name=entry.state_name,
                        at=entry.at,
                        note=entry.note,
                    )
                )

    @staticmethod
    def _fees(session: Session, dossier_id: int, status: DossierStatus) -> None:
        rows = {
            f.fee_id: f
            for f in session.scalars(select(PortalFee).where(PortalFee.dossier_id == dossier_id))
        }
        for fee in status.fees:
            row = rows.get(fee.fee_id)
            if row is None:
                row = PortalFee(dossier_id=dossier_id, fee_id=fee.fee_id)
                session.add(row)
            row.description, row.amount = fee.description, fee.amount
            row.paid, row.payment_ref = fee.paid, fee.payment_ref

    @staticmethod
    def _supplements(
        session: Session,
        dossier: models.Dossier,
        status: DossierStatus,
        now: datetime,
        open_drafts: bool = True,
    ) -> list[int]:
        """Open a supplement draft for every new, unanswered request (when the portal's
        adapter can send one: `open_drafts`; else the request is only recorded)."""
        known = {
            r.request_id: r
            for r in session.scalars(
                select(SupplementRequestRow).where(SupplementRequestRow.dossier_id == dossier.id)
            )
        }
        drafts: list[int] = []
        for request in status.supplement_requests:
            row = known.get(request.request_id)
            if row is not None:
                row.answered_by = request.answered_by
                continue
            draft_id = None
            if request.answered_by is None and open_drafts:
                draft = models.Dossier(
                    procedure_key=dossier.procedure_key,
                    version=dossier.version + 1,
                    supersedes_id=dossier.id,
                    applicant=dict(dossier.applicant),
                    applicant_name=dossier.applicant_name,
                    submitter=dict(dossier.submitter) if dossier.submitter else None,
                    delivery=dict(dossier.delivery),
                    notes=f"Yêu cầu bổ sung của cán bộ: {request.note}",
                    created_at=now,
                    updated_at=now,
                )
                note = f"Bổ sung cho hồ sơ {dossier.id} ({dossier.receipt_no}): {request.note}"
                state_door.start(session, draft, State.DRAFT, note, now)
                draft_id = draft.id
                drafts.append(draft.id)
            session.add(
                SupplementRequestRow(
                    dossier_id=dossier.id,
                    request_id=request.request_id,
                    note=request.note,
                    requested_at=request.requested_at,
                    draft_dossier_id=draft_id,
                    answered_by=request.answered_by,
                )
            )
        return drafts

    def _results(self, dossier_id: int, results: list[ResultFile]) -> None:
        """Download every result not yet in the store and verify its signature."""
        for result in results:
            with self.db.session() as session:
                row = _result_row(session, dossier_id, result.result_id)
                if row is not None and row.blob_sha256 is not None:
                    continue
            sha, valid, detail = self._download(result)
            with self.db.session() as session:
                record_result(session, dossier_id, result, sha=sha, valid=valid, detail=detail)
            self.events.publish(ResultDownloaded(dossier_id, result.result_id, valid))

    def _download(self, result: ResultFile) -> tuple[str, bool | None, str]:
        self.paths.tmp.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix="result-", suffix=".pdf", dir=self.paths.tmp)
        os.close(fd)
        temp = Path(name)
        try:
            self.portal.download(result.url, temp)
            info = self.store.put(temp, accepted=("application/pdf",))
        finally:
            temp.unlink(missing_ok=True)
        if info.sha256 != result.sha256:
            return info.sha256, False, "SHA-256 differs from what the portal announced"
        if self.verify is None:
            return info.sha256, None, "not verified"
        valid, detail = self.verify(self.store.path(info.sha256))
        return info.sha256, valid, detail


def record_status(
    session: Session, status: DossierStatus, now: datetime, *, open_drafts: bool = True
) -> tuple[int, list[Event], list[int]] | None:
    """Record a (submitted) dossier's portal status in the caller's unit of work.

    (dossier id, events to publish after commit, supplement drafts opened), or None when
    no local dossier has this UUID. Used by the poller and by return bundles
    (desktop/bundles/returns.py), which bring the same status on a USB stick.
    """
    dossier = session.scalars(
        select(models.Dossier).where(models.Dossier.uuid == status.uuid)
    ).first()
    if dossier is None:
        return None
    events: list[Event] = []
    current = session.get(PortalStatus, dossier.id)
    if current is None:
        current = PortalStatus(dossier_id=dossier.id, uuid=status.uuid, polled_at=now)
        session.add(current)
    moved = current.state != status.state
    current.state, current.state_name = status.state, status.state_name
    current.receipt_no = status.receipt_no
    current.appointment_date = (
        status.appointment_date.isoformat() if status.appointment_date else None
    )
    current.portal_updated_at, current.polled_at = status.updated_at, now
    StatusPoller._history(session, dossier.id, status)
    StatusPoller._fees(session, dossier.id, status)
    drafts = StatusPoller._supplements(session, dossier, status, now, open_drafts)
    if moved:
        dossier.portal_state = status.state
        state_door.stay(session, dossier, f"Cổng: {status.state} · {status.state_name}", now)
        events.append(PortalStatusChanged(dossier.id, status.state, status.state_name))
    return dossier.id, events, drafts


def record_result(
    session: Session,
    dossier_id: int,
    result: ResultFile,
    *,
    sha: str,
    valid: bool | None,
    detail: str,
) -> None:
    """Record a result document stored as blob `sha` (its signature checked or not)."""
    row = _result_row(session, dossier_id, result.result_id)
    if row is None:
        row = ResultDocument(dossier_id=dossier_id, result_id=result.result_id)
        session.add(row)
    row.name, row.sha256, row.size = result.name, result.sha256, result.size
    row.blob_sha256 = sha
    row.signature_valid, row.signature_detail = valid, detail


def _result_row(session: Session, dossier_id: int, result_id: str) -> ResultDocument | None:
    return session.scalars(
        select(ResultDocument).where(
            ResultDocument.dossier_id == dossier_id, ResultDocument.result_id == result_id
        )
    ).first()


def portal_view(db: Database, dossier_id: int) -> dict[str, object]:
    """What the portal reported for a dossier: history, fees, supplement requests, results."""
    with db.session() as session:
        history = session.scalars(
            select(PortalHistory)
            .where(PortalHistory.dossier_id == dossier_id)
            .order_by(PortalHistory.at, PortalHistory.id)
        ).all()
        fees = session.scalars(select(PortalFee).where(PortalFee.dossier_id == dossier_id)).all()
        requests = session.scalars(
            select(SupplementRequestRow).where(SupplementRequestRow.dossier_id == dossier_id)
        ).all()
        results = session.scalars(
            select(ResultDocument).where(ResultDocument.dossier_id == dossier_id)
        ).all()
        return {
            "history": [
                {"state": h.state, "state_name": h.state_name, "at": h.at, "note": h.note}
                for h in history
            ],
            "fees": [
                {
                    "fee_id": f.fee_id,
                    "description": f.description,
                    "amount": f.amount,
                    "paid": f.paid,
                    "payment_ref": f.payment_ref,
                }
                for f in fees
            ],
            "supplement_requests": [
                {
                    "request_id": r.request_id,
                    "note": r.note,
                    "requested_at": r.requested_at,
                    "draft_dossier_id": r.draft_dossier_id,
                    "answered_by": r.answered_by,
                }
                for r in requests
            ],
            "results": [
                {
                    "result_id": r.result_id,
                    "name": r.name,
                    "size": r.size,
                    "blob_sha256": r.blob_sha256,
                    "signature_valid": r.signature_valid,
                    "signature_detail": r.signature_detail,
                }
                for r in results
            ],
        }
