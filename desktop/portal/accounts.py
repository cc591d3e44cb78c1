"""Portal accounts: register, log in, who is logged in (worker threads in the window).

One validation of a registration for `dvc-desk account register` and the window's
Cài đặt page: the same rule, the same error code (`account.registration_invalid`).
Credentials go to the credential store (the OS keyring or the encrypted file).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from desktop.errors import UserError, define

if TYPE_CHECKING:
    from pathlib import Path

    from desktop.portal.contract import AccountAccepted, AccountRegistration, TokenResponse
    from desktop.portal.profiles import SettingsStore

E_REGISTRATION = define(
    "account.registration_invalid",
    vi=(
        "Thông tin đăng ký chưa hợp lệ ({fields}). Tên đăng nhập chỉ gồm chữ không dấu, số, "
        "dấu chấm hoặc gạch; mật khẩu ít nhất 8 ký tự; điện thoại di động 10 số; thư điện tử "
        "dạng ten@example.vn."
    ),
    en=(
        "The registration is not valid ({fields}). Username: letters without accents, digits, "
        "dots or dashes; password at least 8 characters; a 10-digit mobile; a valid e-mail."
    ),
)


def registration(
    username: str, password: str, *, email: str, full_name: str, phone: str
) -> AccountRegistration:
    """The registration to send, or `E_REGISTRATION` naming every field that is wrong."""
    from pydantic import ValidationError

    from desktop.portal.contract import AccountRegistration

    try:
        return AccountRegistration(
            username=username, email=email, password=password, full_name=full_name, phone=phone
        )
    except ValidationError as exc:
        fields = ", ".join(str(e["loc"][0]) for e in exc.errors())
        raise UserError(E_REGISTRATION, fields=fields) from exc


def register(
    portal: str, username: str, password: str, *, email: str, full_name: str, phone: str
) -> AccountAccepted:
    """Validate, then ask the portal for an account; its answer (e.g. waiting for the
    e-mail confirmation)."""
    from desktop.portal.adapter import make_adapter

    checked = registration(username, password, email=email, full_name=full_name, phone=phone)
    client = make_adapter("v1", portal)
    with contextlib.closing(client):
        return client.register(checked)


def login(
    portal: str, username: str, password: str, *, kind: str = "v1", unit_code: str | None = None
) -> TokenResponse | None:
    """Log in once through the adapter of `kind` and keep the password and tokens in the
    credential store for the engine; the tokens (None from a portal whose log-in gives
    none: a session portal such as lgsp, whose adapter logs in again with the password)."""
    from desktop.portal.adapter import make_adapter
    from desktop.portal.credentials import CredentialStore

    client = make_adapter(kind, portal, unit_code=unit_code)
    with contextlib.closing(client):
        tokens = client.login(username, password)
    store = CredentialStore()
    store.save(portal, username, password)
    if tokens is not None:
        store.save_tokens(portal, username, tokens)
    return tokens


def login_on_profile(
    settings: SettingsStore, data_root: Path | None, portal: str, username: str, password: str
) -> TokenResponse | None:
    """`login` through the active portal profile's adapter (its kind and unit code): what
    `account login` and Cài đặt's «Đăng nhập» do."""
    from desktop.portal.profiles import active_profile

    chosen = active_profile(settings, data_root)
    return login(portal, username, password, kind=chosen.kind, unit_code=chosen.unit_code or None)


def registers_accounts(settings: SettingsStore, data_root: Path | None) -> bool:
    """Accounts of the active portal profile can be registered from the app (an lgsp
    platform's accounts are given by its operator: its adapter has no registration)."""
    from desktop.portal.adapter import capabilities_of
    from desktop.portal.profiles import active_profile

    return capabilities_of(active_profile(settings, data_root).kind).registration


def logged_in_as(portal: str) -> str:
    """The account stored for `portal`, or empty."""
    from desktop.portal.credentials import CredentialStore

    account = CredentialStore().account(portal)
    return account.username if account is not None else ""
