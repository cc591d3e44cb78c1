"""The bundle services of one workspace, composed once (desktop.workspace)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop.attachments.store import BlobStore
from desktop.bundles.export import DossierExporter
from desktop.bundles.importer import BundleImporter
from desktop.bundles.returns import ReturnsExporter, ReturnsImporter
from desktop.events import EventBus
from desktop.paths import Paths
from desktop.settings import Settings
from desktop.storage.db import Database
from desktop.sync.outbox import Outbox
from desktop.sync.status import signature_verifier


@dataclass(frozen=True)
class Bundles:
    exporter: DossierExporter
    returns: ReturnsExporter
    importer: BundleImporter


def open_bundles(
    db: Database,
    *,
    store: BlobStore,
    outbox: Outbox,
    events: EventBus,
    settings: Settings,
    paths: Paths,
) -> Bundles:
    # Result documents in a return bundle are verified as the poller verifies downloads.
    # The verifier (pyHanko) is loaded on first use: importing dossiers never needs it.
    def verify(path: Path) -> tuple[bool, str]:
        return signature_verifier(paths.trust)(path)

    returns_in = ReturnsImporter(db, store, events, verify=verify)
    return Bundles(
        exporter=DossierExporter(db, store, events),
        returns=ReturnsExporter(db, store),
        importer=BundleImporter(db, store, outbox, events, settings, returns=returns_in),
    )
