"""httpx client of Portal API v1: one typed method per endpoint, resumable uploads.

The session, token refresh and error mapping live in `desktop.portal.transport`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from desktop.errors import IntegrityError, TransientError
from desktop.portal.contract import (
    TUS_VERSION,
    UPLOAD_MEDIA_TYPE,
    CatalogDocument,
    DossierChanges,
    DossierCreate,
    DossierCreated,
    DossierStatus,
    PaymentCreate,
    PaymentCreated,
    PaymentStatus,
    Receipt,
    SubmissionRequest,
    SupplementCreate,
    SupplementCreated,
)
from desktop.portal.errors import E_BAD_RESPONSE, E_BUSY, E_LOCAL_SIZE
from desktop.portal.transport import (
    DEFAULT_TIMEOUT,
    EXPIRED_CODES,
    SEND_BUFFER,
    ApiSession,
    default_http_client,
    retry_after_seconds,
)
from desktop.progress import CancelToken, Progress, ProgressCallback, no_progress

__all__ = [
    "DEFAULT_TIMEOUT",
    "SEND_BUFFER",
    "CatalogFetch",
    "PortalClient",
    "UploadState",
    "default_http_client",
    "retry_after_seconds",
]

log = logging.getLogger(__name__)

UPLOAD_CHUNK = 32 * 1024 * 1024
_PIECE = 256 * 1024


@dataclass(frozen=True)
class CatalogFetch:
    """The catalog, or `not_modified` when the ETag still matches."""

    document: CatalogDocument | None
    etag: str | None
    not_modified: bool


@dataclass(frozen=True)
class UploadState:
    offset: int
    length: int


class PortalClient(ApiSession):
    """API v1 over httpx; one instance per portal and account, used from one thread."""

    kind = "api-v1"

    # ------------------------------------------------------------ catalog and dossiers

    def catalog(self, etag: str | None = None) -> CatalogFetch:
        headers = {"If-None-Match": etag} if etag else None
        response = self._send("GET", "/v1/catalog", auth=False, headers=headers)
        if response.status_code == 304:
            return CatalogFetch(None, etag, not_modified=True)
        document = self._parse(response, CatalogDocument, expect={200})
        return CatalogFetch(document, response.headers.get("ETag"), not_modified=False)

    def put_dossier(self, uuid: str, dossier: DossierCreate) -> DossierCreated:
        """Idempotent create (201 first, 200 replay); 409 → PortalRefusedError dossier.conflict."""
        response = self._send("PUT", f"/v1/dossiers/{uuid}", json=dossier.model_dump(mode="json"))
        return self._parse(response, DossierCreated, expect={200, 201})

    def submit(self, uuid: str, submission: SubmissionRequest, key: str) -> Receipt:
        """Submit with the dossier's submission key; a replay gives the same receipt."""
        response = self._send(
            "POST",
            f"/v1/dossiers/{uuid}/submission",
            json=submission.model_dump(mode="json"),
            headers={"Idempotency-Key": key},
        )
        return self._parse(response, Receipt, expect={200, 201})

    def dossier(self, uuid: str) -> DossierStatus:
        return self._parse(self._send("GET", f"/v1/dossiers/{uuid}"), DossierStatus, expect={200})

    def changes(self, cursor: str = "0", limit: int = 100) -> DossierChanges:
        response = self._send(
            "GET", "/v1/dossiers", params={"changed_since": cursor, "limit": limit}
        )
        return self._parse(response, DossierChanges, expect={200})

    def put_supplement(
        self, uuid: str, supplement_id: str, supplement: SupplementCreate
    ) -> SupplementCreated:
        response = self._send(
            "PUT",
            f"/v1/dossiers/{uuid}/supplements/{supplement_id}",
            json=supplement.model_dump(mode="json"),
        )
        return self._parse(response, SupplementCreated, expect={200, 201})

    def create_payment(self, uuid: str, fee_ids: list[str]) -> PaymentCreated:
        response = self._send(
            "POST",
            f"/v1/dossiers/{uuid}/payments",
            json=PaymentCreate(fee_ids=fee_ids).model_dump(mode="json"),
        )
        return self._parse(response, PaymentCreated, expect={200, 201})

    def payment(self, ref: str) -> PaymentStatus:
        return self._parse(self._send("GET", f"/v1/payments/{ref}"), PaymentStatus, expect={200})

    def download(self, url: str, target: Path) -> Path:
        """A result or receipt PDF, written atomically to `target`."""
        response = self._send("GET", url)
        self._expect_status(response, {200})
        if not response.content.startswith(b"%PDF-"):
            raise TransientError(E_BAD_RESPONSE, url=self.base_url, detail="not a PDF")
        partial = target.with_name(f".{target.name}.part")
        partial.write_bytes(response.content)
        partial.replace(target)
        return target

    # ------------------------------------------------------------ uploads

    def upload_state(self, upload_url: str) -> UploadState:
        """HEAD: the offset the portal made durable and the declared length."""
        response = self._send("HEAD", upload_url, headers={"Tus-Resumable": TUS_VERSION})
        if response.status_code != 200:
            raise (
                self._refuse(response)
                if response.status_code < 500
                else TransientError(
                    E_BAD_RESPONSE, url=self.base_url, detail=f"status {response.status_code}"
                )
            )
        try:
            return UploadState(
                int(response.headers["Upload-Offset"]), int(response.headers["Upload-Length"])
            )
        except (KeyError, ValueError) as exc:
            raise TransientError(
                E_BAD_RESPONSE, url=self.base_url, detail="HEAD without Upload-Offset"
            ) from exc

    def upload(
        self,
        file_path: Path,
        upload_url: str,
        *,
        offset_from_server: bool = True,
        chunk: int = UPLOAD_CHUNK,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> int:
        """Send the rest of `file_path` from the offset the server reports; returns the length.

        Each PATCH carries at most `chunk` bytes. A wrong offset (409) or an expired token
        (401) makes it ask HEAD again and go on from there; a broken connection raises
        TransientError, and calling again resumes from the durable offset.
        """
        local_size = file_path.stat().st_size
        state = self.upload_state(upload_url) if offset_from_server else UploadState(0, local_size)
        if state.length != local_size:
            raise IntegrityError(
                E_LOCAL_SIZE, path=str(file_path), size=local_size, declared=state.length
            )
        length, offset = state.length, state.offset
        conflicts = 0
        with file_path.open("rb") as source:
            while offset < length:
                if cancel is not None:
                    cancel.check()
                size = min(chunk, length - offset)
                response = self._patch(
                    upload_url=upload_url,
                    source=source,
                    offset=offset,
                    size=size,
                    length=length,
                    progress=progress,
                    cancel=cancel,
                )
                if response.status_code == 409:
                    conflicts += 1
                    if self._problem_code(response) == "upload.busy" or conflicts > 3:
                        # Another PATCH of this file is still running on the server.
                        raise TransientError(E_BUSY, status=409, retry_after=30)
                    offset = self.upload_state(upload_url).offset
                    continue
                self._expect_status(response, {204})
                try:
                    offset = int(response.headers["Upload-Offset"])
                except (KeyError, ValueError) as exc:
                    raise TransientError(
                        E_BAD_RESPONSE, url=self.base_url, detail="PATCH without Upload-Offset"
                    ) from exc
        progress(Progress(length, length, file_path.name))
        return length

    def _patch(
        self,
        *,
        upload_url: str,
        source: Any,
        offset: int,
        size: int,
        length: int,
        progress: ProgressCallback,
        cancel: CancelToken | None,
    ) -> httpx.Response:
        def body() -> Iterator[bytes]:
            source.seek(offset)
            sent = 0
            while sent < size:
                piece = source.read(min(_PIECE, size - sent))
                if not piece:
                    raise TransientError(E_BAD_RESPONSE, url=str(source.name), detail="short file")
                sent += len(piece)
                yield piece
                progress(Progress(offset + sent, length))
                if cancel is not None:
                    cancel.check()

        headers = {
            "Tus-Resumable": TUS_VERSION,
            "Upload-Offset": str(offset),
            "Content-Type": UPLOAD_MEDIA_TYPE,
            "Content-Length": str(size),
        }
        self._ensure_fresh()
        response = self._send_once("PATCH", upload_url, auth=True, headers=headers, content=body())
        if response.status_code == 401 and self._problem_code(response) in EXPIRED_CODES:
            self.refresh()
            # The server may have kept part of the body: go on from its offset.
            real = self.upload_state(upload_url).offset
            return self._patch(
                upload_url=upload_url,
                source=source,
                offset=real,
                size=min(size, length - real),
                length=length,
                progress=progress,
                cancel=cancel,
            )
        return response
