"""Import at the connected office: check everything, then take the dossiers in and queue
them in one unit of work (their UUIDs kept), for the normal engine to submit once.

A bundle already imported (same signed manifest) changes nothing; a dossier already here
(same UUID, from an earlier bundle) is skipped; both are said in the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.attachments.store import BlobInfo, BlobStore
from desktop.bundles import manifest as mf
from desktop.bundles import records
from desktop.bundles.carried import restore_dossier
from desktop.bundles.editions import ensure_procedure
from desktop.bundles.errors import E_DAMAGED, E_INVALID_AT_OFFICE, E_WRONG_WORKSPACE
from desktop.bundles.intake import Staging, check_signer, installed, read_all
from desktop.bundles.names import dossier_entry
from desktop.bundles.reading import Opened, open_bundle
from desktop.catalog.repository import procedure_edition
from desktop.dossier import repository, validation
from desktop.dossier.model import ERROR
from desktop.errors import IntegrityError, UserError
from desktop.events import DossierChanged, EventBus
from desktop.progress import CancelToken, ProgressCallback
from desktop.settings import MAX_FILE_SIZE, Settings
from desktop.signing.certs import vietnam_time
from desktop.storage import models
from desktop.storage.bundle_models import BundleDossier, BundleImport
from desktop.storage.db import Database
from desktop.sync.crash import crash_point
from desktop.sync.items import OutboxEntry
from desktop.sync.outbox import Outbox, dossier_body, enqueue, submission_files


@dataclass(frozen=True)
class Preview:
    """What the clerk is shown before taking a bundle in."""

    path: str
    kind: str
    workspace: str
    sequence: int
    created_at: str
    signer: str
    organisation: str
    fingerprint: str
    dossiers: int
    size: int
    trusted: bool
    already_imported: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ImportResult:
    kind: str
    workspace: str
    sequence: int
    signer: str
    already_imported: bool
    added: tuple[str, ...] = ()  # uuids taken in (dossiers) or updated (returns)
    skipped: tuple[str, ...] = ()  # uuids already here (or unknown here, for returns)
    dossier_ids: tuple[int, ...] = ()
    trusted_now: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class BundleImporter:
    """Take bundles in: dossiers to submit (office), or returns (commune)."""

    def __init__(
        self,
        db: Database,
        store: BlobStore,
        outbox: Outbox,
        events: EventBus,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = mf.now_utc,
        returns: Any = None,
    ) -> None:
        self._db = db
        self._store = store
        self._outbox = outbox
        self._events = events
        self._settings = settings
        self._clock = clock
        self._returns = returns  # desktop.bundles.returns.ReturnsImporter

    def preview(self, path: Path) -> Preview:
        """Who signed, when, how many dossiers; the signature is checked, the data not yet."""
        opened = open_bundle(path)
        manifest, info = opened.manifest, opened.manifest.signer
        with self._db.session() as session:
            trusted = records.is_trusted(session, info.sha256)
            already = records.imported(session, manifest.sha256) is not None
        return Preview(
            path=str(path), kind=manifest.kind, workspace=manifest.workspace,
            sequence=manifest.sequence, created_at=vietnam_time(manifest.created_at),
            signer=info.common_name or info.subject, organisation=info.organisation,
            fingerprint=info.sha256, dossiers=len(manifest.dossiers), size=opened.size,
            trusted=trusted, already_imported=already,
        )  # fmt: skip

    def import_bundle(
        self,
        path: Path,
        *,
        trust_signer: str | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> ImportResult:
        opened = open_bundle(path)
        manifest = opened.manifest
        info = manifest.signer
        with self._db.session() as session:
            own = records.workspace_id(session, self._clock())
            earlier = records.imported(session, manifest.sha256) is not None
            trusted = records.is_trusted(session, info.sha256)
        result = ImportResult(
            kind=manifest.kind, workspace=manifest.workspace, sequence=manifest.sequence,
            signer=info.common_name or info.subject, already_imported=True,
        )  # fmt: skip
        if earlier:
            return result
        trusting = check_signer(opened, trusted=trusted, trust_signer=trust_signer)
        if manifest.kind == mf.RETURNS and manifest.target_workspace != own:
            raise UserError(
                E_WRONG_WORKSPACE, path=str(path), target=manifest.target_workspace, own=own
            )
        staging = read_all(opened, self._store, progress, cancel)
        crash_point("bundle.staged")
        if manifest.kind == mf.RETURNS:
            assert self._returns is not None
            done: ImportResult = self._returns.take_in(opened, staging, result, trusting)
            return done
        return self._take_in(opened, staging, result, trusting)

    def _take_in(
        self, opened: Opened, staging: Staging, result: ImportResult, trusting: bool
    ) -> ImportResult:
        manifest = opened.manifest
        for uuid in manifest.dossiers:  # before anything is stored: every document is there
            document = staging.documents.get(dossier_entry(uuid))
            if not isinstance(document, dict) or document.get("uuid") != uuid:
                staging.discard(self._store)
                raise IntegrityError(
                    E_DAMAGED, path=str(opened.path), detail=f"mục {dossier_entry(uuid)}"
                )
        with installed(staging, self._store) as infos:
            now = self._clock()
            with self._db.session() as session:
                added, skipped, ids, entries = self._record(session, opened, staging, infos, now)
                if trusting:
                    record_trust(session, manifest, now)
        for dossier_id in ids:
            self._events.publish(DossierChanged(dossier_id, "QUEUED"))
        self._outbox.announce(entries)
        return ImportResult(
            kind=result.kind, workspace=result.workspace, sequence=result.sequence,
            signer=result.signer, already_imported=False, added=tuple(added),
            skipped=tuple(skipped), dossier_ids=tuple(ids), trusted_now=trusting,
        )  # fmt: skip

    def _record(
        self,
        session: Session,
        opened: Opened,
        staging: Staging,
        infos: list[BlobInfo],
        now: datetime,
    ) -> tuple[list[str], list[str], list[int], list[OutboxEntry]]:
        manifest = opened.manifest
        for info in infos:
            self._store.record(session, info)
        log = record_import(session, manifest, now)
        added: list[str] = []
        skipped: list[str] = []
        ids: list[int] = []
        entries: list[OutboxEntry] = []
        note = f"Nhận bằng USB: gói số {manifest.sequence} của máy {manifest.workspace}"
        for uuid in manifest.dossiers:
            if session.scalar(select(models.Dossier.id).where(models.Dossier.uuid == uuid)):
                skipped.append(uuid)
                continue
            row = self._restore(session, opened, staging, uuid, note=note, now=now)
            entries.append(self._queue(session, row, now))
            session.add(
                BundleDossier(
                    dossier_id=row.id, uuid=uuid, source_workspace=manifest.workspace,
                    import_id=log.id,
                )
            )  # fmt: skip
            added.append(uuid)
            ids.append(row.id)
        log.added, log.skipped = added, skipped
        return added, skipped, ids, entries

    @staticmethod
    def _restore(
        session: Session, opened: Opened, staging: Staging, uuid: str, *, note: str, now: datetime
    ) -> models.Dossier:
        """The carried dossier inserted; a document a trusted signer got wrong (missing,
        not the shape this version writes) refuses the bundle instead of crashing."""
        payload = staging.documents.get(dossier_entry(uuid))
        try:
            if payload is None or payload.get("uuid") != uuid:
                raise KeyError(uuid)
            key, edition = ensure_procedure(session, payload["procedure"])
            return restore_dossier(session, payload, key, note, now, edition=edition)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise IntegrityError(
                E_DAMAGED, path=str(opened.path), detail=f"mục {dossier_entry(uuid)}"
            ) from exc

    def _queue(self, session: Session, row: models.Dossier, now: datetime) -> OutboxEntry:
        """Validate the dossier by this office's catalog and queue it, as `submit` does."""
        dossier = repository.load(session, row)
        # The edition the dossier was made under, as at the commune (its checklist).
        procedure = procedure_edition(session, row.procedure_key, row.procedure_edition)
        assert procedure is not None  # ensure_procedure just made sure
        problems = validation.validate(
            dossier, procedure, max_file_size=self._settings.get(MAX_FILE_SIZE), today=now.date()
        )
        errors = [p for p in problems if p.severity == ERROR]
        if errors:
            raise UserError(
                E_INVALID_AT_OFFICE, uuid=dossier.uuid, applicant=dossier.applicant.name,
                problem=errors[0].message(),
            )  # fmt: skip
        assert dossier.uuid is not None
        body = dossier_body(dossier, procedure, submission_files(dossier))
        return enqueue(
            session, row, dossier, portal_uuid=dossier.uuid, supplement_id=None, body=body,
            account="", now=now,
        )  # fmt: skip


def record_import(session: Session, manifest: mf.Manifest, now: datetime) -> BundleImport:
    info = manifest.signer
    log = BundleImport(
        manifest_sha256=manifest.sha256, kind=manifest.kind, source_workspace=manifest.workspace,
        sequence=manifest.sequence, signer_fingerprint=info.sha256,
        signer_name=info.common_name or info.subject, added=[], skipped=[], imported_at=now,
    )  # fmt: skip
    session.add(log)
    session.flush()
    return log


def record_trust(session: Session, manifest: mf.Manifest, now: datetime) -> None:
    info = manifest.signer
    certificate = str(manifest.data["signer"]["certificate"])
    records.trust(session, info.sha256, info.common_name or info.subject, certificate, now)
