"""httpx client of Portal API v1: one typed method per endpoint, resumable uploads.

The one portal client of the app: the CLI, the UI and the sync engine all use it. The
session, token refresh and error mapping live in `desktop.portal.transport`. Uploads
come two ways over the same PATCH handling: `upload()` sends a whole file (resuming
from the HEAD offset), `patch_upload()` one piece the caller has read (the sync
engine commits each new offset before it reads the next piece).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import httpx
from pydantic import BaseModel

from desktop.errors import DvcError, IntegrityError, TransientError
from desktop.portal.capabilities import FULL
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
from desktop.portal.errors import (
    E_BAD_RESPONSE,
    E_LOCAL_SIZE,
    ChecksumMismatchError,
    OffsetMismatchError,
    PortalBusyError,
    UploadGoneError,
)
from desktop.portal.transport import (
    DEFAULT_TIMEOUT,
    SEND_BUFFER,
    ApiSession,
    PasswordSource,
    default_http_client,
    retry_after_seconds,
)
from desktop.progress import CancelToken, Progress, ProgressCallback, no_progress

__all__ = [
    "DEFAULT_TIMEOUT",
    "SEND_BUFFER",
    "CatalogFetch",
    "PasswordSource",
    "PortalClient",
    "UploadState",
    "default_http_client",
    "retry_after_seconds",
]

log = logging.getLogger(__name__)

# One PATCH of upload() carries at most this much. Each PATCH ends with a durable
# checkpoint (the portal fsyncs, then answers its offset) and costs a round trip plus
# that fsync with the wire idle. Whatever the chunk, a cut connection costs only the
# bytes in flight (the portal keeps a partial body); a portal crash mid-PATCH re-sends
# up to one chunk.
# 32 MiB cost a 100 MiB loopback upload 4 checkpoints; 64 MiB costs 2 (docs/portal-api.md).
UPLOAD_CHUNK = 64 * 1024 * 1024
# Read size while streaming a PATCH body: progress and cancellation are checked per
# piece; the capped send buffer keeps them within about a piece of the wire.
_PIECE = 1024 * 1024


@dataclass(frozen=True)
class CatalogFetch:
    """The catalog, or `not_modified` when the ETag still matches."""

    document: CatalogDocument | None
    etag: str | None
    not_modified: bool


@dataclass(frozen=True)
class RecordsFetch:
    """The portal's procedure records (the raw JSON array), or `not_modified`."""

    data: bytes | None
    etag: str | None
    not_modified: bool


@dataclass(frozen=True)
class UploadState:
    offset: int
    length: int


# A request body: the contract's model, or a stored JSON object sent exactly as kept
# (the outbox replays the body of its first PUT byte for byte).
Body = BaseModel | Mapping[str, Any]


def _json(body: Body) -> Any:
    return body.model_dump(mode="json") if isinstance(body, BaseModel) else dict(body)


def _patch_headers(offset: int, size: int) -> dict[str, str]:
    return {
        "Tus-Resumable": TUS_VERSION,
        "Upload-Offset": str(offset),
        "Content-Type": UPLOAD_MEDIA_TYPE,
        "Content-Length": str(size),
    }


class PortalClient(ApiSession):
    """API v1 over httpx; one instance per portal and account, used from one thread."""

    kind = "v1"
    capabilities = FULL

    # ------------------------------------------------------------ catalog and dossiers

    def catalog(self, etag: str | None = None) -> CatalogFetch:
        headers = {"If-None-Match": etag} if etag else None
        response = self._send("GET", "/v1/catalog", auth=False, headers=headers)
        if response.status_code == 304:
            return CatalogFetch(None, etag, not_modified=True)
        document = self._parse(response, CatalogDocument, expect={200})
        return CatalogFetch(document, response.headers.get("ETag"), not_modified=False)

    def catalog_records(self, etag: str | None = None) -> RecordsFetch:
        """GET /v1/catalog/procedures: every procedure in the national portal's own
        record format, as bytes (they are checked and imported by desktop.catalog)."""
        headers = {"If-None-Match": etag} if etag else None
        response = self._send("GET", "/v1/catalog/procedures", auth=False, headers=headers)
        if response.status_code == 304:
            return RecordsFetch(None, etag, not_modified=True)
        self._expect_status(response, {200})
        return RecordsFetch(response.content, response.headers.get("ETag"), not_modified=False)

    def put_dossier(self, uuid: str, dossier: DossierCreate | Mapping[str, Any]) -> DossierCreated:
        """Idempotent create (201 first, 200 replay); 409 → PortalRefusedError dossier.conflict."""
        response = self._send("PUT", f"/v1/dossiers/{uuid}", json=_json(dossier))
        return self._parse(response, DossierCreated, expect={200, 201})

    def submit(
        self, uuid: str, submission: SubmissionRequest | Mapping[str, Any], key: str
    ) -> Receipt:
        """Submit with the dossier's submission key; a replay gives the same receipt."""
        response = self._send(
            "POST",
            f"/v1/dossiers/{uuid}/submission",
            json=_json(submission),
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
        self, uuid: str, supplement_id: str, supplement: SupplementCreate | Mapping[str, Any]
    ) -> SupplementCreated:
        response = self._send(
            "PUT", f"/v1/dossiers/{uuid}/supplements/{supplement_id}", json=_json(supplement)
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
        """HEAD: the offset the portal made durable and the declared length.

        404/410 → UploadGoneError (PUT the dossier again for a new upload).
        """
        response = self._send("HEAD", upload_url, headers={"Tus-Resumable": TUS_VERSION})
        if response.status_code != 200:
            raise self._upload_refusal(response)
        try:
            return UploadState(
                int(response.headers["Upload-Offset"]), int(response.headers["Upload-Length"])
            )
        except (KeyError, ValueError) as exc:
            raise TransientError(
                E_BAD_RESPONSE, url=self.base_url, detail="HEAD without Upload-Offset"
            ) from exc

    def patch_upload(self, upload_url: str, offset: int, data: bytes) -> int:
        """PATCH one piece at `offset`; the portal's new offset.

        An expired token is refreshed and the piece sent again. Failures:
        PortalUnreachableError (cut: ask `upload_state`), OffsetMismatchError (409, with
        the portal's offset when it says), UploadGoneError (404/410),
        ChecksumMismatchError (422 at the last byte: the portal reset the file to 0).
        """
        self.bytes_sent += len(data)
        response = self._send(
            "PATCH", upload_url, headers=_patch_headers(offset, len(data)), content=data
        )
        return self._patch_outcome(response)

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

        Each PATCH carries at most `chunk` bytes, streamed from the file. A wrong offset
        (409) or an expired token (401) makes it ask HEAD again and go on from there; a
        broken connection raises TransientError, and calling again resumes from the
        durable offset.
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
                try:
                    offset = self._patch_stream(
                        upload_url=upload_url,
                        source=source,
                        offset=offset,
                        size=size,
                        length=length,
                        progress=progress,
                        cancel=cancel,
                    )
                except OffsetMismatchError as exc:
                    conflicts += 1
                    if exc.code == "upload.busy" or conflicts > 3:
                        # Another PATCH of this file is still running on the server.
                        raise PortalBusyError(409, 30) from exc
                    offset = self.upload_state(upload_url).offset
        progress(Progress(length, length, file_path.name))
        return length

    def send_file(
        self,
        upload_url: str,
        source: BinaryIO,
        size: int,
        sha256: str,
        name: str,
        *,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> int:
        """The whole file in one PATCH from offset 0 (the adapter-neutral whole-file
        upload; the engine uses `patch_upload` here, as this portal resumes)."""
        return self._patch_stream(
            upload_url=upload_url, source=source, offset=0, size=size, length=size,
            progress=progress, cancel=cancel,
        )  # fmt: skip

    def _patch_stream(
        self,
        *,
        upload_url: str,
        source: Any,
        offset: int,
        size: int,
        length: int,
        progress: ProgressCallback,
        cancel: CancelToken | None,
    ) -> int:
        """PATCH `size` bytes of `source` from `offset`, read as they are sent."""

        def body() -> Iterator[bytes]:
            source.seek(offset)
            sent = 0
            while sent < size:
                piece = source.read(min(_PIECE, size - sent))
                if not piece:
                    raise TransientError(E_BAD_RESPONSE, url=str(source.name), detail="short file")
                sent += len(piece)
                self.bytes_sent += len(piece)
                yield piece
                progress(Progress(offset + sent, length))
                if cancel is not None:
                    cancel.check()

        self._ensure_fresh()
        headers = _patch_headers(offset, size)
        response = self._send_once("PATCH", upload_url, auth=True, headers=headers, content=body())
        if response.status_code == 401 and self._expired(response):
            # A streamed body cannot be sent again as it is; the server may have kept
            # part of it: go on from its offset with a fresh token.
            self.refresh()
            return self.upload_state(upload_url).offset
        return self._patch_outcome(response)

    def _patch_outcome(self, response: httpx.Response) -> int:
        if response.status_code == 204:
            try:
                return int(response.headers["Upload-Offset"])
            except (KeyError, ValueError) as exc:
                raise TransientError(
                    E_BAD_RESPONSE, url=self.base_url, detail="PATCH without Upload-Offset"
                ) from exc
        raise self._upload_refusal(response)

    def _upload_refusal(self, response: httpx.Response) -> DvcError:
        """An upload answer other than success as the exception its caller acts on."""
        status = response.status_code
        if status >= 400 and status < 500 and status != 401:
            problem = self._refuse(response)
            if status in (404, 410):
                code = problem.code if problem.code.startswith("upload.") else "upload.expired"
                return UploadGoneError(code, status=status, title=problem.params["title"])
            if status == 409:
                value = response.headers.get("Upload-Offset")
                offset = int(value) if value is not None and value.isdigit() else None
                code = problem.code if problem.code.startswith("upload.") else "upload.conflict"
                return OffsetMismatchError(code, offset=offset, title=problem.params["title"])
            if status == 422:
                return ChecksumMismatchError("upload.checksum_mismatch", **problem.params)
            return problem
        return TransientError(E_BAD_RESPONSE, url=self.base_url, detail=f"status {status}")
