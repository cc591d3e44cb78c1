"""Build a ready sync engine for one portal: httpx client, tokens, status poller."""

from __future__ import annotations

import httpx

from desktop.attachments.store import BlobStore
from desktop.events import EventBus
from desktop.paths import Paths
from desktop.storage.db import Database
from desktop.sync.engine import Engine
from desktop.sync.outbox import Outbox
from desktop.sync.status import StatusPoller, signature_verifier
from desktop.sync.tokens import OAuthTokens, keyring_tokens
from desktop.sync.wire import PortalWire

TIMEOUT = httpx.Timeout(30.0, connect=5.0)


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

    The caller owns the engine: `start()`/`stop()` it, and close `engine.wire.client`.
    """
    portal = portal.rstrip("/")
    client = httpx.Client(timeout=TIMEOUT)
    if username and password is not None:
        tokens = OAuthTokens(client, portal, password=lambda: (username, password))
    else:
        tokens = keyring_tokens(client, portal)
    wire = PortalWire(client, portal, tokens)
    poller = StatusPoller(
        db, store, paths, events, wire, account=username or "",
        verify=signature_verifier(paths.trust),
    )  # fmt: skip
    return Engine(db, store, events, wire, outbox=outbox, account=username or "", poller=poller)
