"""Starts and stops the sync engine (and, for the default loopback portal, the sandbox)
while the app runs.

The engine belongs to the workspace (`Workspace.start_sync`/`stop_sync`) and runs in its
own worker thread (ARCHITECTURE §3); its events reach the screens through ui/bridge.py,
and what the screens ask of the portal goes through the workspace's services
(`Workspace.dossier_portal`, `Workspace.sync_now`), never through here. When the portal
URL is the default sandbox on loopback (either face: API v1 or /lgsp) and nothing
listens there yet, the sandbox server starts in-process on 127.0.0.1 with its data in the
data dir, so `make run` works end to end without a second command.
"""

from __future__ import annotations

import logging
import socket
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Signal

from desktop.errors import UserError
from desktop.settings import PORTAL_URL
from ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.workspace import Workspace

log = logging.getLogger(__name__)
DEFAULT_SANDBOX = str(PORTAL_URL.default).rstrip("/")


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.3):
            return True
    except OSError:
        return False


class SyncRunner(QObject):
    """Starts and stops the engine (and the sandbox) for the configured portal."""

    sig_started = Signal(str)
    """The engine runs against this portal URL."""

    sig_failed = Signal(object)
    """The engine (or the sandbox) could not start: the exception."""

    def __init__(self, workspace: Workspace, tasks: TaskManager, parent: QObject | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self._tasks = tasks
        self._sandbox: Any = None
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
            self._workspace.stop_sync()
            self._open(portal)

        self._tasks.run(
            reopen,
            on_success=lambda _none: self.sig_started.emit(portal),
            on_failure=self.sig_failed.emit,
            busy=False,
        )

    def _open(self, portal: str) -> None:
        from desktop.portal.profiles import sandbox_root

        root = sandbox_root(portal)  # the sandbox itself, whichever face the profile uses
        if root == DEFAULT_SANDBOX and self._sandbox is None:
            self._start_sandbox(root)
        from desktop.portal.accounts import logged_in_as

        self._workspace.start_sync(portal)
        self.portal, self.account = portal, logged_in_as(portal)

    def _start_sandbox(self, portal: str) -> None:
        parts = urlsplit(portal)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        data = self._workspace.paths.root / "sandbox"
        if _listening(host, port):
            from desktop.commands.portal_sandbox import E_FOREIGN_PORTAL, own_sandbox

            # Only our own sandbox (started from this data dir: it knows the run's key);
            # another local user's server must not pose as the portal.
            if not own_sandbox(portal, data):
                raise UserError(E_FOREIGN_PORTAL, portal=portal)
            log.info("this data dir's sandbox already listens on %s; using it", portal)
            return
        from desktop.commands.portal_sandbox import start_sandbox

        self._sandbox = start_sandbox(data, host, port, in_thread=True)
        log.info("sandbox portal started on %s", portal)

    def officer_url(self, portal: str) -> str | None:
        """The officer console of this data dir's sandbox (with the run's key) when the
        portal is that sandbox; None for any other portal."""
        from desktop.commands.portal_sandbox import page_url, run_key
        from desktop.portal.profiles import sandbox_root

        data = self._workspace.paths.root / "sandbox"
        root = sandbox_root(portal)
        if root != DEFAULT_SANDBOX or run_key(data) is None:
            return None
        return page_url(root, data, "/sandbox/officer")

    def stop(self) -> None:
        """Stop the engine thread and the sandbox (at exit)."""
        self._workspace.stop_sync()
        sandbox, self._sandbox = self._sandbox, None
        if sandbox is not None:
            sandbox.stop()
