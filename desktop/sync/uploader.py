"""Upload of one file: tus-style PATCH pieces from the portal's offset, or the whole file
in one request when the portal's adapter cannot resume (`capabilities.resumable_upload`).

Each PATCH carries at most `piece` bytes, so a broken connection costs at most one
piece (the portal keeps what reached it and reports it with HEAD). After a cut the
uploader asks HEAD at once and goes on: a link that drops every minute still moves
forward. Every new offset is committed before the next piece is read.

Before each piece the caller's guard may stop the upload (`ItemLeftQueueError`: the clerk
withdrew the item, so no further byte goes out) or commit an intent (the piece that
completes a supplement makes the portal take it).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from desktop.attachments.store import BlobStore
from desktop.errors import TransientError
from desktop.portal.adapter import PortalAdapter
from desktop.portal.errors import (
    ChecksumMismatchError,
    OffsetMismatchError,
    PortalUnreachableError,
)
from desktop.sync.crash import crash_point
from desktop.sync.failures import E_FILE_REJECTED, E_OFFLINE, NeedsPersonError

log = logging.getLogger(__name__)

PIECE = 512 * 1024
MAX_STALLS = 8  # answers in a row without progress before the engine backs off


@dataclass(frozen=True)
class FileTarget:
    """One file to upload and where it stands."""

    row_id: int
    file_id: str
    name: str
    sha256: str
    size: int
    upload_url: str
    offset: int


# (row_id, new offset, complete, bytes re-sent in this step)
OffsetSink = Callable[[int, int, bool, int], None]
# Called before each piece is sent with (file, offset, piece size); raises ItemLeftQueueError
# to stop the upload before the piece.
PieceGuard = Callable[[FileTarget, int, int], None]


class ItemLeftQueueError(Exception):
    """The item was withdrawn (or stopped) while its files were being sent: stop now."""


class Uploader:
    def __init__(
        self,
        portal: PortalAdapter,
        store: BlobStore,
        piece: int = PIECE,
        pause: Callable[[float], None] = time.sleep,
    ) -> None:
        self.portal = portal
        self.store = store
        self.piece = piece
        self.pause = pause

    def upload(
        self, target: FileTarget, commit: OffsetSink, guard: PieceGuard | None = None
    ) -> None:
        """Send the file from the portal's offset to the end (UploadGoneError: PUT again).

        A cut (PortalUnreachableError) is answered with HEAD at once; if HEAD fails too the
        error goes up and the engine waits for the link. `guard` runs before every piece
        (ItemLeftQueueError from it ends the upload with nothing more sent).
        """
        if not self.portal.capabilities.resumable_upload:
            self._send_whole(target, commit, guard)
            return
        offset, high = target.offset, target.offset
        stalls = 0
        rejected = False
        with self.store.open(target.sha256) as source:
            while offset < target.size:
                size = min(self.piece, target.size - offset)
                if guard is not None:
                    guard(target, offset, size)
                source.seek(offset)
                data = source.read(size)
                resent = max(0, min(high, offset + size) - offset)
                high = max(high, offset + size)
                try:
                    new = self.portal.patch_upload(target.upload_url, offset, data)
                except PortalUnreachableError:
                    # What reached the portal is unknown: ask, then go on from there.
                    new = self.portal.upload_state(target.upload_url).offset
                except OffsetMismatchError as exc:
                    new = (
                        exc.offset
                        if exc.offset is not None
                        else self.portal.upload_state(target.upload_url).offset
                    )
                except ChecksumMismatchError as exc:
                    self._check_local(source, target)
                    if rejected:
                        raise NeedsPersonError(
                            "file_rejected", E_FILE_REJECTED, name=target.name, detail=exc.code
                        ) from exc
                    rejected = True  # only this file again, once, from zero
                    new = 0
                    high = 0
                crash_point("patch.sent")
                stalls = stalls + 1 if new <= offset else 0
                if stalls >= MAX_STALLS:
                    raise TransientError(E_OFFLINE, detail="no progress")
                if stalls:
                    # The portal may still be closing the cut request (it answers "busy"
                    # and reports an old offset): give it a moment, not a full back-off.
                    self.pause(min(1.0, 0.05 * 2**stalls))
                commit(target.row_id, new, new >= target.size, resent)
                offset = new

    def _send_whole(self, target: FileTarget, commit: OffsetSink, guard: PieceGuard | None) -> None:
        """A portal without resumable uploads: the file goes up in one request, from the
        start. A cut costs the whole file; the portal keeps nothing of a broken one."""
        if target.offset >= target.size:
            return
        if guard is not None:
            guard(target, 0, target.size)
        rejected = False
        with self.store.open(target.sha256) as source:
            while True:
                try:
                    self.portal.send_file(
                        target.upload_url, source, target.size, target.sha256, target.name
                    )
                except ChecksumMismatchError as exc:
                    self._check_local(source, target)
                    if rejected:
                        raise NeedsPersonError(
                            "file_rejected", E_FILE_REJECTED, name=target.name, detail=exc.code
                        ) from exc
                    rejected = True
                    continue
                break
        crash_point("patch.sent")
        commit(target.row_id, target.size, True, 0)

    @staticmethod
    def _check_local(source: BinaryIO, target: FileTarget) -> None:
        """A mismatch may be our disk's fault: verify the blob before sending it again."""
        digest = hashlib.sha256()
        source.seek(0)
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
        if digest.hexdigest() != target.sha256:
            raise NeedsPersonError(
                "file_rejected", E_FILE_REJECTED, name=target.name, detail="local file damaged"
            )
