"""Build a ready sync engine for one portal: the portal client, its login, the poller."""

from __future__ import annotations

from desktop.attachments.store import BlobStore
from desktop.events import EventBus
from desktop.office import engine_lock
from desktop.paths import Paths
from desktop.portal.client import PortalClient
from desktop.portal.profiles import open_portal
from desktop.storage.db import Database
from desktop.sync.catalog_sync import CatalogSync
from desktop.sync.engine import Engine
from desktop.sync.outbox import Outbox
from desktop.sync.status import StatusPoller, signature_verifier


def open_engine(
    db: Database,
    store: BlobStore,
    paths: Paths,
    events: EventBus,
    *,
    outbox: Outbox,
    portal: str,
    username: str | None = None,
    password: str | None = None,
) -> Engine:
    """An engine for `portal`: the keyring login, or `username`/`password` when given.

    The caller owns the engine: `start()`/`stop()` it, then `close()` it.
    """
    engine_lock.hold(paths.root)  # `db migrate-to` refuses to move a queue being sent
    portal = portal.rstrip("/")
    if username and password is not None:
        client = PortalClient(portal, password=lambda: (username, password))
    else:
        client = open_portal(paths, portal)  # the active portal profile's adapter
    poller = StatusPoller(
        db, store, paths, events, client, account=username or "",
        verify=signature_verifier(paths.trust),
    )  # fmt: skip
    catalog = CatalogSync(db, events, client)
    return Engine(
        db, store, events, client, outbox=outbox, account=username or "", poller=poller,
        catalog=catalog,
    )  # fmt: skip
