"""Composition root: one data dir's settings, logs, database and services.

Services are built on first use and receive narrow dependencies; nothing here is a
global registry. One Workspace per process (CLI command, GUI session, test).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from desktop import errors, logs
from desktop.events import EventBus
from desktop.paths import Paths
from desktop.settings import CREDENTIAL_STORE, LANGUAGE, LOG_LEVEL, Settings
from desktop.storage.db import Database, open_database

if TYPE_CHECKING:
    from desktop.attachments.store import BlobStore
    from desktop.bundles.service import Bundles
    from desktop.catalog.service import CatalogService
    from desktop.dossier.records import RecordMetadataStore
    from desktop.dossier.scan_quality import ScanQuality
    from desktop.dossier.service import DossierService
    from desktop.sync.engine import Engine
    from desktop.sync.outbox import Outbox

log = logging.getLogger(__name__)


class Workspace:
    def __init__(
        self,
        paths: Paths,
        *,
        log_to_stderr: bool = False,
        master_password: Callable[[], str] | None = None,
    ) -> None:
        self.paths = paths.ensure()
        self.settings = Settings(paths.settings_file)
        errors.set_language(self.settings.get(LANGUAGE))
        self.log_file = logs.setup(paths.logs, self.settings.get(LOG_LEVEL), stderr=log_to_stderr)
        self.events = EventBus()
        self.db = Database(open_database(paths.database))
        if self.settings.get(CREDENTIAL_STORE) == "encrypted-file":
            from desktop.portal import credentials

            credentials.use_encrypted_file(
                paths.root / credentials.CREDENTIALS_FILE,
                master_password or credentials.ask_master_password,
            )
        log.info("workspace opened at %s", paths.root)

    @cached_property
    def store(self) -> BlobStore:
        from desktop.attachments.store import BlobStore

        return BlobStore(self.paths, self.db)

    @cached_property
    def catalog(self) -> CatalogService:
        from desktop.catalog.service import CatalogService

        service = CatalogService(self.db, self.events)
        service.ensure_bundled()  # a fresh data dir starts with the bundled catalog
        return service

    @cached_property
    def dossiers(self) -> DossierService:
        from desktop.dossier.service import DossierService

        return DossierService(self.db, self.store, self.catalog, self.settings, self.events)

    @cached_property
    def records(self) -> RecordMetadataStore:
        from desktop.dossier.records import RecordMetadataStore

        return RecordMetadataStore(self.db)

    @cached_property
    def scan_quality(self) -> ScanQuality:
        from desktop.dossier.scan_quality import ScanQuality

        return ScanQuality(self.dossiers, self.store, self.records)

    @cached_property
    def outbox(self) -> Outbox:
        from desktop.sync.outbox import Outbox

        return Outbox(self.db, self.dossiers, self.store, self.events)

    @cached_property
    def bundles(self) -> Bundles:
        """Transfer bundles: export, import, returns (desktop/bundles)."""
        from desktop.bundles.service import open_bundles

        return open_bundles(
            self.db, store=self.store, outbox=self.outbox, events=self.events,
            settings=self.settings, paths=self.paths,
        )  # fmt: skip

    def sync_engine(self, portal: str | None = None, kind: str = "v1") -> Engine:
        """A sync engine for `portal` (default: the portal_url setting) through the
        adapter of `kind` ("v1" or "lgsp", as a portal profile names it), keyring login."""
        from desktop.settings import PORTAL_URL
        from desktop.sync.factory import open_engine

        url = portal or self.settings.get(PORTAL_URL)
        return open_engine(
            self.db, self.store, self.paths, self.events, outbox=self.outbox, portal=url,
            kind=kind,
        )  # fmt: skip

    def close(self) -> None:
        self.db.dispose()
