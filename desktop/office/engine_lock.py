""" "An engine is open on this data dir": a lock file that every process building a
sync engine holds (shared) until it ends, so that `db migrate-to` (exclusive) can
refuse to move a queue that is being delivered. The OS drops the lock of a process
that dies, so a crash never leaves a stale "running" behind.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import IO

from desktop.errors import UserError, define

LOCK_FILE = "engine.lock"

E_MOVING = define(
    "office.workspace_moving",
    vi=(
        "Dữ liệu của máy này đang được chuyển sang máy chủ (dvc-desk db migrate-to) nên "
        "chưa gửi hồ sơ được. Hãy chờ việc chuyển xong rồi mở lại dvc-desk."
    ),
    en=(
        "This PC's data is being moved to the server (dvc-desk db migrate-to), so nothing "
        "can be sent now. Wait until the move is done, then open dvc-desk again."
    ),
)

_held: dict[Path, IO[bytes]] = {}
_guard = threading.Lock()


def _lock(handle: IO[bytes], *, exclusive: bool) -> bool:
    if sys.platform == "win32":  # one byte, exclusive either way
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    try:
        fcntl.flock(handle.fileno(), mode | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def hold(root: Path) -> None:
    """Mark an engine open on `root` for the rest of this process (idempotent)."""
    key = root.resolve()
    with _guard:
        if key in _held:
            return
        try:
            handle = (key / LOCK_FILE).open("a+b")
        except OSError:
            return  # a read-only data dir: nothing can be moved from it either
        if not _lock(handle, exclusive=False):
            handle.close()
            raise UserError(E_MOVING)
        _held[key] = handle


def release(root: Path) -> None:
    """Drop this process's mark (tests; an app closing its engine for good)."""
    with _guard:
        handle = _held.pop(root.resolve(), None)
    if handle is not None:
        handle.close()


class Exclusive:
    """Held while a workspace is moved: no engine is open and none can start."""

    def __init__(self, root: Path) -> None:
        self._path = root / LOCK_FILE
        self._handle: IO[bytes] | None = None

    def acquire(self) -> bool:
        handle = self._path.open("a+b")
        if not _lock(handle, exclusive=True):
            handle.close()
            return False
        self._handle = handle
        return True

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
