"""The container: a plain ustar archive split into parts of at most `part_size` bytes.

Why tar (docs/bundles.md): it is written and read front to back (a 2 GB bundle streams
through a 1 MiB buffer both ways, and the parts of a bundle split for a FAT32 stick are
read as one stream), any `tar` lists it, and its layout is simple enough to check every
byte. Every header is *canonical* (rebuilt from the signed manifest's name and size and
compared byte for byte), every padding byte and the end blocks must be zero and the file
must end right after them; entry data is covered by its SHA-256 in the signed manifest.
So one byte changed anywhere is found.
"""

from __future__ import annotations

import os
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from desktop.atomic import fsync_dir
from desktop.bundles.names import part_name

BLOCK = 512
END = b"\0" * (2 * BLOCK)
CHUNK = 1024 * 1024
PART_LIMIT = 4 * 1024**3 - 1  # the largest file a FAT32 stick can hold


def header(name: str, size: int, mtime: int) -> bytes:
    """The one header dvc-desk writes for an entry (ustar, regular file, no owner)."""
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, mtime, 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info.tobuf(tarfile.USTAR_FORMAT, "utf-8", "strict")


def padding(size: int) -> int:
    return -size % BLOCK


def parse_header(block: bytes) -> tuple[str, int] | None:
    """(name, size) of a header block; None when its checksum or fields are broken."""
    try:
        info = tarfile.TarInfo.frombuf(block, "utf-8", "strict")
    except (tarfile.HeaderError, UnicodeDecodeError, ValueError):
        return None
    if info.type not in (tarfile.REGTYPE, tarfile.AREGTYPE):
        return None
    return info.name, info.size


class PartsWriter:
    """Bytes written across `NAME.dvcb`, `NAME.dvcb.002`, ... each at most `part_size`.

    Parts are written under hidden `.partial` names and renamed only by `commit()`, after
    each was fsynced: a copy cut short never leaves a file that looks like a bundle.
    """

    def __init__(self, target: Path, part_size: int = PART_LIMIT) -> None:
        self.target = target
        self.part_size = part_size
        self._temps: list[Path] = []
        self._file: BinaryIO | None = None
        self._in_part = 0

    def _temp(self, index: int) -> Path:
        return self.target.with_name(f".{part_name(self.target.name, index)}.partial")

    def _next_part(self) -> BinaryIO:
        self._close_part()
        temp = self._temp(len(self._temps) + 1)
        self._temps.append(temp)
        self._file = temp.open("wb")
        self._in_part = 0
        return self._file

    def _close_part(self) -> None:
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            self._file = None

    def write(self, data: bytes | memoryview) -> None:
        view = memoryview(data)
        while view:
            out = self._file
            if out is None or self._in_part >= self.part_size:
                out = self._next_part()
            room = self.part_size - self._in_part
            piece = view[:room]
            out.write(piece)
            self._in_part += len(piece)
            view = view[len(piece) :]

    def commit(self) -> list[Path]:
        """Make the parts the bundle: fsync, rename into place, drop stale later parts."""
        self._close_part()
        name = self.target.name
        finals = [self.target.with_name(part_name(name, i + 1)) for i in range(len(self._temps))]
        stale = len(finals) + 1
        while (extra := self.target.with_name(part_name(self.target.name, stale))).exists():
            extra.unlink()
            stale += 1
        for temp, final in reversed(list(zip(self._temps, finals, strict=True))):
            temp.replace(final)
        fsync_dir(self.target.parent)
        return finals

    def abort(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        for temp in self._temps:
            temp.unlink(missing_ok=True)


def parts_of(first: Path) -> list[Path]:
    """The files of the bundle whose first part is `first`, in order."""
    found = [first]
    while (following := first.with_name(part_name(first.name, len(found) + 1))).exists():
        found.append(following)
    return found


class PartsReader:
    """The parts of a bundle read as one stream; seekable."""

    def __init__(self, parts: list[Path]) -> None:
        self.parts = parts
        self.sizes = [p.stat().st_size for p in parts]
        self.size = sum(self.sizes)
        self._index = 0
        self._file: BinaryIO = parts[0].open("rb")
        self._pos = 0  # absolute

    def _open(self, index: int) -> None:
        if index != self._index:
            self._file.close()
            self._file = self.parts[index].open("rb")
            self._index = index

    def seek(self, pos: int) -> None:
        start = 0
        for index, size in enumerate(self.sizes):
            if pos < start + size or index == len(self.sizes) - 1:
                self._open(index)
                self._file.seek(pos - start)
                self._pos = pos
                return
            start += size

    def tell(self) -> int:
        return self._pos

    def read(self, n: int) -> bytes:
        """Up to `n` bytes; fewer only at the end of the last part."""
        pieces: list[bytes] = []
        while n > 0:
            data = self._file.read(n)
            if not data:
                if self._index + 1 >= len(self.parts):
                    break
                self._open(self._index + 1)
                self._file.seek(0)
                continue
            pieces.append(data)
            n -= len(data)
            self._pos += len(data)
        return b"".join(pieces)

    def readinto(self, buffer: memoryview) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._file.close()


def scan(reader: PartsReader) -> Iterator[tuple[str | None, int, int]]:
    """(name or None for a broken header, size, data offset) of each entry, seeking over
    the data; stops at the end blocks or at the end of the stream."""
    pos = 0
    reader.seek(0)
    while pos + BLOCK <= reader.size:
        reader.seek(pos)
        block = reader.read(BLOCK)
        if block == b"\0" * BLOCK:
            return
        parsed = parse_header(block)
        if parsed is None:
            yield None, 0, pos
            return
        name, size = parsed
        yield name, size, pos + BLOCK
        pos += BLOCK + size + padding(size)
