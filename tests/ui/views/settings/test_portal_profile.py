"""Cài đặt › Hồ sơ cổng: picking a profile (refused with the core's message when it needs
configuration), and the browser log-in through the sandbox's OpenID provider."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.portal.credentials import CredentialStore
from desktop.settings import PORTAL_PROFILE, PORTAL_URL, Settings
from desktop.workspace import Workspace
from portal_sandbox import auth
from portal_sandbox.config import SandboxConfig
from portal_sandbox.server import ThreadedSandbox
from tests.core.portal.oidc_helpers import FormBrowser, active_account
from ui.tasks import TaskManager
from ui.views.settings.portal_profile import PortalProfileBox
from ui.views.settings.settings_view import SettingsView


@pytest.fixture
def view(qtbot, workspace: Workspace, tasks: TaskManager) -> SettingsView:
    (workspace.paths.root / "portals.json").write_text(
        json.dumps({"profiles": [{"id": "province-51", "name": "Quảng Ngãi (sở cấp)",
                                  "kind": "v1", "api_url": "http://127.0.0.1:9"}]}),
        encoding="utf-8",
    )  # fmt: skip
    widget = SettingsView(workspace.settings, tasks, data_root=workspace.paths.root)
    qtbot.addWidget(widget)
    widget.show()
    box = widget.profile_box
    qtbot.waitUntil(lambda: box.profile_combo.count() == 37, timeout=5000)
    return widget


def test_sandbox_default_refused_profile_and_chosen_one(
    qtbot, view: SettingsView, workspace: Workspace
) -> None:
    box = view.profile_box
    assert box.profile_id() == "sandbox"
    assert "(cần cấu hình)" in box.profile_combo.itemText(box.profile_combo.findData("national"))
    box.profile_combo.setCurrentIndex(box.profile_combo.findData("province-01"))
    with qtbot.waitSignal(view.sig_error, timeout=5000) as refused:
        box.profile_combo.activated.emit(box.profile_combo.currentIndex())
    assert refused.args[0].code == "portal.profile_needs_configuration"
    assert "portals.json" in refused.args[0].message()
    qtbot.waitUntil(lambda: box.profile_id() == "sandbox", timeout=5000)
    assert Settings(workspace.paths.settings_file).get(PORTAL_PROFILE) == "sandbox"

    box.profile_combo.setCurrentIndex(box.profile_combo.findData("province-51"))
    with qtbot.waitSignal(view.sig_saved, timeout=5000):
        box.profile_combo.activated.emit(box.profile_combo.currentIndex())
    saved = Settings(workspace.paths.settings_file)
    assert saved.get(PORTAL_PROFILE) == "province-51"
    assert saved.get(PORTAL_URL) == "http://127.0.0.1:9" == view.portal_edit.text()


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ThreadedSandbox]:
    monkeypatch.setattr(auth, "_THROTTLE", auth.LoginThrottle())
    with ThreadedSandbox(SandboxConfig(tmp_path / "sandbox")) as server:
        active_account(server, "xa-tan-an")
        yield server


def test_browser_login_keeps_the_refresh_token(
    qtbot, workspace: Workspace, tasks: TaskManager, live: ThreadedSandbox, memory_keyring
) -> None:
    box = PortalProfileBox(
        workspace.settings, tasks, lambda: live.url, open_browser=FormBrowser("xa-tan-an")
    )
    qtbot.addWidget(box)
    with qtbot.waitSignal(box.sig_logged_in, timeout=30000) as done:
        box.oidc_button.click()
    assert done.args == ["xa-tan-an"]
    assert "Đã đăng nhập qua" in box.oidc_label.text()
    store = CredentialStore()
    assert store.oidc_issuer(live.url) == live.url
    kept = store.tokens(live.url, "xa-tan-an")
    assert kept is not None and kept.refresh_token
