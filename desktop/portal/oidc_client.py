"""An API v1 client whose tokens come from an OpenID provider (`account login --oidc`).

The access token is the provider's; when it expires the refresh token goes to the
provider's token endpoint (found by discovery), not to the portal's `/v1/auth/token`,
and an ID token in the answer is checked like the first one. There is no password to
fall back on: a refused refresh means logging in again in the browser.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from desktop.errors import UserError
from desktop.portal.client import PortalClient
from desktop.portal.contract import TokenResponse
from desktop.portal.oidc import CLIENT_ID, E_ID_TOKEN, KeySet, ProviderMetadata, discover
from desktop.portal.oidc import validate_id_token as _validate


class OidcPortalClient(PortalClient):
    """`PortalClient` refreshing through the OpenID provider at `issuer`."""

    def __init__(
        self,
        base_url: str,
        *,
        issuer: str,
        client_id: str = CLIENT_ID,
        tokens: TokenResponse | None = None,
        on_tokens: Callable[[TokenResponse], None] | None = None,
        http: httpx.Client | None = None,
        fresh_for: float | None = None,
    ) -> None:
        super().__init__(
            base_url, tokens=tokens, on_tokens=on_tokens, http=http, fresh_for=fresh_for
        )
        self.issuer, self.client_id = issuer.rstrip("/"), client_id
        self._provider: tuple[ProviderMetadata, KeySet] | None = None

    def provider(self) -> tuple[ProviderMetadata, KeySet]:
        if self._provider is None:
            meta = discover(self.issuer, self._http)
            self._provider = (meta, KeySet(meta, self._http))
        return self._provider

    def _token_request(self, form: dict[str, str]) -> httpx.Response:
        if form.get("grant_type") != "refresh_token":
            return super()._token_request(form)
        meta, keys = self.provider()
        response = self._send(
            "POST", meta.token_endpoint, auth=False, data={**form, "client_id": self.client_id}
        )
        if response.status_code == 200:
            try:
                id_token = response.json().get("id_token")
            except (ValueError, AttributeError):
                id_token = None
            if isinstance(id_token, str):
                _validate(id_token, meta, keys, client_id=self.client_id, nonce=None)
            elif id_token is not None:
                raise UserError(E_ID_TOKEN, issuer=self.issuer, reason="id_token not a string")
        return response
