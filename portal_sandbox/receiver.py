"""A request body to disk: written as it arrives, hashed beside it, fsynced at the end.

Both the tus PATCH handler and the benchmark's raw sink receive through `DurableWriter`,
so the upload benchmark compares the protocols, not two ways of storing bytes.
"""

from __future__ import annotations

import os
import queue
import threading
from typing import Any, Protocol

# Pieces the hashing thread may lag behind (the loop hands over up to 256 KiB at a
# time): enough to ride out a busy moment without holding a whole upload in memory.
_QUEUED = 256


class _File(Protocol):
    def write(self, data: bytes, /) -> int: ...
    def flush(self) -> None: ...
    def fileno(self) -> int: ...


class DurableWriter:
    """Each piece is written to `out` at once and, when a `digest` is given, hashed in a
    thread of its own, in order; `finish()` returns once everything is fsynced and hashed.

    Measured on 100 MiB over loopback (docs/portal-api.md, Upload throughput): writing
    into the page cache on the event loop, as the plain sink always did, is faster than
    handing pieces to a writing thread; hashing is the one slow step (about 50 ms of CPU
    per 100 MiB), so it gets the thread, and the final fsync runs while it catches up.
    hashlib releases the GIL on pieces this size.
    """

    def __init__(self, out: _File, digest: Any | None = None) -> None:
        self._out = out
        self._error: BaseException | None = None
        self._queue: queue.Queue[bytes | None] | None = None
        self._thread: threading.Thread | None = None
        if digest is not None:
            self._queue = queue.Queue(maxsize=_QUEUED)
            self._thread = threading.Thread(
                target=self._hash, args=(digest,), name="upload-hasher", daemon=True
            )
            self._thread.start()

    def _hash(self, digest: Any) -> None:
        assert self._queue is not None
        while (piece := self._queue.get()) is not None:
            try:
                digest.update(piece)
            except BaseException as exc:  # handed to the request's thread by finish()
                self._error = exc
                break
        # After a failure, keep taking pieces so that `put` never blocks for good.
        while self._error is not None and self._queue.get() is not None:
            pass

    def put(self, piece: bytes) -> None:
        """Write a piece and queue it for hashing (blocks while the hash lags far behind)."""
        self._out.write(piece)
        if self._queue is not None:
            self._queue.put(piece)

    def finish(self) -> None:
        """Flush and fsync what was put, wait for its hash; raise an error of either."""
        try:
            if self._queue is not None:
                self._queue.put(None)
            self._out.flush()
            os.fsync(self._out.fileno())  # while the hashing thread catches up
        finally:
            if self._thread is not None:
                self._thread.join()
        if self._error is not None:
            raise self._error
