"""No OS keyring (this headless machine): the clerk chooses the encrypted file keyring,
logs in, and the sync engine finds the login again; the master password is asked once
per session and the file holds nothing readable."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import keyring
import pytest

from desktop.errors import UserError
from desktop.portal.filekeyring import EncryptedFileKeyring
from portal_sandbox.config import SandboxConfig
from portal_sandbox.server import ThreadedSandbox

PASSWORD = "mat-khau-123"
MASTER = "chia-khoa-chinh-2026"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[ThreadedSandbox]:
    with ThreadedSandbox(SandboxConfig(tmp_path / "sandbox")) as server:
        with httpx.Client(base_url=server.url) as http:
            http.post(
                "/v1/accounts",
                json={
                    "username": "xa-son-ha",
                    "email": "vanthu@sonha.example.vn",
                    "password": PASSWORD,
                    "full_name": "Phạm Thị D",
                    "phone": "0356789012",
                },
            ).raise_for_status()
            mail = http.get("/sandbox/mail.json", headers=server.secret_headers).json()[0]
            http.get(mail["link"]).raise_for_status()
        yield server


@pytest.fixture(autouse=True)
def _restore_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


def test_backend_round_trip_wrong_password_and_one_prompt(tmp_path: Path) -> None:
    asked: list[int] = []
    path = tmp_path / "credentials.enc"

    def master() -> str:
        asked.append(1)
        return MASTER

    ring = EncryptedFileKeyring(path, master)
    ring.set_password("dvc-desk:http://x", "password:lan", PASSWORD)
    ring.set_password("dvc-desk:http://x", "account", "lan")
    assert ring.get_password("dvc-desk:http://x", "password:lan") == PASSWORD
    assert len(asked) == 1  # once per session
    raw = path.read_bytes()
    assert PASSWORD.encode() not in raw and b"lan" not in raw
    assert json.loads(raw)["kdf"]["name"] == "scrypt"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert (
        EncryptedFileKeyring(path, lambda: MASTER).get_password("dvc-desk:http://x", "account")
        == "lan"
    )
    with pytest.raises(UserError) as caught:
        EncryptedFileKeyring(path, lambda: "sai").get_password("dvc-desk:http://x", "account")
    assert caught.value.code == "portal.wrong_master_password"


def test_cli_login_with_the_encrypted_file_and_the_engine_finds_it(  # type: ignore[no-untyped-def]
    run_cli, live: ThreadedSandbox, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli("settings", "set", "credential_store", "encrypted-file").code == 0
    monkeypatch.setenv("DVC_DESK_MASTER_PASSWORD", MASTER)
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    login = run_cli(
        "account", "login", "--portal", live.url, "--username", "xa-son-ha", "--password-stdin"
    )
    assert login.code == 0, login.err
    stored = (data_dir / "credentials.enc").read_bytes()
    assert PASSWORD.encode() not in stored
    # A new session (a new keyring object) reads it back with the master password.
    keyring.set_keyring(keyring.backends.null.Keyring())
    from desktop.paths import Paths
    from desktop.portal.credentials import CredentialStore
    from desktop.workspace import Workspace

    workspace = Workspace(Paths(data_dir), master_password=lambda: MASTER)
    try:
        account = CredentialStore().account(live.url)
        assert account is not None and account.username == "xa-son-ha"
    finally:
        workspace.close()


def test_headless_without_any_keyring_says_what_to_do(
    tmp_path: Path, live: ThreadedSandbox
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DBUS_SESSION_BUS_ADDRESS",)}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    env["DVC_DESK_HOME"] = str(tmp_path / "home")
    login = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "account", "login", "--portal", live.url,
         "--username", "xa-son-ha", "--password-stdin"],
        input=PASSWORD + "\n", capture_output=True, text=True, env=env, timeout=120,
        check=False,
    )  # fmt: skip
    assert login.returncode == 1, login.stderr
    assert "credential_store encrypted-file" in login.stderr
    assert "Traceback" not in login.stderr
