"""Catalog sync: the engine fetches the portal's procedure records when online.

GET /v1/catalog/procedures with the ETag of the last answer (304: nothing to do); an
answer is checked and applied in one transaction by desktop.catalog (a changed record
becomes a new edition, the same content writes nothing), and `CatalogImported` tells
the window what changed. The ETag is kept with the import (`catalog_imports`), so a
restart does not fetch the whole catalog again.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select

from desktop.catalog.loader import ImportReport, import_dvcqg_bytes
from desktop.events import EventBus
from desktop.portal.adapter import PortalAdapter
from desktop.storage import models
from desktop.storage.db import Database
from desktop.sync.retry import Clock, utc_now

log = logging.getLogger(__name__)

CATALOG_INTERVAL = 6 * 3600.0  # seconds between two looks at the portal's catalog


class CatalogSync:
    """Fetch and apply the portal's catalog, at most every `interval` seconds."""

    def __init__(
        self,
        db: Database,
        events: EventBus,
        portal: PortalAdapter,
        *,
        interval: float = CATALOG_INTERVAL,
        clock: Clock = utc_now,
    ) -> None:
        self.db = db
        self.events = events
        self.portal = portal
        self.interval = interval
        self.clock = clock
        self.last: datetime | None = None
        self.source = f"{portal.base_url.rstrip('/')}/v1/catalog/procedures"
        self.etag: str | None = self._stored_etag()

    def _stored_etag(self) -> str | None:
        with self.db.session() as session:
            return session.scalar(
                select(models.CatalogImport.catalog_version)
                .where(models.CatalogImport.source == self.source)
                .order_by(models.CatalogImport.id.desc())
                .limit(1)
            )

    def due(self) -> bool:
        return self.last is None or (self.clock() - self.last).total_seconds() >= self.interval

    def run(self, *, force: bool = False) -> ImportReport | None:
        """Fetch when due (or `force`); the import's report when something came.

        Raises the portal's errors (PortalUnreachableError when offline, UserError when
        the answer is not a valid catalog: nothing is written then)."""
        if not force and not self.due():
            return None
        now = self.clock()
        fetch = self.portal.catalog_records(self.etag)
        self.last = now
        if fetch.not_modified or fetch.data is None:
            return None
        report = import_dvcqg_bytes(
            self.db, fetch.data, source=self.source, fetched_at=now, catalog_version=fetch.etag
        )
        self.etag = fetch.etag
        log.info(
            "catalog from %s: %d procedures, %d new, %d new editions",
            self.source,
            report.procedures,
            report.added,
            report.updated,
        )
        if report.added or report.updated:
            self.events.publish(report.event())
        return report
