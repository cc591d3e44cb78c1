"""desktop/portal/accounts.py: one validation of a registration for the CLI and the window."""

from __future__ import annotations

import io
import json

import pytest
from keyring.backend import KeyringBackend

from desktop.errors import UserError
from desktop.portal.accounts import E_REGISTRATION, register, registration

BAD = {"email": "khong-phai-email", "full_name": "A", "phone": "123"}


def test_a_bad_registration_is_refused_before_the_portal_is_asked() -> None:
    with pytest.raises(UserError) as refused:
        # Port 9 (discard) on loopback: were the portal asked, this would be a transport error.
        register("http://127.0.0.1:9", "X", "short", **BAD)
    assert refused.value.code == E_REGISTRATION
    assert {"username", "password", "email", "phone"} <= set(
        str(refused.value.params["fields"]).split(", ")
    )


def test_the_cli_refuses_with_the_same_code_and_fields(
    run_cli, memory_keyring: KeyringBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(UserError) as window:
        registration("X", "short", **BAD)
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    result = run_cli(
        "account", "register", "--portal", "http://127.0.0.1:9", "--username", "X",
        "--email", BAD["email"], "--full-name", BAD["full_name"], "--phone", BAD["phone"],
        "--password-stdin", "--json",
    )  # fmt: skip
    assert result.code == 1
    error = json.loads(result.out)["error"]
    assert error["code"] == window.value.code == E_REGISTRATION
    assert error["params"]["fields"] == window.value.params["fields"]


def test_a_good_registration_passes() -> None:
    checked = registration(
        "canbo.xa", "mat-khau-du-dai", email="canbo@example.vn", full_name="Nguyễn Văn Cán",
        phone="0912345678",
    )  # fmt: skip
    assert checked.username == "canbo.xa"
