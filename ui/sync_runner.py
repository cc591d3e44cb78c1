"""The sync engine (and, for the default loopback portal, the sandbox) while the app runs.

The engine runs in its own worker thread (ARCHITECTURE §3); its events reach the
screens through ui/bridge.py. When the portal URL is the default sandbox on loopback
and nothing listens there yet, the sandbox server starts in-process on 127.0.0.1 with
its data in the data dir, so `make run` works end to end without a second command.
"""

from __future__ import annotations

import logging
import socket
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Signal

from desktop.errors import UserError, define
from desktop.settings import PORTAL_URL
from ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.workspace import Workspace

log = logging.getLogger(__name__)
E_NOT_RUNNING = define(
    "ui.sync_not_running",
    vi=(
        "Chưa kết nối được cổng dịch vụ công nên chưa thể thanh toán. Hãy kiểm tra địa chỉ "
        "cổng trong mục Cài đặt, mở lại ứng dụng rồi thử lại."
    ),
    en="The portal is not connected, so payment is not possible. Check the portal address "
    "in Settings, reopen the app and try again.",
)
DEFAULT_SANDBOX = str(PORTAL_URL.default).rstrip("/")


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.3):
            return True
    except OSError:
        return False


class SyncRunner(QObject):
    """Starts and stops the engine for the configured portal; "Gửi ngay" goes here."""

    sig_started = Signal(str)
    """The engine runs against this portal URL."""

    sig_failed = Signal(object)
    """The engine (or the sandbox) could not start: the exception."""

    def __init__(self, workspace: Workspace, tasks: TaskManager, parent: QObject | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self._tasks = tasks
        self.engine: Any = None
        self.sandbox: Any = None
        self.portal = ""
        self.account = ""  # the portal account whose login is stored ("" = none yet)

    def start(self) -> None:
        """Open the engine on a worker (the sandbox may take a moment to come up)."""
        portal = str(self._workspace.settings.get(PORTAL_URL)).rstrip("/")
        self._tasks.run(
            lambda: self._open(portal),
            on_success=lambda _none: self.sig_started.emit(portal),
            on_failure=self.sig_failed.emit,
            busy=False,
        )

    def restart(self) -> None:
        """Open the engine again (after a login: it reads the keyring when opened)."""
        portal = str(self._workspace.settings.get(PORTAL_URL)).rstrip("/")

        def reopen() -> None:
            self._stop_engine()
            self._open(portal)

        self._tasks.run(
            reopen,
            on_success=lambda _none: self.sig_started.emit(portal),
            on_failure=self.sig_failed.emit,
            busy=False,
        )

    def _open(self, portal: str) -> None:
        if portal == DEFAULT_SANDBOX and self.sandbox is None:
            self._start_sandbox(portal)
        from desktop.portal.credentials import CredentialStore

        engine = self._workspace.sync_engine(portal)
        engine.start()
        account = CredentialStore().account(portal)
        self.engine, self.portal = engine, portal
        self.account = account.username if account is not None else ""

    def _start_sandbox(self, portal: str) -> None:
        parts = urlsplit(portal)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        data = self._workspace.paths.root / "sandbox"
        if _listening(host, port):
            from portal_sandbox.server import E_FOREIGN_PORTAL, own_sandbox

            # Only our own sandbox (started from this data dir: it knows the run's key);
            # another local user's server must not pose as the portal.
            if not own_sandbox(portal, data):
                raise UserError(E_FOREIGN_PORTAL, portal=portal)
            log.info("this data dir's sandbox already listens on %s; using it", portal)
            return
        from portal_sandbox.config import SandboxConfig
        from portal_sandbox.server import ThreadedSandbox

        config = SandboxConfig(data)
        self.sandbox = ThreadedSandbox(config, host=host, port=port).start()
        log.info("sandbox portal started on %s", portal)

    def officer_url(self, portal: str) -> str | None:
        """The officer console of this data dir's sandbox (with the run's key) when the
        portal is that sandbox; None for any other portal."""
        from portal_sandbox.server import page_url, run_key

        data = self._workspace.paths.root / "sandbox"
        if portal.rstrip("/") != DEFAULT_SANDBOX or run_key(data) is None:
            return None
        return page_url(portal, data, "/sandbox/officer")

    def sync_now(self) -> None:
        """Every waiting item is due now and the portal's status is asked at once
        (runs on a worker: it writes the queue)."""
        engine = self.engine
        if engine is not None:
            # The poll itself runs on the engine's thread (its portal session is used
            # from one thread): clearing the last poll makes the next pass poll.
            engine.last_poll = None
            engine.sync_now()

    # --- what the dossier's portal tab needs (worker threads) ---------------------------

    def portal_view(self, dossier_id: int) -> dict[str, Any]:
        """What the portal told of the dossier, and whether this portal takes payments."""
        from desktop.portal.capabilities import FULL
        from desktop.sync.status import portal_view

        view = portal_view(self._workspace.db, dossier_id)
        engine = self.engine
        capabilities = engine.capabilities if engine is not None else FULL
        view["payments"] = capabilities.payments
        return view

    def supplement_of(self, dossier_id: int) -> Any:
        """The supplement request a draft answers (None for any other dossier)."""
        from desktop.sync.supplements import supplement_of

        return supplement_of(self._workspace.db, dossier_id)

    def supplement_requests(self, dossier_id: int) -> Any:
        """The officer's supplement requests about a submitted dossier."""
        from desktop.sync.supplements import supplement_requests

        return supplement_requests(self._workspace.db, dossier_id)

    def _payments(self) -> Any:
        from desktop.sync.payments import Payments

        if self.engine is None:
            raise UserError(E_NOT_RUNNING)
        ws = self._workspace
        return Payments(ws.db, ws.store, ws.paths, ws.events, self.engine.wire)

    def start_payment(self, dossier_id: int) -> Any:
        """Ask the portal for a payment of every unpaid fee; its URL opens in the browser."""
        return self._payments().start(dossier_id)

    def follow_payment(self, ref: str, timeout: float) -> Any:
        """Wait (polling the portal) until the payment is paid or cancelled, or `timeout`."""
        return self._payments().follow(ref, timeout=timeout)

    def blob_path(self, sha256: str) -> Any:
        return self._workspace.store.path(sha256)

    def _stop_engine(self) -> None:
        engine, self.engine = self.engine, None
        if engine is not None:
            engine.stop(timeout=10)
            engine.close()

    def stop(self) -> None:
        """Stop the engine thread and the sandbox (at exit)."""
        self._stop_engine()
        sandbox, self.sandbox = self.sandbox, None
        if sandbox is not None:
            sandbox.stop()
