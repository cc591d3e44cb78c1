"""Register and log in on the portal (worker threads); credentials go to the OS keyring."""

from __future__ import annotations

import contextlib

from desktop.errors import UserError, define

E_REGISTRATION = define(
    "ui.registration_invalid",
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


def register(
    portal: str, username: str, password: str, *, email: str, full_name: str, phone: str
) -> str:
    """Ask the portal for an account; the state it answers (e.g. waiting for e-mail)."""
    from pydantic import ValidationError

    from desktop.portal.adapter import make_adapter
    from desktop.portal.contract import AccountRegistration

    try:
        registration = AccountRegistration(
            username=username, email=email, password=password, full_name=full_name, phone=phone
        )
    except ValidationError as exc:
        fields = ", ".join(str(e["loc"][0]) for e in exc.errors())
        raise UserError(E_REGISTRATION, fields=fields) from exc
    client = make_adapter("v1", portal)
    with contextlib.closing(client):
        return str(client.register(registration).state)


def login(portal: str, username: str, password: str) -> None:
    """Log in once and keep the password and tokens in the OS keyring for the engine."""
    from desktop.portal.adapter import make_adapter
    from desktop.portal.credentials import CredentialStore

    client = make_adapter("v1", portal)
    with contextlib.closing(client):
        tokens = client.login(username, password)
    store = CredentialStore()
    store.save(portal, username, password)
    if tokens is not None:
        store.save_tokens(portal, username, tokens)


def logged_in_as(portal: str) -> str:
    """The account stored for `portal`, or empty."""
    from desktop.portal.credentials import CredentialStore

    account = CredentialStore().account(portal)
    return account.username if account is not None else ""
