"""The OpenID log-in in a real browser: Debian's Chromium, driven by chromedriver through
the sandbox provider's Vietnamese log-in page, back to the app's loopback listener.

Needs `chromium` and `chromium-driver` (scripts/system-deps.sh installs them for tests)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desktop.errors import UserError
from desktop.portal.credentials import CredentialStore, keyring_client
from desktop.portal.oidc_loopback import login_with_browser
from portal_sandbox import auth
from portal_sandbox.config import SandboxConfig
from portal_sandbox.server import ThreadedSandbox

from .oidc_helpers import PASSWORD, active_account

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
    reason="chromium and chromium-driver are not installed (scripts/system-deps.sh test)",
)


@pytest.fixture
def chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager never downloads anything
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ThreadedSandbox]:
    monkeypatch.setattr(auth, "_THROTTLE", auth.LoginThrottle())
    with ThreadedSandbox(SandboxConfig(tmp_path / "sandbox")) as server:
        active_account(server, "xa-tan-an")
        yield server


def _by_id(driver: object, element: str) -> object:
    """The element once the page holding it has loaded (a click only starts navigating)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    located = expected_conditions.presence_of_element_located((By.ID, element))
    return WebDriverWait(driver, 20).until(located)  # type: ignore[arg-type]


def test_login_in_chromium_keeps_the_refresh_token_and_reaches_api_v1(
    live: ThreadedSandbox, chromium: object, memory_keyring: object
) -> None:
    seen: list[str] = []

    def browser(url: str) -> None:
        chromium.get(url)  # type: ignore[attr-defined]
        assert "Đăng nhập" in chromium.title  # type: ignore[attr-defined]
        # A wrong password first: the page says so in Vietnamese and stays.
        _by_id(chromium, "username").send_keys("xa-tan-an")  # type: ignore[attr-defined]
        _by_id(chromium, "password").send_keys("sai-mat-khau")  # type: ignore[attr-defined]
        _by_id(chromium, "login").click()  # type: ignore[attr-defined]
        seen.append(_by_id(chromium, "error").text)  # type: ignore[attr-defined]
        _by_id(chromium, "username").clear()  # type: ignore[attr-defined]
        _by_id(chromium, "username").send_keys("xa-tan-an")  # type: ignore[attr-defined]
        _by_id(chromium, "password").send_keys(PASSWORD)  # type: ignore[attr-defined]
        _by_id(chromium, "login").click()  # type: ignore[attr-defined]
        seen.append(_by_id(chromium, "result").text)  # type: ignore[attr-defined]
        seen.append(chromium.current_url)  # type: ignore[attr-defined]

    with httpx.Client(timeout=10) as http:
        result = login_with_browser(live.url, http, open_browser=browser, timeout=60)
    assert seen[0] == "Sai tên đăng nhập hoặc mật khẩu."
    assert seen[1] == "Đã đăng nhập"
    assert seen[2].startswith("http://127.0.0.1:") and "/callback?code=" in seen[2]
    assert result.username == "xa-tan-an" and result.claims["iss"] == live.url

    CredentialStore().save_oidc(live.url, live.url, result.username, result.tokens)
    with keyring_client(live.url) as client:
        assert client.changes().items == []  # API v1 takes the provider's access token


def test_a_closed_login_page_ends_in_a_clear_timeout(
    live: ThreadedSandbox, chromium: object
) -> None:
    def browser(url: str) -> None:
        chromium.get(url)  # type: ignore[attr-defined]  # the person walks away

    with httpx.Client(timeout=10) as http, pytest.raises(UserError) as caught:
        login_with_browser(live.url, http, open_browser=browser, timeout=1)
    assert caught.value.code == "oidc.login_timeout"
    assert "Hãy chạy lại lệnh đăng nhập" in caught.value.message("vi")
