"""The OpenID log-in of the CLI and the window alike: the provider of the active portal
profile (or the one named), the browser, the refresh token into the keyring."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop.errors import UserError
from desktop.portal.profiles import (
    E_NEEDS_CONFIGURATION,
    E_NO_OIDC,
    PROFILES_FILE,
    SettingsStore,
    active_profile,
)
from desktop.progress import CancelToken


@dataclass(frozen=True)
class OidcLogin:
    portal: str
    username: str
    issuer: str


def log_in(
    settings: SettingsStore,
    data_root: Path | None,
    portal: str,
    open_browser: Callable[[str], object],
    *,
    issuer: str | None = None,
    timeout: float = 300.0,
    cancel: CancelToken | None = None,
) -> OidcLogin:
    """Log in on `portal` through its OpenID provider; the keyring keeps the tokens (the
    refresh token among them) and no password."""
    import httpx

    from desktop.portal.credentials import CredentialStore
    from desktop.portal.oidc_loopback import login_with_browser

    portal = portal.rstrip("/")
    profile = active_profile(settings, data_root)
    if not profile.oidc_login:  # said before a browser opens: its adapter could not use it
        raise UserError(E_NO_OIDC, name=profile.name, kind=profile.kind)
    provider = (issuer or profile.issuer(portal)).rstrip("/")
    if not provider:
        where = data_root / PROFILES_FILE if data_root is not None else Path(PROFILES_FILE)
        raise UserError(
            E_NEEDS_CONFIGURATION,
            name=profile.name,
            profile=profile.id,
            missing="nhà cung cấp OpenID (oidc_issuer)",
            path=str(where),
        )
    with httpx.Client(timeout=30.0) as http:
        result = login_with_browser(
            provider, http, open_browser=open_browser, timeout=timeout, cancel=cancel
        )
    CredentialStore().save_oidc(portal, provider, result.username, result.tokens)
    return OidcLogin(portal, result.username, provider)
