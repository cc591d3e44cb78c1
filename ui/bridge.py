"""The one subscriber of the core's EventBus: re-emits its events as Qt signals.

The core publishes from any thread (a worker, the sync engine). Every event crosses to
the GUI thread through one queued connection, so the public signals below always fire
on the GUI thread, after the publisher has moved on (never re-entrantly). Each kind of
event has its own typed signal (`SIGNAL_OF` says which); there is no catch-all, so a
screen never guesses at an event's fields.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot

from desktop.events import CatalogImported, DossierChanged, Event, EventBus, SyncProgress
from desktop.sync.events import (
    EngineState,
    OutboxChanged,
    PaymentChanged,
    PortalStatusChanged,
    ResultDownloaded,
)

log = logging.getLogger(__name__)

SIGNAL_OF: dict[type[Event], str] = {
    DossierChanged: "sig_dossier_changed",
    CatalogImported: "sig_catalog_imported",
    SyncProgress: "sig_sync_progress",
    OutboxChanged: "sig_outbox_changed",
    EngineState: "sig_engine_state",
    PortalStatusChanged: "sig_portal_status_changed",
    PaymentChanged: "sig_payment_changed",
    ResultDownloaded: "sig_result_downloaded",
}
"""Every kind of core event and the signal that carries it (a test keeps it complete)."""


class EventBridge(QObject):
    """Qt signals for the events of one workspace's bus."""

    sig_dossier_changed = Signal(int, str)
    """A dossier was created or changed: its id and its new local state."""

    sig_catalog_imported = Signal(int)
    """A catalog was imported: the number of procedures it holds."""

    sig_catalog_changed = Signal(int, list)
    """Procedures were added or given a new edition: how many, and their keys."""

    sig_sync_progress = Signal(int, object, object)
    """Upload progress of a dossier: id, bytes sent, bytes total (Python ints: > 2 GiB ok)."""

    sig_outbox_changed = Signal(int, str)
    """An outbox item moved (queued, uploading, submitting, done, stopped, retrying):
    the dossier id and the item's state."""

    sig_engine_state = Signal(bool, int, object)
    """The sync engine went online or offline: online, items waiting, next attempt
    (an aware datetime or None)."""

    sig_portal_status_changed = Signal(int, int, str)
    """The portal moved a submitted dossier: its id, the portal's state code (1-10) and
    the state's name."""

    sig_payment_changed = Signal(int, str, str)
    """A payment of a dossier was started or moved: dossier id, payment ref, its state."""

    sig_result_downloaded = Signal(int, str, object)
    """A result of a dossier was downloaded: dossier id, result id, whether its signature
    is valid (True, False, or None when it carries none)."""

    sig_dossier_news = Signal(int)
    """Anything the portal or the outbox changed about a dossier (status, payment,
    result, queue item, local change): its id. Upload progress is not news."""

    _sig_received = Signal(object)

    def __init__(self, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._closed = False
        self._sig_received.connect(self._on_received, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe: Callable[[], None] = bus.subscribe(Event, self._on_published)

    def close(self) -> None:
        """Stop listening; events published afterwards are not delivered."""
        with self._lock:
            self._closed = True
        self._unsubscribe()

    def _on_published(self, event: Event) -> None:
        # Any thread. The lock keeps a late publisher from emitting on a closed bridge.
        with self._lock:
            if not self._closed:
                self._sig_received.emit(event)

    @Slot(object)
    def _on_received(self, event: Event) -> None:
        if isinstance(event, DossierChanged):
            self.sig_dossier_changed.emit(event.dossier_id, event.state)
        elif isinstance(event, CatalogImported):
            self.sig_catalog_imported.emit(event.procedures)
            if event.changed:
                self.sig_catalog_changed.emit(event.changed, list(event.changed_keys))
        elif isinstance(event, SyncProgress):
            self.sig_sync_progress.emit(event.dossier_id, event.bytes_sent, event.bytes_total)
        elif isinstance(event, OutboxChanged):
            self.sig_outbox_changed.emit(event.dossier_id, event.state)
        elif isinstance(event, EngineState):
            self.sig_engine_state.emit(event.online, event.waiting, event.next_attempt_at)
        elif isinstance(event, PortalStatusChanged):
            self.sig_portal_status_changed.emit(event.dossier_id, event.state, event.state_name)
        elif isinstance(event, PaymentChanged):
            self.sig_payment_changed.emit(event.dossier_id, event.payment_ref, event.state)
        elif isinstance(event, ResultDownloaded):
            self.sig_result_downloaded.emit(
                event.dossier_id, event.result_id, event.signature_valid
            )
        else:  # a new kind of event without its signal: a bug, said in the log
            log.error("no signal for the core event %r", event)
            return
        if isinstance(event, DossierChanged | OutboxChanged | PortalStatusChanged
                      | PaymentChanged | ResultDownloaded):  # fmt: skip
            self.sig_dossier_news.emit(event.dossier_id)
