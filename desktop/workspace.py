"""Composition root: one data dir's settings, logs, database and services.

Services are built on first use and receive narrow dependencies; nothing here is a
global registry. One Workspace per process (CLI command, GUI session, test). Every
service the CLI and the window share is composed here once: catalog, dossiers, outbox,
bundles, fees, payments and the portal follow-up of submitted dossiers, and the sync
engine while it runs (`start_sync` / `stop_sync`).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import errors, logs
from desktop.errors import UserError, define
from desktop.events import EventBus
from desktop.paths import Paths
from desktop.settings import (
    CREDENTIAL_STORE,
    LANGUAGE,
    LOG_LEVEL,
    SHARED_STORE,
    Settings,
    chosen_database_url,
)
from desktop.storage.db import Database, open_any

if TYPE_CHECKING:
    from desktop.attachments.housekeeping import HousekeepingReport
    from desktop.attachments.store import BlobStore
    from desktop.bundles.service import Bundles
    from desktop.catalog.service import CatalogService
    from desktop.dossier.records import RecordMetadataStore
    from desktop.dossier.scan_quality import ScanQuality
    from desktop.dossier.service import DossierService
    from desktop.office.live import LiveDossiers
    from desktop.office.service import Office
    from desktop.portal.capabilities import Capabilities
    from desktop.sync.dossier_portal import DossierPortal
    from desktop.sync.engine import Engine
    from desktop.sync.fees import FeeOverview
    from desktop.sync.outbox import Outbox
    from desktop.sync.payments import Payments

log = logging.getLogger(__name__)

E_NOT_RUNNING = define(
    "sync.not_running",
    vi=(
        "Chưa kết nối được cổng dịch vụ công nên chưa thể thanh toán. Hãy kiểm tra địa chỉ "
        "cổng trong mục Cài đặt, mở lại ứng dụng rồi thử lại."
    ),
    en="The portal is not connected, so payment is not possible. Check the portal address "
    "in Settings, reopen the app and try again.",
)


class Workspace:
    def __init__(
        self,
        paths: Paths,
        *,
        log_to_stderr: bool = False,
        master_password: Callable[[], str] | None = None,
        database: str | None = None,
        account_password: Callable[[str], str] | None = None,
    ) -> None:
        settings = Settings(paths.settings_file)
        shared = settings.get(SHARED_STORE)
        if shared and paths.shared_store is None:
            paths = dataclasses.replace(paths, shared_store=Path(shared))
        self.paths = paths.ensure()
        self.settings = settings
        errors.set_language(self.settings.get(LANGUAGE))
        self.log_file = logs.setup(paths.logs, self.settings.get(LOG_LEVEL), stderr=log_to_stderr)
        self.events = EventBus()
        # `database`: a shared PostgreSQL URL for this process (`--database`, or the
        # DVC_DESK_DATABASE environment variable); else the `database_url` setting; else
        # the data dir's SQLite file.
        self.database_url = chosen_database_url(self.settings, database)
        self.db = Database(open_any(paths.database, self.database_url))
        self._live: LiveDossiers | None = None
        # Accounts, the permission check and the audit trail hook every unit of work.
        self.office: Office = _office(self.db, account_password)
        if self.settings.get(CREDENTIAL_STORE) == "encrypted-file":
            from desktop.portal import credentials

            credentials.use_encrypted_file(
                paths.root / credentials.CREDENTIALS_FILE,
                master_password or credentials.ask_master_password,
            )
        self._engine: Engine | None = None
        self._engine_lock = threading.Lock()
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

    def sync_engine(self, portal: str | None = None, kind: str | None = None) -> Engine:
        """A sync engine for `portal` (default: the portal_url setting) through the
        adapter of `kind` ("v1" or "lgsp"; default: the active portal profile's), keyring
        login."""
        from desktop.settings import PORTAL_URL
        from desktop.sync.factory import open_engine

        url = portal or self.settings.get(PORTAL_URL)
        return open_engine(
            self.db, self.store, self.paths, self.events, outbox=self.outbox, portal=url,
            kind=kind,
        )  # fmt: skip

    def start_live_updates(self) -> bool:
        """On PostgreSQL, publish other desks' dossier changes on `events` (LISTEN/NOTIFY);
        False on SQLite (one PC: every change is made and published here)."""
        if self.db.engine.dialect.name != "postgresql" or self._live is not None:
            return self._live is not None
        from desktop.office.live import LiveDossiers

        self._live = LiveDossiers(self.db.engine.url, self.events).start()
        return True

    @cached_property
    def fees(self) -> FeeOverview:
        """Fees of submitted dossiers with their payments (Thanh toán, `dvc-desk fees`)."""
        from desktop.sync.fees import FeeOverview

        return FeeOverview(self.db)

    @cached_property
    def dossier_portal(self) -> DossierPortal:
        """Submitted dossiers on the portal: status, supplements, results, payments."""
        from desktop.sync.dossier_portal import DossierPortal

        return DossierPortal(self.db, self.store, self.payments, self.capabilities)

    def capabilities(self) -> Capabilities:
        """What the running engine's portal adapter can do (everything when none runs:
        the screens then show what the stored data says)."""
        from desktop.portal.capabilities import FULL

        with self._engine_lock:
            engine = self._engine
        return engine.capabilities if engine is not None else FULL

    def payments(self) -> Payments:
        """Payments through the running engine's portal session (E_NOT_RUNNING without),
        for an account whose role pays (desktop/office/roles.py), checked before the portal
        is asked to open a payment."""
        from desktop.office.roles import Action
        from desktop.sync.payments import Payments

        self.office.require(Action.PAY)
        with self._engine_lock:
            engine = self._engine
        if engine is None:
            raise UserError(E_NOT_RUNNING)
        return Payments(self.db, self.store, self.paths, self.events, engine.portal)

    # --- the sync engine while it runs ---------------------------------------------------

    def start_sync(self, portal: str | None = None, kind: str | None = None) -> None:
        """Open the engine for `portal` (default: the portal_url setting; adapter `kind`
        default: the active portal profile's) and start its thread; the workspace keeps
        it until `stop_sync`."""
        engine = self.sync_engine(portal, kind)
        engine.start()
        with self._engine_lock:
            self._engine = engine

    def stop_sync(self, timeout: float = 10.0) -> None:
        """Stop the engine's thread and close its portal session (nothing if none runs)."""
        with self._engine_lock:
            engine, self._engine = self._engine, None
        if engine is not None:
            engine.stop(timeout=timeout)
            engine.close()

    @property
    def syncing(self) -> bool:
        """An engine runs."""
        with self._engine_lock:
            return self._engine is not None

    def sync_now(self) -> None:
        """ "Gửi ngay": every waiting item is due now and the portal's status is asked at
        once (runs on a worker: it writes the queue). Nothing when no engine runs."""
        with self._engine_lock:
            engine = self._engine
        if engine is not None:
            engine.sync_now(poll=True)

    def housekeep(self) -> HousekeepingReport:
        """Remove files nothing uses any more and leftover temp files (weekly in the
        window; `dvc-desk doctor --clean` by hand)."""
        from desktop.attachments.housekeeping import collect

        return collect(self.paths, self.db)

    def close(self) -> None:
        self.stop_sync()
        if self._live is not None:
            self._live.stop()
        self.db.dispose()


def _office(db: Database, password: Callable[[str], str] | None) -> Office:
    from desktop.office.service import Office
    from desktop.office.users import ask_password

    return Office(db, password=password or ask_password)
