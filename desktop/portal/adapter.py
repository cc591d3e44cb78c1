"""`PortalAdapter`: what the sync engine needs from a portal, whatever its real API.

API v1 (`PortalClient`) is the first adapter; an adapter for a provincial portal (VNPT
iGate, ...) translates these calls into that portal's requests and answers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol, runtime_checkable

from desktop.portal.client import CatalogFetch, PortalClient, UploadState
from desktop.portal.contract import (
    DossierChanges,
    DossierCreate,
    DossierCreated,
    DossierStatus,
    PaymentCreated,
    PaymentStatus,
    Receipt,
    SubmissionRequest,
    SupplementCreate,
    SupplementCreated,
    TokenResponse,
)
from desktop.progress import CancelToken, ProgressCallback


@runtime_checkable
class PortalAdapter(Protocol):
    """The calls of one portal account (see docs/portal-api.md for their meaning)."""

    kind: str
    base_url: str

    def health(self) -> None: ...
    def login(self, username: str, password: str) -> TokenResponse: ...
    def catalog(self, etag: str | None = None) -> CatalogFetch: ...
    def put_dossier(self, uuid: str, dossier: DossierCreate) -> DossierCreated: ...
    def upload_state(self, upload_url: str) -> UploadState: ...
    def upload(
        self,
        file_path: Path,
        upload_url: str,
        *,
        offset_from_server: bool = True,
        chunk: int = ...,
        progress: ProgressCallback = ...,
        cancel: CancelToken | None = None,
    ) -> int: ...
    def submit(self, uuid: str, submission: SubmissionRequest, key: str) -> Receipt: ...
    def dossier(self, uuid: str) -> DossierStatus: ...
    def changes(self, cursor: str = "0", limit: int = 100) -> DossierChanges: ...
    def put_supplement(
        self, uuid: str, supplement_id: str, supplement: SupplementCreate
    ) -> SupplementCreated: ...
    def create_payment(self, uuid: str, fee_ids: list[str]) -> PaymentCreated: ...
    def payment(self, ref: str) -> PaymentStatus: ...
    def download(self, url: str, target: Path) -> Path: ...
    def close(self) -> None: ...


AdapterFactory = Callable[..., PortalAdapter]

#: Adapters by kind; the portal setting names one (default "api-v1").
ADAPTERS: dict[str, AdapterFactory] = {"api-v1": PortalClient}


def open_adapter(
    base_url: str,
    *,
    kind: str = "api-v1",
    tokens: TokenResponse | None = None,
    on_tokens: Callable[[TokenResponse], None] | None = None,
) -> PortalAdapter:
    """The adapter of `kind` for the portal at `base_url`."""
    try:
        factory = ADAPTERS[kind]
    except KeyError:
        raise ValueError(f"unknown portal adapter {kind!r}; known: {sorted(ADAPTERS)}") from None
    return factory(base_url, tokens=tokens, on_tokens=on_tokens)
