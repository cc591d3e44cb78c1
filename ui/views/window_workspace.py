"""What the main window needs of the workspace, as one Protocol.

`desktop.workspace.Workspace` satisfies it (the window is built over the real one in
ui/wiring.py); tests pass a small fake workspace. The window composes nothing itself.
"""

from __future__ import annotations

from typing import Any, Protocol

from desktop.paths import Paths
from ui.models.fees_table import FeeSource
from ui.services import CatalogLike, DossiersLike
from ui.views.editor.audit_panel import OfficeView
from ui.views.editor.portal_panel import PortalInfo
from ui.views.editor.services import DossierEditing, ScanChecking, Submitting
from ui.views.queue_view import Withdrawing
from ui.views.settings.settings_view import SettingsStore


class WindowDossiers(DossiersLike, DossierEditing, Protocol):
    """The dossier service as the list and the editor use it."""


class WindowOutbox(Submitting, Withdrawing, Protocol):
    """The outbox as the editor (submit) and the queue (list, withdraw) use it."""


class WindowWorkspace(Protocol):
    """The services of one workspace that the window's screens show."""

    @property
    def paths(self) -> Paths: ...

    @property
    def settings(self) -> SettingsStore: ...

    @property
    def catalog(self) -> CatalogLike: ...

    @property
    def dossiers(self) -> WindowDossiers: ...

    @property
    def outbox(self) -> WindowOutbox: ...

    @property
    def scan_quality(self) -> ScanChecking: ...

    @property
    def fees(self) -> FeeSource: ...

    @property
    def dossier_portal(self) -> PortalInfo: ...

    @property
    def office(self) -> OfficeView | None:
        """Accounts, roles and the audit trail (None: a window without them, in tests)."""

    def sync_now(self) -> None:
        """ "Gửi ngay" (a worker thread)."""

    def housekeep(self) -> Any:
        """Remove files nothing uses any more; a report with `removed`, `bytes_freed`."""
