"""`dvc-desk account register|login` against a live sandbox, with an in-memory keyring."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from keyring.backend import KeyringBackend

from desktop.portal.credentials import CredentialStore
from portal_sandbox.config import SandboxConfig
from portal_sandbox.server import ThreadedSandbox


@pytest.fixture
def live(tmp_path: Path) -> Iterator[ThreadedSandbox]:
    with ThreadedSandbox(SandboxConfig(tmp_path / "sandbox")) as server:
        yield server


def test_register_confirm_login_keeps_credentials_in_the_keyring(
    run_cli, live: ThreadedSandbox, memory_keyring: KeyringBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-123\n"))
    result = run_cli(
        "account",
        "register",
        "--portal",
        live.url,
        "--username",
        "xa-son-ha",
        "--email",
        "vanthu@sonha.example.vn",
        "--full-name",
        "Phạm Thị D",
        "--phone",
        "0356789012",
        "--password-stdin",
    )
    assert result.code == 0, result.err
    assert "/sandbox/mail" in result.out
    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-123\n"))
    early = run_cli(
        "account", "login", "--portal", live.url, "--username", "xa-son-ha", "--password-stdin"
    )
    assert early.code == 1 and "kích hoạt" in early.err
    link = httpx.get(f"{live.url}/sandbox/mail.json", headers=live.secret_headers).json()[0]["link"]
    httpx.get(link)
    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-123\n"))
    login = run_cli(
        "account",
        "login",
        "--portal",
        live.url,
        "--username",
        "xa-son-ha",
        "--password-stdin",
        "--json",
    )
    assert login.code == 0, login.err
    store = CredentialStore()
    assert store.account(live.url).username == "xa-son-ha"  # type: ignore[union-attr]
    assert store.password(live.url, "xa-son-ha") == "mat-khau-123"
    assert store.tokens(live.url, "xa-son-ha") is not None
    assert "mat-khau-123" not in login.out + login.err


def test_bad_registration_and_unreachable_portal(
    run_cli, memory_keyring: KeyringBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-123\n"))
    bad = run_cli(
        "account",
        "register",
        "--portal",
        "http://127.0.0.1:9",
        "--username",
        "X",
        "--email",
        "khong-phai-email",
        "--full-name",
        "A",
        "--phone",
        "123",
        "--password-stdin",
    )
    assert bad.code == 1 and "username" in bad.err
    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-123\n"))
    offline = run_cli(
        "account",
        "login",
        "--portal",
        "http://127.0.0.1:9",
        "--username",
        "xa-a",
        "--password-stdin",
    )
    assert offline.code == 3 and "Không kết nối được" in offline.err


def test_register_and_login_speak_english_when_asked(
    run_cli, live: ThreadedSandbox, memory_keyring: KeyringBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue #21: success lines follow `language`."""
    assert run_cli("settings", "set", "language", "en").code == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-123\n"))
    result = run_cli("account", "register", "--portal", live.url, "--username", "xa-son-ha",
                     "--email", "vanthu@sonha.example.vn", "--full-name", "Pham Thi D",
                     "--phone", "0356789012", "--password-stdin")  # fmt: skip
    assert result.code == 0, result.err
    assert result.out.startswith("Sent the registration of 'xa-son-ha'"), result.out
    mails = httpx.get(f"{live.url}/sandbox/mail.json", headers=live.secret_headers).json()
    httpx.get(mails[0]["link"])
    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-123\n"))
    login = run_cli(
        "account", "login", "--portal", live.url, "--username", "xa-son-ha", "--password-stdin"
    )
    assert login.code == 0, login.err
    assert login.out.startswith(f"Logged in to {live.url} as 'xa-son-ha'"), login.out
