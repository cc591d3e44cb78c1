"""tus 1.0 core uploads: HEAD tells the durable offset, PATCH appends from it.

Bytes are streamed to `<data>/uploads/<id>.part` chunk by chunk and fsynced before the
new offset is stored and reported. When the connection breaks, the bytes that arrived
are kept. A file that reaches its declared length is hashed; a SHA-256 mismatch answers
422 and resets the upload to offset 0.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request, Response
from sqlalchemy import Connection, select, update
from starlette.requests import ClientDisconnect

from desktop.portal.contract import TUS_VERSION, UPLOAD_MEDIA_TYPE, FileManifestEntry, UploadTarget
from portal_sandbox import store as t
from portal_sandbox.auth import Account
from portal_sandbox.faults import DROP_FLAG
from portal_sandbox.problems import ProblemError
from portal_sandbox.receiver import DurableWriter
from portal_sandbox.state import Sandbox, get_sandbox
from portal_sandbox.tus import CHECKSUM_ALGORITHMS

router = APIRouter()
SandboxDep = Annotated[Sandbox, Depends(get_sandbox)]
TUS_HEADERS = {"Tus-Resumable": TUS_VERSION, "Cache-Control": "no-store"}


def part_path(sandbox: Sandbox, upload_id: str) -> Path:
    return sandbox.config.uploads / f"{upload_id}.part"


def create_uploads(
    conn: Connection,
    sandbox: Sandbox,
    uuid: str,
    supplement_id: str | None,
    files: list[FileManifestEntry],
) -> None:
    """Rows for every file of a manifest, each with its own upload id and expiry."""
    expires = sandbox.config.now() + timedelta(seconds=sandbox.config.upload_ttl)
    for entry in files:
        conn.execute(
            t.uploads.insert().values(
                id=secrets.token_hex(16),
                dossier_uuid=uuid,
                supplement_id=supplement_id,
                file_id=entry.file_id,
                name=entry.name,
                size=entry.size,
                sha256=entry.sha256,
                media_type=entry.media_type,
                component_code=entry.component_code,
                offset=0,
                complete=False,
                expires_at=expires,
            )
        )


def renew_expired(conn: Connection, sandbox: Sandbox, uuid: str, supplement_id: str | None) -> None:
    """On an identical replay, expired incomplete uploads start again from zero."""
    now = sandbox.config.now()
    rows = conn.execute(_uploads_of(uuid, supplement_id)).all()
    for row in rows:
        if not row.complete and row.expires_at <= now:
            part_path(sandbox, row.id).unlink(missing_ok=True)
            conn.execute(
                update(t.uploads)
                .where(t.uploads.c.id == row.id)
                .values(offset=0, expires_at=now + timedelta(seconds=sandbox.config.upload_ttl))
            )


def _uploads_of(uuid: str, supplement_id: str | None) -> Any:
    query = select(t.uploads).where(t.uploads.c.dossier_uuid == uuid)
    if supplement_id is None:
        return query.where(t.uploads.c.supplement_id.is_(None)).order_by(t.uploads.c.file_id)
    return query.where(t.uploads.c.supplement_id == supplement_id).order_by(t.uploads.c.file_id)


def upload_targets(
    conn: Connection, uuid: str, supplement_id: str | None, base: str
) -> list[UploadTarget]:
    return [
        UploadTarget(
            file_id=row.file_id,
            upload_url=f"{base}/v1/uploads/{row.id}",
            offset=row.offset,
            length=row.size,
            complete=row.complete,
            expires_at=None if row.complete else row.expires_at,
        )
        for row in conn.execute(_uploads_of(uuid, supplement_id)).all()
    ]


def _own_upload(conn: Connection, sandbox: Sandbox, upload_id: str, account: int) -> Any:
    row = conn.execute(
        select(t.uploads, t.dossiers.c.account_id)
        .join(t.dossiers, t.dossiers.c.uuid == t.uploads.c.dossier_uuid)
        .where(t.uploads.c.id == upload_id)
    ).first()
    if row is None or row.account_id != account:
        raise ProblemError(404, "upload.not_found", "No such upload", headers=TUS_HEADERS)
    if not row.complete and row.expires_at <= sandbox.config.now():
        raise ProblemError(
            410,
            "upload.expired",
            "The upload expired; PUT the dossier again to renew it",
            headers=TUS_HEADERS,
        )
    return row


@router.head("/v1/uploads/{upload_id}", name="head_upload", status_code=200)
def head_upload(upload_id: str, account: Account, sandbox: SandboxDep) -> Response:
    """Upload-Offset = bytes made durable; Upload-Length = the declared size."""
    with sandbox.store.begin() as conn:
        row = _own_upload(conn, sandbox, upload_id, account)
    headers = {
        **TUS_HEADERS,
        "Upload-Offset": str(row.offset),
        "Upload-Length": str(row.size),
    }
    if not row.complete:
        headers["Upload-Expires"] = _http_date(row.expires_at)
    return Response(status_code=200, headers=headers)


def _http_date(moment: datetime) -> str:
    from email.utils import format_datetime

    return format_datetime(moment, usegmt=True)


@router.patch(
    "/v1/uploads/{upload_id}",
    name="patch_upload",
    status_code=204,
    responses={
        409: {"description": "Upload-Offset is not the server's offset"},
        410: {"description": "upload expired"},
        413: {"description": "more bytes than the declared length"},
        422: {"description": "SHA-256 mismatch at completion; the upload was reset"},
    },
)
async def patch_upload(
    *,
    upload_id: str,
    request: Request,
    account: Account,
    sandbox: SandboxDep,
    upload_offset: Annotated[int, Header(alias="Upload-Offset", ge=0)],
    content_type: Annotated[str, Header(alias="Content-Type")],
    content_length: Annotated[int | None, Header(alias="Content-Length", ge=0)] = None,
    upload_checksum: Annotated[str | None, Header(alias="Upload-Checksum")] = None,
) -> Response:
    """Append the body at Upload-Offset; answers 204 with the new Upload-Offset."""
    if content_type.split(";")[0].strip() != UPLOAD_MEDIA_TYPE:
        raise ProblemError(
            415,
            "upload.bad_media_type",
            f"Send the bytes as {UPLOAD_MEDIA_TYPE}",
            headers=TUS_HEADERS,
        )
    checksum = _checksum_header(upload_checksum)
    with sandbox.store.begin() as conn:
        known = _own_upload(conn, sandbox, upload_id, account)
    # tus: a busy upload is answered with its (durable) offset.
    busy = {**TUS_HEADERS, "Upload-Offset": str(known.offset)}
    with sandbox.exclusive(f"upload:{upload_id}", "upload.busy", busy):
        with sandbox.store.begin() as conn:
            row = _own_upload(conn, sandbox, upload_id, account)
        if row.complete or upload_offset != row.offset:
            raise ProblemError(
                409,
                "upload.offset_mismatch",
                "Ask HEAD for the offset and resume from it",
                headers={**TUS_HEADERS, "Upload-Offset": str(row.offset)},
                offset=row.offset,
            )
        if content_length is not None and row.offset + content_length > row.size:
            raise ProblemError(
                413,
                "upload.too_large",
                "More bytes than the declared file size",
                headers=TUS_HEADERS,
                length=row.size,
            )
        written, outcome, chunk_digest = await _receive(sandbox, request, row, checksum)
        if checksum is not None and outcome == "done" and chunk_digest != checksum[1]:
            _discard_chunk(sandbox, row)
            raise ProblemError(
                460,
                "upload.chunk_checksum_mismatch",
                "Upload-Checksum does not match the bytes received; send them again",
                headers={**TUS_HEADERS, "Upload-Offset": str(row.offset)},
                offset=row.offset,
            )
        new_offset = row.offset + written
        with sandbox.store.begin() as conn:
            conn.execute(
                update(t.uploads).where(t.uploads.c.id == upload_id).values(offset=new_offset)
            )
        if outcome == "cut":
            request.scope[DROP_FLAG] = True
        elif outcome == "too_large":
            raise ProblemError(
                413,
                "upload.too_large",
                "More bytes than the declared file size",
                headers={**TUS_HEADERS, "Upload-Offset": str(new_offset)},
                length=row.size,
            )
        elif new_offset == row.size:
            _complete(sandbox, row)
    return Response(status_code=204, headers={**TUS_HEADERS, "Upload-Offset": str(new_offset)})


def _checksum_header(value: str | None) -> tuple[str, bytes] | None:
    """`Upload-Checksum: sha256 <base64>` (tus checksum extension) as (algorithm, digest)."""
    if value is None:
        return None
    algorithm, _, encoded = value.strip().partition(" ")
    if algorithm.lower() not in CHECKSUM_ALGORITHMS:
        raise ProblemError(
            400,
            "upload.checksum_algorithm",
            f"Upload-Checksum algorithms: {', '.join(CHECKSUM_ALGORITHMS)}",
            headers=TUS_HEADERS,
        )
    try:
        digest = base64.b64decode(encoded.strip(), validate=True)
    except (ValueError, binascii.Error):
        raise ProblemError(
            400, "upload.checksum_header", "Upload-Checksum is not base64", headers=TUS_HEADERS
        ) from None
    return algorithm.lower(), digest


def _discard_chunk(sandbox: Sandbox, row: Any) -> None:
    """Forget the bytes of a PATCH whose checksum failed: the offset stays where it was."""
    with part_path(sandbox, row.id).open("r+b") as out:
        out.truncate(row.offset)
    sandbox.hashers.pop(row.id, None)


async def _receive(
    sandbox: Sandbox, request: Request, row: Any, checksum: tuple[str, bytes] | None = None
) -> tuple[int, str, bytes | None]:
    """Stream the body into the part file from the stored offset; fsync before returning.

    A writing and a hashing thread (`DurableWriter`) keep up while the event loop
    reads the socket; the fsync overlaps the end of the hashing.
    """
    path = part_path(sandbox, row.id)
    digest = _hasher_at(sandbox, path, row.id, row.offset)
    cut = sandbox.faults.take_patch_cut()
    chunk_hash = hashlib.new(checksum[0]) if checksum is not None else None
    room = row.size - row.offset
    written = 0
    outcome = "done"
    with path.open("r+b" if path.exists() else "w+b") as out:
        # Bytes past the stored offset were never reported durable: drop them.
        out.truncate(row.offset)
        out.seek(row.offset)
        writer = DurableWriter(out, digest)
        try:
            async for chunk in request.stream():
                if cut is not None and written + len(chunk) >= cut:
                    writer.put(chunk[: cut - written])
                    written = cut
                    outcome = "cut"
                    break
                if written + len(chunk) > room:
                    outcome = "too_large"
                    break
                writer.put(chunk)
                if chunk_hash is not None:
                    chunk_hash.update(chunk)
                written += len(chunk)
        except ClientDisconnect:
            outcome = "disconnected"
        finally:
            writer.finish()  # written, fsynced and hashed
    sandbox.hashers[row.id] = (row.offset + written, digest)
    return written, outcome, (chunk_hash.digest() if chunk_hash is not None else None)


def _hasher_at(sandbox: Sandbox, path: Path, upload_id: str, offset: int) -> Any:
    """SHA-256 state of the first `offset` bytes: kept between PATCHes, rebuilt if lost."""
    cached = sandbox.hashers.pop(upload_id, None)
    if cached is not None and cached[0] == offset:
        return cached[1]
    digest = hashlib.sha256()
    if offset:
        with path.open("rb") as source:
            left = offset
            while left:
                block = source.read(min(1 << 20, left))
                if not block:
                    break
                digest.update(block)
                left -= len(block)
    return digest


def _complete(sandbox: Sandbox, row: Any) -> None:
    path = part_path(sandbox, row.id)
    digest = _hasher_at(sandbox, path, row.id, row.size)
    if digest.hexdigest() != row.sha256:
        path.unlink(missing_ok=True)
        with sandbox.store.begin() as conn:
            conn.execute(update(t.uploads).where(t.uploads.c.id == row.id).values(offset=0))
        raise ProblemError(
            422,
            "upload.checksum_mismatch",
            "The file's SHA-256 differs from the manifest; it was reset, upload it again",
            headers={**TUS_HEADERS, "Upload-Offset": "0"},
            expected=row.sha256,
            actual=digest.hexdigest(),
        )
    with sandbox.store.begin() as conn:
        conn.execute(update(t.uploads).where(t.uploads.c.id == row.id).values(complete=True))
        if row.supplement_id is not None:
            receive_supplement(conn, sandbox, row.dossier_uuid, row.supplement_id)
        sandbox.touch(conn, row.dossier_uuid)


def receive_supplement(conn: Connection, sandbox: Sandbox, uuid: str, supplement_id: str) -> None:
    """The last file of a supplement arrived: the officer can go on processing."""
    pending = conn.execute(
        _uploads_of(uuid, supplement_id).where(t.uploads.c.complete.is_(False))
    ).first()
    if pending is not None:
        return
    mine = (t.supplements.c.id == supplement_id, t.supplements.c.dossier_uuid == uuid)
    supplement = conn.execute(select(t.supplements).where(*mine)).one()
    conn.execute(update(t.supplements).where(*mine).values(state="received"))
    conn.execute(
        update(t.supplement_requests)
        .where(t.supplement_requests.c.id == supplement.request_id)
        .values(answered_by=supplement_id)
    )
    state = conn.execute(select(t.dossiers.c.state).where(t.dossiers.c.uuid == uuid)).scalar()
    if state == 5:
        sandbox.record_state(conn, uuid, 4, "Đã nhận hồ sơ bổ sung")
