"""The signing dialog's way into the core: read the dossier, sign it with `DossierSigning`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from desktop.progress import CancelToken, ProgressCallback

if TYPE_CHECKING:
    from desktop.signing.defaults import StampDefaults
    from desktop.workspace import Workspace


class WorkspaceSigner:
    """Signs a dossier of `workspace` (on the calling worker thread)."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def stamp_defaults(self) -> StampDefaults:
        """The default stamp of the settings, which the signing dialog starts on."""
        from desktop.signing.defaults import stamp_defaults

        return stamp_defaults(self._workspace.settings)

    def sign(
        self,
        dossier_id: int,
        key: Any,
        options: Any,
        progress: ProgressCallback,
        cancel: CancelToken,
    ) -> Any:
        from desktop.dossier.sign import DossierSigning
        from desktop.signing.verifier import load_trust

        ws = self._workspace
        trust = load_trust(ws.paths.trust)  # intermediates the key source lacks
        signing = DossierSigning(ws.db, ws.store, ws.paths.tmp, ws.events, trust)
        dossier = ws.dossiers.get(dossier_id)
        return signing.sign(dossier, key, options, progress=progress, cancel=cancel)
