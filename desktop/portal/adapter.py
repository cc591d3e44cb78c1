"""`PortalAdapter`: what the app needs from a portal, whatever its real API.

The sync engine, the CLI and the window hold a `PortalAdapter` made by `make_adapter()`
and never a concrete client (an import-linter contract says so). Two kinds exist:
"v1", the app's own API v1 (`desktop.portal.client`), and "lgsp", the service-style
integration platforms (`desktop.portal.lgsp`). What an adapter cannot do is told by its
`capabilities`; a call it cannot make raises `UnsupportedError` (portal.unsupported).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, runtime_checkable

import httpx

from desktop.portal.capabilities import Capabilities
from desktop.portal.client import CatalogFetch, RecordsFetch, UploadState, default_http_client
from desktop.portal.contract import (
    AccountAccepted,
    AccountRegistration,
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
from desktop.portal.transport import PasswordSource
from desktop.progress import CancelToken, ProgressCallback

if TYPE_CHECKING:
    # Only named here: the database behind it is imported by whoever builds a memory.
    from desktop.portal.memory import PortalMemory

__all__ = [
    "KINDS",
    "CatalogFetch",
    "PortalAdapter",
    "RecordsFetch",
    "UploadState",
    "capabilities_of",
    "default_http_client",
    "make_adapter",
]


@runtime_checkable
class PortalAdapter(Protocol):
    """The calls of one portal account (see docs/portal-api.md for their meaning)."""

    kind: str
    base_url: str
    capabilities: Capabilities

    def health(self, timeout: float | None = None) -> None: ...
    def reachable(self, timeout: float = 3.0) -> bool: ...
    def url(self, path_or_url: str) -> str: ...
    def register(self, registration: AccountRegistration) -> AccountAccepted: ...
    def login(self, username: str, password: str) -> TokenResponse | None: ...
    def catalog_records(self, etag: str | None = None) -> RecordsFetch: ...
    def put_dossier(
        self, uuid: str, dossier: DossierCreate | Mapping[str, Any]
    ) -> DossierCreated: ...
    def upload_state(self, upload_url: str) -> UploadState: ...
    def patch_upload(self, upload_url: str, offset: int, data: bytes) -> int: ...
    def send_file(
        self,
        upload_url: str,
        source: BinaryIO,
        size: int,
        sha256: str,
        name: str,
        *,
        progress: ProgressCallback = ...,
        cancel: CancelToken | None = None,
    ) -> int: ...
    def submit(
        self, uuid: str, submission: SubmissionRequest | Mapping[str, Any], key: str
    ) -> Receipt: ...
    def dossier(self, uuid: str) -> DossierStatus: ...
    def changes(self, cursor: str = "0", limit: int = 100) -> DossierChanges: ...
    def put_supplement(
        self,
        uuid: str,
        supplement_id: str,
        supplement: SupplementCreate | Mapping[str, Any],
    ) -> SupplementCreated: ...
    def create_payment(self, uuid: str, fee_ids: list[str]) -> PaymentCreated: ...
    def payment(self, ref: str) -> PaymentStatus: ...
    def download(self, url: str, target: Path) -> Path: ...
    def close(self) -> None: ...


#: The adapter kinds a portal profile may name ("api-v1" is the former name of "v1").
KINDS = ("v1", "lgsp")
_ALIASES = {"api-v1": "v1"}


def capabilities_of(kind: str) -> Capabilities:
    """What an adapter of `kind` can do, before one is made (the window's Cài đặt shows
    registration only where the adapter has it)."""
    kind = _ALIASES.get(kind, kind)
    if kind == "lgsp":
        from desktop.portal.lgsp import CAPABILITIES

        return CAPABILITIES
    from desktop.portal.capabilities import FULL

    return FULL


def make_adapter(
    kind: str,
    base_url: str,
    *,
    http: httpx.Client | None = None,
    password: PasswordSource | None = None,
    tokens: TokenResponse | None = None,
    fresh_for: float | None = None,
    on_tokens: Callable[[TokenResponse], None] | None = None,
    memory: PortalMemory | None = None,
    unit_code: str | None = None,
) -> PortalAdapter:
    """The adapter of `kind` for the portal at `base_url`.

    `password` logs in (and in again when a session or token runs out); `tokens`,
    `fresh_for` and `on_tokens` keep API v1's token pair. `memory` is where the lgsp
    adapter writes its reserved codes and file ids before relying on them (the workspace
    database for the sync engine: `DatabaseMemory`); `unit_code` is the lgsp `madonvi`.
    Raises ValueError for an unknown kind (the caller's profile is wrong).
    """
    kind = _ALIASES.get(kind, kind)
    if kind == "v1":
        from desktop.portal.client import PortalClient

        return PortalClient(
            base_url,
            http=http,
            password=password,
            tokens=tokens,
            fresh_for=fresh_for,
            on_tokens=on_tokens,
        )
    if kind == "lgsp":
        from desktop.portal.lgsp import LgspAdapter
        from desktop.portal.memory import TransientMemory

        return LgspAdapter(
            base_url,
            http=http,
            password=password,
            memory=memory if memory is not None else TransientMemory(),
            unit_code=unit_code,
        )
    raise ValueError(f"unknown portal adapter {kind!r}; known: {', '.join(KINDS)}")
