"""Durable remote signing jobs: a request waiting for the signer's phone survives
closing the app, a crash or a lost link (issue #15, item 2).

Order of work, so that a restart at any point knows what to do:
1. every PDF is prepared (`deferred.prepare_pdf`) into the data dir's `sign-jobs/`;
2. the job is written WAITING with the documents, their hashes, the certificate and the
   transaction id, BEFORE the request is sent (a restart polls the service: a transaction
   it never received is reported as expired);
3. the request is sent once for all PDFs (one confirmation on the phone);
4. polling: confirmed → EVERY returned signature is checked against the certificate and
   its hash before the first one is embedded (one bad signature: nothing is written);
   rejected/expired/cancelled → the prepared copies are removed.
A job for a dossier ends SIGNED (outputs written); the dossier layer adopts them → DONE.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import select

from desktop.errors import DvcError, UserError
from desktop.signing.longterm import LONG_TERM
from desktop.signing.remote.deferred import (
    HeldKey,
    PreparedPdf,
    check_signature,
    discard,
    finish_pdf,
    prepare_pdf,
    run_pyhanko,
    sync_folders,
)
from desktop.signing.remote.errors import (
    E_CANCELLED,
    E_EXPIRED,
    E_JOB_FINISHED,
    E_MISSING_SIGNATURE,
    E_NO_JOB,
    E_NO_REMOTE_CERT,
    E_REFUSED_BY_SIGNER,
    E_SERVICE_GARBAGE,
)
from desktop.signing.remote.push import PushClient, RemoteCertificate
from desktop.signing.remote.services import Service
from desktop.signing.remote.validation_info import check_chain_now
from desktop.signing.signer import SignOptions, SignResult
from desktop.storage.db import Database
from desktop.storage.sign_job_models import SignJob

log = logging.getLogger(__name__)

WAITING, SIGNED, DONE = "WAITING", "SIGNED", "DONE"
REFUSED, EXPIRED, CANCELLED, FAILED = "REFUSED", "EXPIRED", "CANCELLED", "FAILED"
OPEN = (WAITING, SIGNED)
_POLL_LOCK = threading.Lock()
POLL_SECONDS = 2.0
JOBS_FOLDER = "sign-jobs"  # in the data dir: prepared copies (and dossier outputs in out/)

ClientFactory = Callable[[str], PushClient]  # service name → a client (secret included)


@dataclass(frozen=True)
class JobView:
    """A job as the CLI and the window see it (no ORM object leaves this module)."""

    id: int
    service: str
    user_id: str
    transaction_id: str
    state: str
    deadline: datetime
    files: list[str]
    outputs: list[str]
    signer: str
    dossier_id: int | None
    error_code: str | None = None
    error_params: dict[str, Any] = field(default_factory=dict)

    @property
    def waiting(self) -> bool:
        """Still waiting for the signer's confirmation on the phone."""
        return self.state == WAITING

    @property
    def signed(self) -> bool:
        """Signed at the service, not yet adopted into its dossier (`settle`)."""
        return self.state == SIGNED

    @property
    def done(self) -> bool:
        """Signed and adopted: the signed files are in place."""
        return self.state == DONE

    def seconds_left(self, now: datetime | None = None) -> int:
        return max(0, int((self.deadline - (now or datetime.now(UTC))).total_seconds()))

    def as_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["deadline"] = self.deadline.isoformat()
        out["seconds_left"] = self.seconds_left() if self.state == WAITING else 0
        return out

    def error(self) -> UserError | None:
        if self.error_code is None:
            return None
        return UserError(self.error_code, **self.error_params)


def _pem(certs: list[x509.Certificate]) -> str:
    return "".join(c.public_bytes(Encoding.PEM).decode() for c in certs)


def _certs(pem: str) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(pem.encode())


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _finished_before(doc: PreparedPdf) -> bool:
    """Embedded and moved to its output before the process stopped (the prepared copy is
    gone, the output is there): not embedded twice when the job is completed again."""
    return not Path(doc.prepared).exists() and Path(doc.output).exists()


def pick_certificate(found: list[RemoteCertificate], service: str, user: str) -> RemoteCertificate:
    """The signer's first certificate that may sign documents now (else the first, so the
    refusal names why: expired, not yet valid, key usage)."""
    from desktop.signing.certs import check_can_sign, is_ca

    found = [c for c in found if not is_ca(c.certificate)]
    if not found:
        raise UserError(E_NO_REMOTE_CERT, name=service, user=user)
    for candidate in found:
        try:
            check_can_sign(candidate.certificate)
        except UserError:
            continue
        return candidate
    return found[0]


class RemoteJobs:
    """Starts, polls, completes and cancels remote signing jobs of one data dir."""

    def __init__(
        self,
        db: Database,
        folder: Path,
        clients: ClientFactory,
        trust: tuple[x509.Certificate, ...] = (),
    ) -> None:
        self._db = db
        self._folder = folder
        self._clients = clients
        self._trust = trust

    # Starting -----------------------------------------------------------------------

    def start(  # noqa: PLR0917 (one request, its every part)
        self,
        service: Service,
        user_id: str,
        items: list[tuple[Path, Path]],
        options: SignOptions | None = None,
        dossier_id: int | None = None,
        dossier_version: str | None = None,
    ) -> JobView:
        """Prepare `items` (source, output), then ask the service once for all of them."""
        client = self._clients(service.name)
        try:
            chosen = pick_certificate(client.certificates(user_id), service.name, user_id)
            key = HeldKey(chosen.certificate, chosen.chain)
            key.complete_chain(list(self._trust))
            if options is not None and options.tsa_url and options.wanted_level in LONG_TERM:
                trust = (*self._trust, *options.trust)
                check_chain_now(key, options.wanted_level, trust, run_pyhanko)
            prepared: list[PreparedPdf] = []
            try:
                for source, output in items:
                    prepared.append(prepare_pdf(source, output, key, self._folder, options))
                sync_folders([Path(p.prepared) for p in prepared])  # before the job names them
                transaction = uuid.uuid4().hex
                now = datetime.now(UTC)
                with self._db.session() as session:
                    row = SignJob(
                        service=service.name,
                        kind=service.kind,
                        user_id=user_id,
                        transaction_id=transaction,
                        state=WAITING,
                        certificate=_pem([key.certificate, *key.chain]),
                        documents=[p.as_dict() for p in prepared],
                        dossier_id=dossier_id,
                        dossier_version=dossier_version,
                        deadline=now + timedelta(minutes=5),
                        created_at=now,
                        updated_at=now,
                    )
                    session.add(row)
                    session.flush()
                    job_id = row.id
            except BaseException:
                for p in prepared:
                    discard(p)
                raise
            hashes = {str(i): p.to_be_signed for i, p in enumerate(prepared)}
            what = f"Ký {len(prepared)} tệp PDF (dvc-desk, yêu cầu {job_id})"
            try:
                expires = client.sign(user_id, transaction, chosen.serial, hashes, what)
            except DvcError as exc:
                self._end(job_id, FAILED, exc.code, exc.params)
                raise
            with self._db.session() as session:
                stored = session.get(SignJob, job_id)
                assert stored is not None
                stored.deadline = datetime.now(UTC) + timedelta(seconds=expires)
                stored.updated_at = datetime.now(UTC)
        finally:
            client.close()
        return self.get(job_id)

    # Reading ------------------------------------------------------------------------

    def _view(self, row: SignJob) -> JobView:
        docs = [PreparedPdf.from_dict(d) for d in row.documents]
        cert = _certs(row.certificate)[0]
        return JobView(
            id=row.id,
            service=row.service,
            user_id=row.user_id,
            transaction_id=row.transaction_id,
            state=row.state,
            deadline=_aware(row.deadline),
            files=[d.source for d in docs],
            outputs=[d.output for d in docs],
            signer=HeldKey(cert, []).info.common_name,
            dossier_id=row.dossier_id,
            error_code=row.error_code,
            error_params=dict(row.error_params or {}),
        )

    def get(self, job_id: int) -> JobView:
        with self._db.session() as session:
            row = session.get(SignJob, job_id)
            if row is None:
                raise UserError(E_NO_JOB, id=job_id)
            return self._view(row)

    def jobs(self, *, open_only: bool = False) -> list[JobView]:
        with self._db.session() as session:
            query = select(SignJob).order_by(SignJob.id)
            if open_only:
                query = query.where(SignJob.state.in_(OPEN))
            return [self._view(row) for row in session.scalars(query)]

    def dossier_version(self, job_id: int) -> str | None:
        with self._db.session() as session:
            row = session.get(SignJob, job_id)
            return None if row is None else row.dossier_version

    # Ending -------------------------------------------------------------------------

    def _end(self, job_id: int, state: str, code: str | None = None, params: Any = None) -> None:
        with self._db.session() as session:
            row = session.get(SignJob, job_id)
            if row is None:
                return
            if state not in OPEN:
                for doc in row.documents:
                    discard(PreparedPdf.from_dict(doc))
            row.state = state
            row.error_code = code
            row.error_params = dict(params or {}) or None
            row.updated_at = datetime.now(UTC)

    def mark_done(self, job_id: int) -> None:
        """The dossier layer adopted the outputs of a SIGNED job."""
        self._end(job_id, DONE)

    def mark_failed(self, job_id: int, error: DvcError) -> None:
        self._end(job_id, FAILED, error.code, error.params)

    def cancel(self, job_id: int) -> JobView:
        """Stop waiting: the prepared copies are removed and nothing is written. (The push
        already on the phone cannot be withdrawn; a later approval is ignored.)"""
        job = self.get(job_id)
        if job.state != WAITING:
            raise UserError(E_JOB_FINISHED, id=job_id, state=job.state)
        self._end(job_id, CANCELLED, E_CANCELLED, {"id": job_id})
        return self.get(job_id)

    # Polling ------------------------------------------------------------------------

    def poll(self, job_id: int) -> JobView:
        """Ask the service once; complete, refuse or expire the job as the answer says.
        One poll at a time in this process (the window's timer and the start-up resume
        must not both complete the same job)."""
        with _POLL_LOCK:
            return self._poll(job_id)

    def _poll(self, job_id: int) -> JobView:
        job = self.get(job_id)
        if job.state != WAITING:
            return job
        with self._db.session() as session:
            row = session.get(SignJob, job_id)
            assert row is not None
            docs = [PreparedPdf.from_dict(d) for d in row.documents]
            certs = _certs(row.certificate)
        client = self._clients(job.service)
        try:
            status = client.status(job.transaction_id)
        except UserError as exc:
            if datetime.now(UTC) > job.deadline:
                self._end(job_id, EXPIRED, E_EXPIRED, {})
                return self.get(job_id)
            if exc.code == "remote.service_refused":  # the service forgot the transaction
                self._end(job_id, EXPIRED, E_EXPIRED, {})
                return self.get(job_id)
            raise
        finally:
            client.close()
        if status.state == "rejected":
            self._end(job_id, REFUSED, E_REFUSED_BY_SIGNER, {})
        elif status.state == "expired" or (
            status.state == "waiting" and datetime.now(UTC) > job.deadline
        ):
            self._end(job_id, EXPIRED, E_EXPIRED, {})
        elif status.state == "confirmed":
            self._complete(job_id, docs, certs, status.signatures, job.service)
        return self.get(job_id)

    def _complete(
        self,
        job_id: int,
        docs: list[PreparedPdf],
        certs: list[x509.Certificate],
        signatures: dict[str, bytes | None],
        service: str,
    ) -> list[SignResult]:
        key = HeldKey(certs[0], certs[1:])
        try:
            # Every signature checked before the first one is embedded.
            values: list[bytes] = []
            for index, doc in enumerate(docs):
                if str(index) not in signatures:
                    raise UserError(E_MISSING_SIGNATURE, path=doc.source)
                value = signatures[str(index)]
                if value is None:
                    raise UserError(E_SERVICE_GARBAGE, name=service, reason="signature_value")
                check_signature(doc, key.certificate, value)
                values.append(value)
            results = [
                finish_pdf(doc, key, value, self._trust, sync_folder=False)
                for doc, value in zip(docs, values, strict=True)
                if not _finished_before(doc)
            ]
            sync_folders([Path(doc.output) for doc in docs])
        except DvcError as exc:
            for doc in docs:
                if Path(doc.output).exists() and not Path(doc.prepared).exists():
                    Path(doc.output).unlink()  # an earlier file of this job: all or nothing
            self._end(job_id, FAILED, exc.code, exc.params)
            raise
        with self._db.session() as session:
            row = session.get(SignJob, job_id)
            assert row is not None
            row.state = SIGNED if row.dossier_id is not None else DONE
            row.updated_at = datetime.now(UTC)
        return results

    def wait(
        self,
        job_id: int,
        on_tick: Callable[[JobView], None] = lambda _job: None,
        interval: float = POLL_SECONDS,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> JobView:
        """Poll until the job leaves WAITING (or `should_stop`); `on_tick` sees each poll."""
        while True:
            job = self.poll(job_id)
            on_tick(job)
            if job.state != WAITING or should_stop():
                return job
            time.sleep(interval)


def open_jobs(
    db: Database, folder: Path, services: list[Any], trust: tuple[x509.Certificate, ...] = ()
) -> RemoteJobs:
    """Jobs of a data dir whose clients come from the `remote_signing_services` setting
    (`services`) and the keyring."""
    from desktop.signing.remote.services import client_secret, find_service

    def client(name: str) -> PushClient:
        service = find_service(services, name)
        return PushClient(service, client_secret(service))

    return RemoteJobs(db, folder, client, trust)
