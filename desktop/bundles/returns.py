"""The way back: receipts, status history, fees, supplement requests and result documents
of the dossiers an office took in from one commune, carried back on a stick.

At the office each dossier's status is written as the portal reports it (API v1's
`DossierStatus`, rebuilt from what the office's engine polled), with the result files.
At the commune the same code the poller uses records it (`desktop.sync.status`), in one
unit of work for the whole bundle, exactly as if the commune's own engine had polled;
a HANDED_OVER dossier becomes SUBMITTED with the office's receipt number.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.attachments.store import BlobStore
from desktop.bundles import manifest as mf
from desktop.bundles import records
from desktop.bundles.errors import E_DAMAGED, E_NOTHING_TO_RETURN
from desktop.bundles.export import WRITING, WRITTEN, ExportResult, check_output
from desktop.bundles.importer import ImportResult, record_import, record_trust
from desktop.bundles.intake import Staging, installed
from desktop.bundles.names import attachment_entry, returns_entry
from desktop.bundles.reading import Opened
from desktop.bundles.writing import BundleSpec, write_bundle
from desktop.dossier import state_door
from desktop.dossier.states import PORTAL_STATES, State
from desktop.errors import IntegrityError, UserError
from desktop.events import DossierChanged, Event, EventBus
from desktop.portal.contract import DossierStatus
from desktop.progress import CancelToken, ProgressCallback
from desktop.storage import models
from desktop.storage.bundle_models import BundleDossier, BundleExport
from desktop.storage.db import Database
from desktop.storage.outbox_models import (
    OutboxItem,
    PortalStatus,
)
from desktop.sync.items import DONE
from desktop.sync.status import Verifier, portal_view, record_result, record_status

if TYPE_CHECKING:
    from desktop.signing.keys import SigningKey

RESULT_URL = "bundle:"


def status_of(db: Database, session: Session, dossier_id: int) -> dict[str, Any] | None:
    """What the portal said of a submitted dossier, as API v1 reports it (JSON-ready);
    None before its receipt. History, fees, requests and results are those `dvc-desk
    status` shows (`desktop.sync.status.portal_view`)."""
    row = session.get(models.Dossier, dossier_id)
    assert row is not None
    item = session.scalars(
        select(OutboxItem)
        .where(OutboxItem.dossier_id == dossier_id, OutboxItem.kind == "dossier")
        .where(OutboxItem.state == DONE)
        .order_by(OutboxItem.id.desc())
    ).first()
    if item is None or item.receipt_no is None:
        return None
    current = session.get(PortalStatus, dossier_id)
    view: dict[str, Any] = portal_view(db, dossier_id)
    results = [r for r in view["results"] if r["blob_sha256"]]
    status = DossierStatus.model_validate(
        {
            "uuid": row.uuid,
            "state": current.state if current else 1,
            "state_name": current.state_name if current else PORTAL_STATES[1],
            "procedure_code": item.body.get("procedure_code"),
            "agency_code": item.body.get("agency_code", ""),
            "receipt_no": item.receipt_no,
            "submitted_at": item.submitted_at,
            "appointment_date": item.appointment_date,
            "updated_at": (current.portal_updated_at if current else None) or item.submitted_at,
            "cursor": "bundle",
            "history": view["history"],
            "fees": view["fees"],
            "supplement_requests": view["supplement_requests"],
            "results": [
                {
                    **r,
                    "media_type": "application/pdf",
                    "sha256": r["blob_sha256"],
                    "url": RESULT_URL + attachment_entry(r["blob_sha256"]),
                }
                for r in results
            ],
        }
    )
    dumped: dict[str, Any] = status.model_dump(mode="json")
    return dumped


class ReturnsExporter:
    """Write a return bundle for the commune whose dossiers this office took in."""

    def __init__(
        self,
        db: Database,
        store: BlobStore,
        *,
        clock: Callable[[], datetime] = mf.now_utc,
    ) -> None:
        self._db = db
        self._store = store
        self._clock = clock

    def export(
        self,
        commune: str,
        target: Path,
        key: SigningKey,
        *,
        part_size: int,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> ExportResult:
        check_output(target)
        key.check()
        now = self._clock()
        with self._db.session() as session:
            own = records.workspace_id(session, now)
            sequence = records.next_sequence(session)
            carried = session.scalars(
                select(BundleDossier)
                .where(BundleDossier.source_workspace == commune)
                .order_by(BundleDossier.dossier_id)
            ).all()
            statuses = [
                s for c in carried if (s := status_of(self._db, session, c.dossier_id)) is not None
            ]
            if not statuses:
                raise UserError(E_NOTHING_TO_RETURN, workspace=commune)
            uuids = [str(s["uuid"]) for s in statuses]
            session.add(
                BundleExport(
                    sequence=sequence, kind=mf.RETURNS, target_workspace=commune,
                    path=str(target), state=WRITING, manifest_sha256=None,
                    dossier_uuids=uuids, created_at=now,
                )
            )  # fmt: skip
        parts, manifest_sha = self._write(
            statuses, target, key, own=own, commune=commune, sequence=sequence, now=now,
            part_size=part_size, progress=progress, cancel=cancel,
        )  # fmt: skip
        with self._db.session() as session:
            export = session.scalars(
                select(BundleExport).where(BundleExport.sequence == sequence)
            ).one()
            export.state, export.manifest_sha256 = WRITTEN, manifest_sha
        return ExportResult(
            parts=tuple(parts), sequence=sequence, workspace=own, dossier_ids=(),
            uuids=tuple(uuids), size=sum(p.stat().st_size for p in parts),
            manifest_sha256=manifest_sha,
        )  # fmt: skip

    def _write(
        self,
        statuses: list[dict[str, Any]],
        target: Path,
        key: SigningKey,
        *,
        own: str,
        commune: str,
        sequence: int,
        now: datetime,
        part_size: int,
        progress: ProgressCallback | None,
        cancel: CancelToken | None,
    ) -> tuple[list[Path], str]:
        documents = [
            (
                returns_entry(str(s["uuid"])),
                json.dumps({"status": s}, ensure_ascii=False, sort_keys=True).encode(),
            )
            for s in statuses
        ]
        spec = BundleSpec(
            kind=mf.RETURNS, created_at=now, workspace=own, sequence=sequence,
            dossiers=[str(s["uuid"]) for s in statuses], documents=documents,
            files={r["sha256"]: r["size"] for s in statuses for r in s["results"]},
            part_size=part_size, target_workspace=commune,
        )  # fmt: skip
        return write_bundle(
            target, spec, store=self._store, key=key, progress=progress, cancel=cancel
        )


class ReturnsImporter:
    """Record a return bundle at the commune, as its own engine would have polled."""

    def __init__(
        self,
        db: Database,
        store: BlobStore,
        events: EventBus,
        *,
        verify: Verifier | None = None,
        clock: Callable[[], datetime] = mf.now_utc,
    ) -> None:
        self._db = db
        self._store = store
        self._events = events
        self._verify = verify
        self._clock = clock

    def take_in(
        self, opened: Opened, staging: Staging, result: ImportResult, trusting: bool
    ) -> ImportResult:
        manifest = opened.manifest
        with installed(staging, self._store) as infos:
            now = self._clock()
            checks = {i.sha256: self._check(i.sha256) for i in infos}
            with self._db.session() as session:
                for info in infos:
                    self._store.record(session, info)
                log = record_import(session, manifest, now)
                added, skipped, events = self._record(session, opened, staging, checks, now)
                log.added, log.skipped = added, skipped
                if trusting:
                    record_trust(session, manifest, now)
        for event in events:
            self._events.publish(event)
        return ImportResult(
            kind=result.kind, workspace=result.workspace, sequence=result.sequence,
            signer=result.signer, already_imported=False, added=tuple(added),
            skipped=tuple(skipped), trusted_now=trusting,
        )  # fmt: skip

    def _check(self, sha: str) -> tuple[bool | None, str]:
        if self._verify is None:
            return None, "not verified"
        return self._verify(self._store.path(sha))

    def _record(
        self,
        session: Session,
        opened: Opened,
        staging: Staging,
        checks: dict[str, tuple[bool | None, str]],
        now: datetime,
    ) -> tuple[list[str], list[str], list[Event]]:
        manifest = opened.manifest
        added: list[str] = []
        skipped: list[str] = []
        events: list[Event] = []
        for uuid in manifest.dossiers:
            document = staging.documents.get(returns_entry(uuid))
            try:
                if not isinstance(document, dict):
                    raise KeyError(uuid)
                status = DossierStatus.model_validate(document["status"])
                if status.uuid != uuid:
                    raise KeyError(uuid)
            except (ValueError, KeyError, TypeError) as exc:
                raise IntegrityError(
                    E_DAMAGED, path=str(opened.path), detail=f"mục {returns_entry(uuid)}"
                ) from exc
            row = session.scalars(select(models.Dossier).where(models.Dossier.uuid == uuid)).first()
            if row is None:
                skipped.append(uuid)
                continue
            if row.state == State.HANDED_OVER.value:
                note = (
                    f"Đã nộp qua đơn vị nhận gói (gói trả về số {manifest.sequence}): "
                    f"số biên nhận {status.receipt_no}"
                )
                state_door.move(session, row, State.SUBMITTED, note, now)
                row.receipt_no = status.receipt_no
                events.append(DossierChanged(row.id, State.SUBMITTED.value))
            recorded = record_status(session, status, now)
            assert recorded is not None
            dossier_id, status_events, drafts = recorded
            events += status_events
            events += [DossierChanged(d, State.DRAFT.value) for d in drafts]
            for item in status.results:
                sha = item.url.removeprefix(RESULT_URL + "attachments/")
                valid, detail = checks.get(sha) or self._check(sha)
                record_result(session, dossier_id, item, sha=sha, valid=valid, detail=detail)
            added.append(uuid)
        return added, skipped, events
