"""Signing for the main window: the dialog for a dossier, the Chứng thư số section, and
remote requests left waiting when the app was closed (issue #15).

The window only forwards "Ký số" and shows what this desk reports in its status bar;
which key, which page the stamp goes on and which secrets are kept live here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QWidget

from desktop.dossier.model import Dossier
from ui.tasks import TaskManager
from ui.views.signing.signing_dialog import DossierSigner, SecretCache, SigningDialog

if TYPE_CHECKING:
    from ui.views.certificates_view import CertificatesView

log = logging.getLogger(__name__)
PDF = "application/pdf"


class DeskSigner(DossierSigner, Protocol):
    def resume_remote(self) -> list[Any]:
        """Ask about remote requests left waiting; their jobs."""
        ...


class SigningDesk(QObject):
    """Opens the signing dialog and the certificates view over one signer."""

    sig_signed = Signal(int)
    """A dossier was signed: its id."""

    sig_remote_resumed = Signal(int, int, int)
    """Remote requests asked about at start-up: signed, still waiting, ended."""

    def __init__(
        self,
        signer: DeskSigner,
        tasks: TaskManager,
        ui_settings: QSettings,
        *,
        token_modules: Callable[[], list[str]] = list,
        blob_path: Callable[[str], Path] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._signer = signer
        self._tasks = tasks
        self._ui_settings = ui_settings
        self._token_modules = token_modules
        self._blob_path = blob_path
        self.secrets = SecretCache()  # passwords/PINs the clerk asked to keep, in memory
        self.dialog: SigningDialog | None = None

    def first_pdf(self, dossier: Dossier) -> Path | None:
        """The stored file of the dossier's first PDF: the page the stamp is placed on."""
        pdfs = [a for a in dossier.attachments if a.media_type == PDF]
        if self._blob_path is None or not pdfs:
            return None
        return self._blob_path(pdfs[0].sha256)

    def sign(self, dossier_id: int, shown: Dossier | None, parent: QWidget) -> SigningDialog:
        """Open the signing dialog of `dossier_id` (`shown`: the dossier as the editor
        shows it, for the stamp's preview page)."""
        preview = self.first_pdf(shown) if shown is not None and shown.id == dossier_id else None
        dialog = SigningDialog(
            dossier_id,
            signer=self._signer,
            tasks=self._tasks,
            ui_settings=self._ui_settings,
            modules=self._token_modules(),
            secrets=self.secrets,
            parent=parent,
            preview=preview,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_signed.connect(lambda _report: self.sig_signed.emit(dossier_id))
        self.dialog = dialog
        dialog.open()
        return dialog

    def certificates_view(self) -> CertificatesView:
        """The Chứng thư số section (built when first shown)."""
        from ui.views.certificates_view import CertificatesView, RemoteCertificates

        remote = self._signer if isinstance(self._signer, RemoteCertificates) else None
        return CertificatesView(
            self._ui_settings, self._tasks, self._token_modules, self.secrets, remote=remote
        )

    def resume_remote(self) -> None:
        """Remote signing requests left waiting are asked about once, in the background;
        `sig_remote_resumed` says the result."""
        self._tasks.run(
            self._signer.resume_remote,
            on_success=self._on_remote_resumed,
            on_failure=lambda exc: log.warning("remote signing not resumed: %s", exc),
            busy=False,
        )

    def _on_remote_resumed(self, jobs: list[Any]) -> None:
        if not jobs:
            return
        done = sum(1 for job in jobs if job.done)
        waiting = sum(1 for job in jobs if job.waiting)
        self.sig_remote_resumed.emit(done, waiting, len(jobs) - done - waiting)

    def clear(self) -> None:
        """Forget kept secrets (the window closes)."""
        self.secrets.clear()
