"""Live lists on PostgreSQL: a dossier changed at one desk appears at the others.

A trigger (migration 0013) sends one NOTIFY per changed dossier row at commit; this
listener thread LISTENs on its own connection and publishes `DossierChanged` on the
workspace's EventBus (ui/bridge.py turns it into the list's refresh). Nothing polls
the table. A lost connection is opened again with a growing pause; the lists may have
missed changes meanwhile, so a `DossierChanged(0, "")` asks them to reload once.
"""

from __future__ import annotations

import json
import logging
import threading

from sqlalchemy.engine import URL

from desktop.events import DossierChanged, EventBus
from desktop.storage.office_ddl import NOTIFY_CHANNEL

log = logging.getLogger(__name__)

RELOAD_ALL = 0  # DossierChanged.dossier_id meaning "reload the whole list"


def libpq_url(url: URL) -> str:
    """The SQLAlchemy URL as psycopg takes it (postgresql://, password included)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class LiveDossiers:
    def __init__(self, url: URL, events: EventBus, *, wait: float = 0.5) -> None:
        self._conninfo = libpq_url(url)
        self._events = events
        self._wait = wait
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="dvc-live-dossiers", daemon=True)

    def start(self, timeout: float = 10.0) -> LiveDossiers:
        """Start listening; returns once the first LISTEN is in place (or `timeout`)."""
        self._thread.start()
        self._ready.wait(timeout)
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        pause = 1.0
        first = True
        while not self._stop.is_set():
            try:
                self._listen(reload=not first)
                pause = 1.0
            except Exception as exc:
                log.warning(
                    "live dossier list: %s (%s); again in %.0f s", type(exc).__name__, exc, pause
                )
                self._stop.wait(pause)
                pause = min(pause * 2, 30.0)
            first = False

    def _listen(self, *, reload: bool) -> None:
        import psycopg

        with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
            self._ready.set()
            if reload:
                self._events.publish(DossierChanged(RELOAD_ALL, ""))
            while not self._stop.is_set():
                for note in conn.notifies(timeout=self._wait):
                    self._publish(note.payload)

    def _publish(self, payload: str) -> None:
        try:
            data = json.loads(payload)
            event = DossierChanged(int(data["id"]), str(data["state"]))
        except (ValueError, KeyError, TypeError):
            log.warning("live dossier list: unreadable notification ignored")
            return
        self._events.publish(event)
