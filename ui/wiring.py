"""The whole desktop app over one Workspace: the main window with every screen wired to
the core, the sync runner and the event bridge (used by `ui.app` and the e2e test)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from desktop.settings import PKCS11_MODULES
from desktop.signing.sources import find_token_modules
from ui.bridge import EventBridge
from ui.sync_runner import SyncRunner
from ui.tasks import TaskManager
from ui.views.bundles.actions import install_bundle_actions
from ui.views.bundles.service import WorkspaceBundles
from ui.views.main_window import MainWindow
from ui.views.signing.desk import SigningDesk
from ui.views.signing.service import WorkspaceSigner
from ui.widgets.error_dialog import error_text

if TYPE_CHECKING:
    from desktop.workspace import Workspace


def build_window(
    workspace: Workspace,
    tasks: TaskManager,
    bridge: EventBridge,
    sync: SyncRunner,
    ui_settings: QSettings,
    *,
    window: MainWindow | None = None,
) -> MainWindow:
    """The main window with the catalog, dossiers, editor, signing, queue, payments and
    settings; given `window` (the shell start-up painted first), its screens are built
    in it."""

    def token_modules() -> list[str]:
        return find_token_modules(workspace.settings.get(PKCS11_MODULES))

    signing = SigningDesk(
        WorkspaceSigner(workspace), tasks, ui_settings,
        token_modules=token_modules, blob_path=workspace.store.path,
    )  # fmt: skip
    if window is None:
        window = MainWindow(
            workspace, tasks=tasks, bridge=bridge, ui_settings=ui_settings, signing=signing
        )
    else:
        window.attach(workspace, tasks=tasks, bridge=bridge, signing=signing)
    signing.setParent(window)
    sync.sig_started.connect(lambda portal: window.sync_status.on_started(portal, sync.account))
    sync.sig_started.connect(lambda portal: window.show_sandbox_banner(sync.officer_url(portal)))
    sync.sig_failed.connect(lambda exc: window.sync_status.on_failed(error_text(exc)))
    install_bundle_actions(  # the drop handler is a child of the window
        window, WorkspaceBundles(workspace), tasks=tasks, ui_settings=ui_settings,
        modules=token_modules,
    )  # fmt: skip
    # The engine reads the keyring when it opens: a new login needs a new engine.
    window.settings_view.sig_logged_in.connect(lambda _user: sync.restart())
    return window
