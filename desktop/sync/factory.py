"""Build a ready sync engine for one portal: the portal adapter, its login, the poller."""

from __future__ import annotations

from desktop.attachments.store import BlobStore
from desktop.events import EventBus
from desktop.office import engine_lock
from desktop.paths import Paths
from desktop.portal.adapter import make_adapter
from desktop.portal.credentials import keyring_client
from desktop.portal.memory import DatabaseMemory
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
    kind: str | None = None,
) -> Engine:
    """An engine for `portal` through the adapter of `kind` ("v1" or "lgsp"; None: the
    active portal profile's kind): the keyring login, or `username`/`password` when given.
    What the adapter must remember across restarts (the lgsp adapter's reserved codes) is
    kept in `db`.

    The caller owns the engine: `start()`/`stop()` it, then `close()` it.
    """
    engine_lock.hold(paths.root)  # `db migrate-to` refuses to move a queue being sent
    portal = portal.rstrip("/")
    memory = DatabaseMemory(db, portal)
    if username and password is not None:
        client = make_adapter(
            kind or "v1", portal, password=lambda: (username, password), memory=memory
        )
    else:
        # `kind` given (`sync --adapter`): that adapter; else the active portal profile's.
        client = (
            keyring_client(portal, kind=kind, memory=memory)
            if kind is not None
            else open_portal(paths, portal, memory=memory)
        )
    poller = StatusPoller(
        db, store, paths, events, client, account=username or "",
        verify=signature_verifier(paths.trust),
    )  # fmt: skip
    catalog = CatalogSync(db, events, client)
    return Engine(
        db, store, events, client, outbox=outbox, account=username or "", poller=poller,
        catalog=catalog,
    )  # fmt: skip
