"""Access tokens for the engine: from the keyring-stored login, or a password (tests, CLI).

The access token is cached in memory only. When the portal says it expired, `refresh()`
uses the refresh token (and stores the new one back in the keyring); when that fails too
the person must log in again (`dvc-desk account login`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

import httpx

from desktop.errors import UserError
from desktop.portal.contract import TokenResponse
from desktop.portal.credentials import CredentialStore
from desktop.sync.wire import LoginRequiredError


class OAuthTokens:
    """Password or refresh-token grants against POST /v1/auth/token."""

    def __init__(
        self,
        client: httpx.Client,
        portal_url: str,
        *,
        refresh_token: str | None = None,
        password: Callable[[], tuple[str, str]] | None = None,
        save_tokens: Callable[[TokenResponse], None] | None = None,
    ) -> None:
        self._client = client
        self._url = portal_url.rstrip("/") + "/v1/auth/token"
        self._refresh_token = refresh_token
        self._password = password
        self._save = save_tokens
        self._access: str | None = None
        self._lock = threading.Lock()
        self.grants = 0
        self.attempts = 0  # token requests sent, answered or not

    def access_token(self) -> str:
        with self._lock:
            if self._access is None:
                self._access = self._grant()
            return self._access

    def refresh(self) -> str:
        with self._lock:
            self._access = self._grant()
            return self._access

    def _grant(self) -> str:
        attempts: list[dict[str, str]] = []
        if self._refresh_token:
            attempts.append({"grant_type": "refresh_token", "refresh_token": self._refresh_token})
        if self._password is not None:
            username, password = self._password()
            attempts.append({"grant_type": "password", "username": username, "password": password})
        for data in attempts:
            self.attempts += 1
            try:
                response = self._client.post(self._url, data=data)
            except httpx.HTTPError as exc:
                # Offline is not "log in again": let the engine back off and retry.
                raise _offline(exc) from exc
            if response.status_code == 200:
                tokens = TokenResponse.model_validate(response.json())
                self.grants += 1
                self._refresh_token = tokens.refresh_token
                if self._save is not None:
                    self._save(tokens)
                return tokens.access_token
            if response.status_code >= 500 or response.status_code == 429:
                raise _offline(None)
        raise LoginRequiredError("no valid login")


def _offline(exc: Exception | None) -> Exception:
    from desktop.sync.failures import E_OFFLINE, DisconnectedError

    return DisconnectedError(E_OFFLINE, detail=type(exc).__name__ if exc else "token")


def keyring_tokens(client: httpx.Client, portal_url: str) -> OAuthTokens:
    """Tokens from the login `dvc-desk account login` stored in the OS keyring.

    The stored refresh token is tried first, then the stored password; each new token
    pair is written back. LoginRequiredError (→ "log in again") when neither works.
    """
    store = CredentialStore()
    account = store.account(portal_url)
    if account is None:
        return OAuthTokens(client, portal_url)
    username = account.username
    stored = store.tokens(portal_url, username)
    secret = store.password(portal_url, username)

    def save(tokens: TokenResponse) -> None:
        # A keyring that refuses only means the next run logs in with the password.
        with contextlib.suppress(UserError):
            store.save_tokens(portal_url, username, tokens)

    return OAuthTokens(
        client,
        portal_url,
        refresh_token=stored.refresh_token if stored else None,
        password=(lambda: (username, secret)) if secret else None,
        save_tokens=save,
    )
