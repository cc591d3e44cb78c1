"""The one way the app replaces a file: the old content or the new, whole, after a power cut.

A temp file beside the target (same folder, so the rename never crosses file systems;
`mkstemp`, so it is private to the user: mode 0600, as every copy before it), written,
flushed and fsynced, renamed over the target, then the folder is fsynced so the rename
itself survives. On any failure the temp file is removed and the target is untouched.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

# Folders whose file system cannot fsync a directory answer with these; anything else
# (EIO: the disk failed) is raised.
_UNSUPPORTED = {errno.EINVAL, errno.ENOTSUP}


def fsync_dir(directory: Path) -> None:
    """Make a rename (or a new entry) in `directory` durable. Windows has no directory
    handles to fsync; a file system that cannot do it is left as it is."""
    if os.name == "nt":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError as exc:
        if exc.errno in _UNSUPPORTED:
            return
        raise
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _UNSUPPORTED:
            raise
    finally:
        os.close(fd)


def temp_prefix(name: str) -> str:
    """A short prefix for temp files of `name`: a hash, so a 255-byte name (or one that
    is not UTF-8) still leaves room for the temp file's own name."""
    return f".{hashlib.sha256(os.fsencode(name)).hexdigest()[:12]}."


def temp_beside(
    path: Path, *, prefix: str | None = None, suffix: str = ".part"
) -> tuple[int, Path]:
    """A new private temp file in the folder of `path` (its descriptor and path); named
    `prefix`… when the caller's housekeeping knows that name, else from `path`."""
    folder = path.parent
    fd, name = tempfile.mkstemp(prefix=prefix or temp_prefix(path.name), suffix=suffix, dir=folder)
    return fd, Path(name)


def publish(temp: Path, path: Path) -> None:
    """Rename the written and fsynced `temp` over `path`, and make the rename durable."""
    temp.replace(path)
    fsync_dir(path.parent)


@contextlib.contextmanager
def atomic_output(
    path: Path, *, prefix: str | None = None, suffix: str = ".part"
) -> Iterator[BinaryIO]:
    """A binary handle on a temp file that becomes `path` when the block ends well."""
    fd, temp = temp_beside(path, prefix=prefix, suffix=suffix)
    try:
        with os.fdopen(fd, "w+b") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        publish(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_path(path: Path, *, suffix: str = ".part") -> Iterator[Path]:
    """A temp path beside `path` for libraries that write by name; renamed on success."""
    fd, temp = temp_beside(path, suffix=suffix)
    os.close(fd)
    try:
        yield temp
        with temp.open("rb+") as handle:
            os.fsync(handle.fileno())
        publish(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_atomically(path: Path, data: bytes, *, make_folder: bool = False) -> None:
    """Replace `path` with `data`; `make_folder` creates its folder first."""
    if make_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(path) as handle:
        handle.write(data)


def copy_atomically(
    source: Path, path: Path, *, prefix: str | None = None, suffix: str = ".part"
) -> None:
    """Replace `path` with a copy of `source`."""
    with atomic_output(path, prefix=prefix, suffix=suffix) as handle, source.open("rb") as original:
        shutil.copyfileobj(original, handle, 1024 * 1024)
