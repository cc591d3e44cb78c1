"""desktop/workspace.py: every service composed once, the engine's life included."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.errors import UserError
from desktop.settings import PORTAL_URL
from desktop.sync.dossier_portal import DossierPortal
from desktop.sync.fees import FeeOverview
from desktop.workspace import E_NOT_RUNNING, Workspace
from portal_sandbox.config import SandboxConfig
from portal_sandbox.server import ThreadedSandbox


def test_services_are_composed_once(workspace: Workspace) -> None:
    assert isinstance(workspace.fees, FeeOverview) and workspace.fees is workspace.fees
    assert isinstance(workspace.dossier_portal, DossierPortal)
    assert workspace.dossier_portal is workspace.dossier_portal
    assert workspace.dossier_portal.supplement_of(12345) is None
    assert workspace.housekeep().removed == ()


def test_payments_need_the_running_engine(workspace: Workspace, tmp_path: Path) -> None:
    assert not workspace.syncing
    with pytest.raises(UserError) as refused:
        workspace.dossier_portal.payments.begin(1, None)
    assert refused.value.code == E_NOT_RUNNING
    workspace.sync_now()  # nothing runs: nothing to do, no failure
    with ThreadedSandbox(SandboxConfig(tmp_path / "sandbox")) as sandbox:
        workspace.settings.set(PORTAL_URL, sandbox.url)
        workspace.start_sync()
        try:
            assert workspace.syncing
            workspace.sync_now()
            assert workspace.payments().portal is not None
        finally:
            workspace.stop_sync()
        assert not workspace.syncing
    workspace.stop_sync()  # twice is harmless
