"""The signing dialog's way into the core: read the dossier, sign it with `DossierSigning`."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.errors import UserError
from desktop.progress import CancelToken, ProgressCallback

if TYPE_CHECKING:
    from desktop.signing.defaults import StampDefaults
    from desktop.workspace import Workspace


log = logging.getLogger(__name__)


class WorkspaceSigner:
    """Signs a dossier of `workspace` (on the calling worker thread)."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def stamp_defaults(self) -> StampDefaults:
        """The default stamp of the settings, which the signing dialog starts on."""
        from desktop.signing.defaults import stamp_defaults

        return stamp_defaults(self._workspace.settings)

    def sign(
        self,
        dossier_id: int,
        key: Any,
        options: Any,
        progress: ProgressCallback,
        cancel: CancelToken,
    ) -> Any:
        from desktop.dossier.sign import DossierSigning
        from desktop.signing.verifier import load_trust

        ws = self._workspace
        trust = load_trust(ws.paths.trust)  # intermediates the key source lacks
        signing = DossierSigning(ws.db, ws.store, ws.paths.tmp, ws.events, trust)
        dossier = ws.dossiers.get(dossier_id)
        return signing.sign(dossier, key, options, progress=progress, cancel=cancel)

    # --- remote signing (issue #15) ----------------------------------------------------

    def _remote(self) -> Any:
        from desktop.dossier.remote_sign import open_remote
        from desktop.settings import REMOTE_SIGNING_SERVICES
        from desktop.signing.verifier import load_trust

        ws = self._workspace
        services = ws.settings.get(REMOTE_SIGNING_SERVICES)
        trust = tuple(load_trust(ws.paths.trust))
        return open_remote(ws.db, ws.store, ws.paths.root, ws.paths.tmp, ws.events, services, trust)

    def remote_services(self) -> list[Any]:
        """The configured trust services (Cài đặt); an invalid entry is left out."""
        from desktop.settings import REMOTE_SIGNING_SERVICES
        from desktop.signing.remote.services import parse_service

        found = []
        for entry in self._workspace.settings.get(REMOTE_SIGNING_SERVICES):
            try:
                found.append(parse_service(entry))
            except UserError:
                continue
        return found

    def _service(self, name: str) -> Any:
        from desktop.settings import REMOTE_SIGNING_SERVICES
        from desktop.signing.remote.services import find_service

        return find_service(self._workspace.settings.get(REMOTE_SIGNING_SERVICES), name)

    def _remote_cert(self, name: str, user_id: str) -> Any:
        """The signer's certificate at the service (no PIN needed to read it)."""
        from desktop.signing.remote.lookup import find_certificate

        return find_certificate(self._service(name), user_id)

    def remote_certificate(self, name: str, user_id: str, pin: str) -> Any:
        """The signer's certificate (CertificateInfo); refused with the core's sentence
        when there is none or it cannot sign (expired, usage)."""
        from desktop.signing.certs import check_can_sign, describe

        cert = self._remote_cert(name, user_id)
        check_can_sign(cert)
        return describe(cert)

    def remote_choice(self, name: str, user_id: str) -> tuple[Any, bytes]:
        """For Chứng thư số: the certificate as a row (with why it cannot sign) and DER."""
        from cryptography.hazmat.primitives.serialization import Encoding

        from desktop.signing.certs import describe
        from desktop.signing.sources import REMOTE, CertificateChoice, KeySource, why_unusable

        cert = self._remote_cert(name, user_id)
        info = describe(cert)
        source = KeySource(REMOTE, name, token_label=user_id)
        return CertificateChoice(source, info, why_unusable(info)), cert.public_bytes(Encoding.DER)

    def is_push(self, name: str) -> bool:
        return bool(self._service(name).kind == "push")

    def sign_csc(  # noqa: PLR0917 (the dialog's every choice)
        self,
        target: int | list[tuple[Path, Path]],
        name: str,
        user_id: str,
        pin: str,
        options: Any,
        progress: ProgressCallback,
        cancel: CancelToken,
    ) -> Any:
        """Sign at a CSC service, the credential a key like a .p12's: every PDF of the
        dossier `target` (its report), or loose PDFs (source, output), each on its own
        (the batch outcomes)."""
        from desktop.signing.batch import BatchItem, sign_many
        from desktop.signing.remote.csc import CscClient, open_csc_key
        from desktop.signing.remote.services import client_secret
        from desktop.signing.verifier import load_trust

        service = self._service(name)
        client = CscClient(service, client_secret(service))
        try:
            key = open_csc_key(client, user_id, pin)
            if isinstance(target, int):
                return self.sign(target, key, options, progress, cancel)
            key.complete_chain(load_trust(self._workspace.paths.trust))
            batch = [BatchItem(source, output) for source, output in target]
            return sign_many(batch, key, options, progress=progress, cancel=cancel)
        finally:
            client.close()

    def start_remote(
        self, target: int | list[tuple[Path, Path]], name: str, user_id: str, options: Any
    ) -> Any:
        """Send one push request for every PDF of the dossier `target`, or for loose PDFs
        (source, output): the JobView. Either job is durable; a loose one ends DONE with
        the outputs written."""
        if not isinstance(target, int):
            return self._remote().jobs.start(self._service(name), user_id, target, options)
        remote = self._remote()
        dossier = self._workspace.dossiers.get(target)
        return remote.start(dossier, self._service(name), user_id, options)

    def poll_remote(self, job_id: int) -> Any:
        """Ask the service once; a signed job is adopted into its dossier."""
        remote = self._remote()
        job = remote.jobs.poll(job_id)
        if job.signed and job.dossier_id is not None:
            job = remote.settle(job, self._workspace.dossiers.get(job.dossier_id))
        return job

    def cancel_remote(self, job_id: int) -> Any:
        return self._remote().jobs.cancel(job_id)

    def waiting_remote(self, dossier_id: int) -> Any:
        """The dossier's request still waiting for the phone (after a restart), or None."""
        from desktop.dossier.remote_sign import for_dossier

        return for_dossier(self._remote().jobs, dossier_id)

    def resume_remote(self) -> list[Any]:
        """At start-up: ask the service once about every request left waiting (the app
        was closed or killed meanwhile); a confirmed one is completed and adopted, an
        expired or refused one is reported. A service that cannot be reached leaves the
        request waiting. Returns the jobs as they stand after."""
        from desktop.errors import DvcError

        remote = self._remote()
        found = []
        for job in remote.jobs.jobs(open_only=True):
            try:
                found.append(self.poll_remote(job.id))
            except DvcError as exc:
                log.warning("remote signing job %s not resumed: %s", job.id, exc.code)
                found.append(remote.jobs.get(job.id))
        return found
