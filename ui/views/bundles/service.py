"""The bundle screens' way into the core (runs on worker threads)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.progress import CancelToken, ProgressCallback
from desktop.signing.sources import KeySource, sign_with_key

if TYPE_CHECKING:
    from desktop.workspace import Workspace


class WorkspaceBundles:
    """Export, preview and import transfer bundles of `workspace`."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def export(
        self,
        dossier_ids: list[int],
        target: Path,
        source: KeySource,
        secret: str,
        *,
        progress: ProgressCallback,
        cancel: CancelToken,
    ) -> Any:
        """Hand the dossiers over in a bundle signed by the key of `source` (opened, used
        and closed on this thread)."""
        exporter = self._workspace.bundles.exporter
        return sign_with_key(
            source,
            secret,
            lambda key: exporter.export(dossier_ids, target, key, progress=progress, cancel=cancel),
        )

    def take_back(self, dossier_ids: list[int]) -> int:
        """Take the dossiers back (each recorded); refused for one not handed over."""
        for dossier_id in dossier_ids:
            self._workspace.bundles.exporter.take_back(dossier_id)
        return len(dossier_ids)

    def preview(self, path: Path) -> Any:
        return self._workspace.bundles.importer.preview(path)

    def import_bundle(
        self, path: Path, trust_signer: str | None, progress: ProgressCallback, cancel: CancelToken
    ) -> Any:
        return self._workspace.bundles.importer.import_bundle(
            path, trust_signer=trust_signer, progress=progress, cancel=cancel
        )
