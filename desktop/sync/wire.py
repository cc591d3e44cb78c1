"""The Portal API v1 calls the engine makes, over one synchronous httpx client.

Every answer is validated against `desktop.portal.contract`; every failure becomes a
`desktop.sync.failures` exception the engine knows how to handle. A 401 with an expired
token is refreshed once and the request repeated (the token source persists the new
refresh token); when refreshing fails the item stops with "log in again".
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any, Protocol, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from desktop.portal.contract import (
    UPLOAD_MEDIA_TYPE,
    DossierChanges,
    DossierCreated,
    DossierStatus,
    PaymentCreated,
    PaymentStatus,
    Receipt,
    SupplementCreated,
)
from desktop.sync.failures import (
    E_BUSY,
    E_LOGIN,
    E_OFFLINE,
    ChecksumMismatchError,
    DisconnectedError,
    NeedsPersonError,
    OffsetMismatchError,
    SyncError,
    TransientSyncError,
    UploadGoneError,
)
from desktop.sync.retry import parse_retry_after, utc_now

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)

HEALTH_TIMEOUT = 3.0
EXPIRED_TOKEN_CODES = frozenset({"auth.token_expired", "auth.invalid_token", "auth.required"})


class LoginRequiredError(Exception):
    """The token source cannot get a token without the person logging in again."""


class TokenSource(Protocol):
    """Where access tokens come from (the keyring-stored login, or a test account)."""

    def access_token(self) -> str:
        """A token believed valid (may be cached); LoginRequiredError if there is none."""
        ...

    def refresh(self) -> str:
        """A fresh token after the portal refused the cached one; LoginRequiredError if not."""
        ...


def _code(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return ""
    return str(data.get("code", "")) if isinstance(data, dict) else ""


def _params(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    params = data.get("params") if isinstance(data, dict) else None
    return dict(params) if isinstance(params, dict) else {}


class PortalWire:
    """One portal's API v1 for one account; not thread-safe (the engine's thread owns it)."""

    def __init__(self, client: httpx.Client, base_url: str, tokens: TokenSource) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.tokens = tokens
        self.bytes_sent = 0  # upload payload written to the wire, re-sends included
        self.requests = 0

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base_url}{path}"

    # --- plumbing --------------------------------------------------------------------

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            token = self.tokens.access_token()
        except LoginRequiredError as exc:
            raise NeedsPersonError("login_expired", E_LOGIN) from exc
        for attempt in (1, 2):
            headers = dict(kwargs.pop("headers", None) or {})
            headers["Authorization"] = f"Bearer {token}"
            response = self._raw(method, path, headers=headers, **kwargs)
            if response.status_code == 401 and attempt == 1:
                kwargs["headers"] = {k: v for k, v in headers.items() if k != "Authorization"}
                if _code(response) not in EXPIRED_TOKEN_CODES:
                    break
                try:
                    token = self.tokens.refresh()
                except LoginRequiredError as exc:
                    raise NeedsPersonError("login_expired", E_LOGIN) from exc
                continue
            break
        if response.status_code == 401:
            raise NeedsPersonError("login_expired", E_LOGIN)
        if response.status_code == 429 or response.status_code >= 500:
            retry_after = parse_retry_after(response.headers.get("Retry-After"), utc_now())
            raise TransientSyncError(E_BUSY, retry_after=retry_after, status=response.status_code)
        return response

    def _raw(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        self.requests += 1
        try:
            return self.client.request(method, self.url(path), **kwargs)
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            raise DisconnectedError(E_OFFLINE, detail=type(exc).__name__) from exc

    @staticmethod
    def _model(model: type[M], response: httpx.Response) -> M:
        try:
            return model.model_validate(response.json())
        except (ValueError, ValidationError) as exc:
            # A garbled answer (a proxy's error page, a cut body) is worth a retry.
            raise TransientSyncError(
                E_OFFLINE, detail=f"invalid answer {response.status_code}"
            ) from exc

    # --- API v1 ----------------------------------------------------------------------

    def healthy(self, timeout: float = HEALTH_TIMEOUT) -> bool:
        """The reachability probe: True when GET /v1/health answers 2xx quickly."""
        self.requests += 1
        try:
            response = self.client.get(self.url("/v1/health"), timeout=timeout)
        except httpx.HTTPError:
            return False
        return response.is_success

    def put_dossier(self, uuid: str, body: dict[str, Any]) -> tuple[int, DossierCreated | None]:
        """201/200 with the upload targets, or (status, None) for a refusal (409/413/422)."""
        response = self._send("PUT", f"/v1/dossiers/{uuid}", json=body)
        if response.status_code in (200, 201):
            return response.status_code, self._model(DossierCreated, response)
        return response.status_code, None

    def put_supplement(
        self, uuid: str, supplement_id: str, body: dict[str, Any]
    ) -> tuple[int, SupplementCreated | None]:
        """PUT a supplement (same idempotent rules as a dossier)."""
        response = self._send("PUT", f"/v1/dossiers/{uuid}/supplements/{supplement_id}", json=body)
        if response.status_code in (200, 201):
            return response.status_code, self._model(SupplementCreated, response)
        return response.status_code, None

    def get_dossier(self, uuid: str) -> DossierStatus | None:
        response = self._send("GET", f"/v1/dossiers/{uuid}")
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise TransientSyncError(E_BUSY, status=response.status_code)
        return self._model(DossierStatus, response)

    def head_upload(self, url: str) -> int:
        """The offset the portal made durable."""
        response = self._send("HEAD", url)
        if response.status_code in (404, 410):
            raise UploadGoneError("upload.expired", status=response.status_code)
        if response.status_code != 200:
            raise TransientSyncError(E_BUSY, status=response.status_code)
        return int(response.headers["Upload-Offset"])

    def patch_upload(self, url: str, offset: int, data: bytes) -> int:
        """Append `data` at `offset`; the new offset."""
        headers = {
            "Content-Type": UPLOAD_MEDIA_TYPE,
            "Upload-Offset": str(offset),
            "Tus-Resumable": "1.0.0",
        }
        self.bytes_sent += len(data)
        response = self._send("PATCH", url, content=data, headers=headers)
        if response.status_code == 204:
            return int(response.headers["Upload-Offset"])
        if response.status_code in (404, 410):
            raise UploadGoneError("upload.expired", status=response.status_code)
        if response.status_code == 409:
            value = response.headers.get("Upload-Offset")
            raise OffsetMismatchError(int(value) if value is not None else None)
        if response.status_code == 422:
            raise ChecksumMismatchError("upload.checksum_mismatch", **_params(response))
        raise SyncError(_code(response) or "upload.refused", status=response.status_code)

    def submit(self, uuid: str, key: str, body: dict[str, Any]) -> tuple[int, Receipt | None, str]:
        """POST the submission; (status, receipt or None, problem code)."""
        response = self._send(
            "POST", f"/v1/dossiers/{uuid}/submission", json=body, headers={"Idempotency-Key": key}
        )
        if response.status_code in (200, 201):
            return response.status_code, self._model(Receipt, response), ""
        return response.status_code, None, _code(response)

    def changes(self, cursor: str | None, limit: int = 100) -> DossierChanges:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["changed_since"] = cursor
        response = self._send("GET", "/v1/dossiers", params=params)
        if response.status_code != 200:
            raise TransientSyncError(E_BUSY, status=response.status_code)
        return self._model(DossierChanges, response)

    def create_payment(self, uuid: str, fee_ids: list[str]) -> PaymentCreated:
        response = self._send("POST", f"/v1/dossiers/{uuid}/payments", json={"fee_ids": fee_ids})
        if response.status_code not in (200, 201):
            raise SyncError(_code(response) or "payment.refused", **_params(response))
        return self._model(PaymentCreated, response)

    def get_payment(self, ref: str) -> PaymentStatus:
        response = self._send("GET", f"/v1/payments/{ref}")
        if response.status_code != 200:
            raise TransientSyncError(E_BUSY, status=response.status_code)
        return self._model(PaymentStatus, response)

    def download(self, url: str) -> Iterator[bytes]:
        """The bytes of a document (a result, a payment receipt), streamed."""
        token = self.tokens.access_token()
        try:
            with self.client.stream(
                "GET", self.url(url), headers={"Authorization": f"Bearer {token}"}
            ) as response:
                if response.status_code != 200:
                    raise TransientSyncError(E_BUSY, status=response.status_code)
                yield from response.iter_bytes()
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            raise DisconnectedError(E_OFFLINE, detail=type(exc).__name__) from exc
