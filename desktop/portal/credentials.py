"""Portal credentials in the OS keyring (never in the database, settings or logs).

Per portal URL the keyring holds the account name, its password and the last token
pair, so the sync engine can refresh or log in again without asking
(`keyring_client`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import keyring
from keyring.errors import KeyringError

from desktop.errors import UserError, define
from desktop.portal.contract import TokenResponse
from desktop.portal.errors import LoginRequiredError

if TYPE_CHECKING:
    from desktop.portal.adapter import PortalAdapter
    from desktop.portal.memory import PortalMemory

SERVICE_PREFIX = "dvc-desk:"

E_KEYRING = define(
    "portal.keyring_unavailable",
    vi=(
        "Không lưu được mật khẩu vào kho khoá của hệ điều hành ({detail}). Hãy bật kho khoá "
        "(Windows Credential Manager, GNOME Keyring hoặc KWallet) rồi đăng nhập lại, hoặc "
        "dùng tệp khoá mã hoá bằng mật khẩu chính: "
        "dvc-desk settings set credential_store encrypted-file"
    ),
    en=(
        "Could not store the password in the system keyring ({detail}). Enable a keyring "
        "(Windows Credential Manager, GNOME Keyring or KWallet) and log in again, or use a "
        "file encrypted with a master password: "
        "dvc-desk settings set credential_store encrypted-file"
    ),
)


CREDENTIALS_FILE = "credentials.enc"


def use_encrypted_file(path: Path, master_password: Callable[[], str]) -> None:
    """Keep portal credentials in the encrypted file `path` instead of the OS keyring
    (the `credential_store = encrypted-file` setting); the master password is asked
    once, when a credential is first read or written."""
    from desktop.portal.filekeyring import EncryptedFileKeyring

    current = keyring.get_keyring()
    if isinstance(current, EncryptedFileKeyring) and current.path == path:
        return  # unlocked already in this session
    keyring.set_keyring(EncryptedFileKeyring(path, master_password))


ENV_MASTER_PASSWORD = "DVC_DESK_MASTER_PASSWORD"  # noqa: S105 (a variable name)

E_MASTER_PASSWORD_NEEDED = define(
    "portal.master_password_needed",
    vi=(
        "Mật khẩu cổng được giữ trong tệp mã hoá; cần mật khẩu chính để mở. Hãy chạy lệnh "
        "trong cửa sổ dòng lệnh (sẽ được hỏi), hoặc đặt biến môi trường {env} cho máy chạy "
        "lô không có người."
    ),
    en=(
        "Portal passwords are kept in an encrypted file; its master password is needed. Run "
        "the command in a terminal (it asks), or set {env} on an unattended batch machine."
    ),
)


def ask_master_password() -> str:
    """The master password: from {ENV_MASTER_PASSWORD} on an unattended machine, else
    asked on the terminal (once per session: the keyring keeps the derived key)."""
    import getpass
    import os
    import sys

    if os.environ.get(ENV_MASTER_PASSWORD):
        return os.environ[ENV_MASTER_PASSWORD]
    if not sys.stdin.isatty():
        raise UserError(E_MASTER_PASSWORD_NEEDED, env=ENV_MASTER_PASSWORD)
    return getpass.getpass("Mật khẩu chính / master password: ")


@dataclass(frozen=True)
class Account:
    portal: str
    username: str


class CredentialStore:
    """Keyring entries of dvc-desk, one service name per portal URL."""

    def _service(self, portal: str) -> str:
        return SERVICE_PREFIX + portal.rstrip("/")

    def _set(self, portal: str, key: str, value: str) -> None:
        try:
            keyring.set_password(self._service(portal), key, value)
        except KeyringError as exc:
            raise UserError(E_KEYRING, detail=type(exc).__name__) from exc

    def _get(self, portal: str, key: str) -> str | None:
        try:
            return keyring.get_password(self._service(portal), key)
        except KeyringError:
            return None

    def save(self, portal: str, username: str, password: str) -> None:
        self._set(portal, "account", username)
        self._set(portal, f"password:{username}", password)
        self._forget(portal, "oidc")  # a password login replaces an OpenID one

    def _forget(self, portal: str, key: str) -> None:
        with contextlib.suppress(KeyringError):
            if keyring.get_password(self._service(portal), key) is not None:
                keyring.delete_password(self._service(portal), key)

    def save_oidc(self, portal: str, issuer: str, username: str, tokens: TokenResponse) -> None:
        """An OpenID log-in: the account, its provider and its tokens (refresh token
        included), no password."""
        self._set(portal, "account", username)
        self._set(portal, "oidc", issuer.rstrip("/"))
        self._forget(portal, f"password:{username}")
        self.save_tokens(portal, username, tokens)

    def oidc_issuer(self, portal: str) -> str | None:
        """The OpenID provider `portal`'s account logged in through, or None."""
        return self._get(portal, "oidc") or None

    def account(self, portal: str) -> Account | None:
        username = self._get(portal, "account")
        return Account(portal.rstrip("/"), username) if username else None

    def password(self, portal: str, username: str) -> str | None:
        return self._get(portal, f"password:{username}")

    def save_tokens(self, portal: str, username: str, tokens: TokenResponse) -> None:
        self._set(portal, f"tokens:{username}", tokens.model_dump_json())

    def tokens(self, portal: str, username: str) -> TokenResponse | None:
        raw = self._get(portal, f"tokens:{username}")
        if not raw:
            return None
        try:
            return TokenResponse.model_validate_json(raw)
        except ValueError:
            return None


def keyring_client(
    portal: str,
    *,
    http: httpx.Client | None = None,
    store: CredentialStore | None = None,
    kind: str = "v1",
    memory: PortalMemory | None = None,
    unit_code: str | None = None,
) -> PortalAdapter:
    """An adapter of `kind` logged in as `dvc-desk account login` left it in the OS keyring.

    The stored refresh token is tried first, then the stored password; each new token
    pair is written back. After an OpenID log-in (`account login --oidc`) the refresh
    token goes to that provider instead, and there is no password. Without a stored
    login, a request needing one raises LoginRequiredError (portal.login_required: log in
    again) before anything is sent. `unit_code` is the lgsp `madonvi` (the profile's).
    """
    from desktop.portal.adapter import make_adapter

    store = store or CredentialStore()
    account = store.account(portal)
    if account is None:

        def no_login() -> tuple[str, str]:
            # Nothing to try: say "log in" before sending anything.
            raise LoginRequiredError(portal.rstrip("/"))

        return make_adapter(
            kind, portal, http=http, password=no_login, memory=memory, unit_code=unit_code
        )
    username = account.username
    secret = store.password(portal, username)

    def save(tokens: TokenResponse) -> None:
        # A keyring that refuses only means the next run logs in with the password.
        with contextlib.suppress(UserError):
            store.save_tokens(portal, username, tokens)

    issuer = store.oidc_issuer(portal)
    if issuer is not None and kind == "v1":
        from desktop.portal.oidc_client import OidcPortalClient

        return OidcPortalClient(
            portal,
            issuer=issuer,
            http=http,
            tokens=store.tokens(portal, username),
            fresh_for=0,
            on_tokens=save,
        )
    return make_adapter(
        kind,
        portal,
        http=http,
        tokens=store.tokens(portal, username),
        fresh_for=0,  # kept from an earlier run: its access token may be long expired
        password=(lambda: (username, secret)) if secret else None,
        on_tokens=save,
        memory=memory,
        unit_code=unit_code,
    )
