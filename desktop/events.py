"""A small thread-safe event bus carrying frozen event dataclasses.

The core publishes; `ui/bridge.py` is the one subscriber that turns events into Qt
signals. Handlers run on the publishing thread and must be quick.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """Base class of every event."""


@dataclass(frozen=True)
class DossierChanged(Event):
    dossier_id: int
    state: str


@dataclass(frozen=True)
class CatalogImported(Event):
    procedures: int
    changed: int = 0  # procedures added or given a new edition
    changed_keys: tuple[str, ...] = ()  # which ones


@dataclass(frozen=True)
class SyncProgress(Event):
    dossier_id: int
    bytes_sent: int
    bytes_total: int


Handler = Callable[[Any], None]


class EventBus:
    """Publish/subscribe by event type; subscribers of a base class see subclasses too."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._handlers: list[tuple[type[Event], Handler]] = []

    def subscribe(self, event_type: type[Event], handler: Handler) -> Callable[[], None]:
        """Register `handler`; returns a function that unsubscribes it."""
        entry = (event_type, handler)
        with self._lock:
            self._handlers.append(entry)

        def unsubscribe() -> None:
            with self._lock:
                if entry in self._handlers:
                    self._handlers.remove(entry)

        return unsubscribe

    def publish(self, event: Event) -> None:
        with self._lock:
            handlers = [h for t, h in self._handlers if isinstance(event, t)]
        for handler in handlers:
            try:
                handler(event)
            except Exception:
                log.exception("event handler failed for %s", type(event).__name__)
