"""Sign a READY dossier's PDFs at a trust service with ONE confirmation on the phone
(issue #15): a durable job (desktop/signing/remote/jobs.py) whose outputs this module
adopts into the dossier exactly as `DossierSigning` adopts local signatures (new blobs,
READY → SIGNED in one unit of work), once the service has answered — now, or after a
restart (`settle`)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from cryptography import x509

from desktop.attachments.store import BlobInfo, BlobStore
from desktop.dossier.model import Dossier
from desktop.dossier.sign import E_CHANGED_MEANWHILE, E_NOTHING_TO_SIGN, PDF, DossierSigning
from desktop.dossier.states import State, check_transition
from desktop.errors import DvcError, UserError
from desktop.events import EventBus
from desktop.signing.remote.errors import E_JOB_PENDING
from desktop.signing.remote.jobs import JOBS_FOLDER, SIGNED, JobView, RemoteJobs, open_jobs
from desktop.signing.remote.services import Service
from desktop.signing.signer import SignOptions
from desktop.storage.db import Database

log = logging.getLogger(__name__)


class RemoteDossierSigning:
    """Remote signing of dossiers; `jobs` is the data dir's job list (files too)."""

    def __init__(
        self, signing: DossierSigning, jobs: RemoteJobs, store: BlobStore, outputs: Path
    ) -> None:
        self._signing = signing
        self._jobs = jobs
        self.jobs = jobs
        self._store = store
        self._outputs = outputs

    def _items(self, dossier: Dossier) -> list[tuple[Path, Path]]:
        pdfs = [a for a in dossier.attachments if a.media_type == PDF]
        return [
            (self._store.path(a.sha256), self._outputs / f"dossier-{dossier.id}-{a.id}.pdf")
            for a in pdfs
        ]

    def start(
        self, dossier: Dossier, service: Service, user_id: str, options: SignOptions | None
    ) -> JobView:
        """Prepare every PDF and send one request for all of them."""
        check_transition(dossier.id, dossier.state, State.SIGNED)
        pending = for_dossier(self._jobs, dossier.id)
        if pending is not None:
            raise UserError(E_JOB_PENDING, id=dossier.id, job=pending.id)
        items = self._items(dossier)
        if not items:
            raise UserError(E_NOTHING_TO_SIGN, id=dossier.id)
        self._outputs.mkdir(parents=True, exist_ok=True)
        return self._jobs.start(
            service,
            user_id,
            items,
            options,
            dossier_id=dossier.id,
            dossier_version=dossier.updated_at.isoformat(),
        )

    def settle(self, job: JobView, dossier: Dossier) -> JobView:
        """Adopt the outputs of a SIGNED job into `dossier` (read just before) → DONE."""
        job = self._jobs.get(job.id)  # as it stands now, not as the caller last saw it
        if job.state != SIGNED or job.dossier_id != dossier.id:
            return job
        try:
            version = self._jobs.dossier_version(job.id)
            pdfs = [a for a in dossier.attachments if a.media_type == PDF]
            expected = [str(out) for _src, out in self._items(dossier)]
            if version != dossier.updated_at.isoformat() or expected != job.outputs:
                raise UserError(E_CHANGED_MEANWHILE, id=dossier.id)
            imported: list[BlobInfo] = []
            try:
                for output in job.outputs:
                    imported.append(self._store.import_file(Path(output)))
                self._signing.adopt(dossier, pdfs, imported, job.signer)
            except BaseException:
                self._store.discard_unrecorded([i.sha256 for i in imported])
                raise
        except DvcError as exc:
            self._jobs.mark_failed(job.id, exc)
            self._drop(job)
            raise
        self._jobs.mark_done(job.id)
        self._drop(job)
        return self._jobs.get(job.id)

    @staticmethod
    def _drop(job: JobView) -> None:
        for output in job.outputs:
            Path(output).unlink(missing_ok=True)


def open_remote(  # noqa: PLR0917 (the composition of one data dir's parts)
    db: Database,
    store: BlobStore,
    root: Path,
    tmp: Path,
    events: EventBus,
    services: list[Any],
    trust: tuple[x509.Certificate, ...] = (),
) -> RemoteDossierSigning:
    """Remote signing of the data dir at `root` (jobs folder `root/sign-jobs`), the
    services of the `remote_signing_services` setting and the keyring's secrets."""
    jobs = open_jobs(db, root / JOBS_FOLDER, services, trust)
    signing = DossierSigning(db, store, tmp, events, trust)
    return RemoteDossierSigning(signing, jobs, store, root / JOBS_FOLDER / "out")


def for_dossier(jobs: RemoteJobs, dossier_id: int) -> JobView | None:
    """The dossier's request still waiting (or signed, not yet adopted), if any."""
    found = [j for j in jobs.jobs(open_only=True) if j.dossier_id == dossier_id]
    return found[-1] if found else None
