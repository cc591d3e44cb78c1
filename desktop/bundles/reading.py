"""Reading a bundle from a stick that may be hostile.

`open_bundle` reads only the small entries it needs (seeking over the data): the format
marker, the manifest and its signature, and refuses a bundle that is cut short, not a
bundle, of a newer format, holds an unsafe name, or whose signature does not match.
`entries` then reads every byte once, front to back: each header must be the canonical
one for the manifest's next entry, each entry's SHA-256 and size must match, padding and
end blocks must be zero and nothing may follow them. Nothing here writes anything; the
caller stages what it reads and installs it only after the last byte was checked.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.bundles import manifest as mf
from desktop.bundles.container import (
    BLOCK,
    CHUNK,
    END,
    PartsReader,
    header,
    padding,
    parse_header,
    parts_of,
    scan,
)
from desktop.bundles.errors import (
    E_BAD_SIGNATURE,
    E_DAMAGED,
    E_NEWER_FORMAT,
    E_NOT_A_BUNDLE,
    E_NOT_FOUND,
    E_TRUNCATED,
    E_UNREADABLE,
    E_UNSAFE_NAME,
)
from desktop.bundles.names import BUNDLE_JSON, MANIFEST, SIGNATURE, entry_problem
from desktop.errors import IntegrityError, UserError

MAX_JSON = 64 * 1024 * 1024  # a dossier's JSON; attachments are streamed, never read whole


@dataclass(frozen=True)
class Opened:
    """A bundle whose manifest signature holds; its data is not checked yet."""

    path: Path
    parts: tuple[Path, ...]
    manifest: mf.Manifest
    signature: bytes

    @property
    def size(self) -> int:
        return sum(p.stat().st_size for p in self.parts)


def _reader(path: Path) -> PartsReader:
    if not path.is_file():
        raise UserError(E_NOT_FOUND, path=str(path))
    try:
        return PartsReader(parts_of(path))
    except OSError as exc:
        raise UserError(E_UNREADABLE, path=str(path), detail=exc.strerror or exc) from exc


def _read_small(reader: PartsReader, offset: int, size: int, path: Path, name: str) -> bytes:
    if size > MAX_JSON:
        raise IntegrityError(E_DAMAGED, path=str(path), detail=f"mục {name} quá lớn")
    reader.seek(offset)
    data = reader.read(size)
    if len(data) < size:
        raise IntegrityError(E_TRUNCATED, path=str(path), detail=f"mục {name} không đủ dữ liệu")
    return data


def _index(reader: PartsReader, path: Path) -> dict[str, tuple[int, int]]:
    """Where each entry's data is: name → (offset, size); refuses unsafe or broken headers."""
    found: dict[str, tuple[int, int]] = {}
    for index, (name, size, offset) in enumerate(scan(reader)):
        if name is None:
            if index == 0:
                raise UserError(E_NOT_A_BUNDLE, path=str(path))
            raise IntegrityError(
                E_DAMAGED, path=str(path), detail=f"phần đầu của mục thứ {index + 1} hỏng"
            )
        problem = entry_problem(name)
        if problem is not None:
            raise IntegrityError(E_UNSAFE_NAME, path=str(path), name=name, reason=problem)
        if index == 0 and name != BUNDLE_JSON:
            raise UserError(E_NOT_A_BUNDLE, path=str(path))
        found[name] = (offset, size)
    if BUNDLE_JSON not in found:
        raise UserError(E_NOT_A_BUNDLE, path=str(path))
    return found


def open_bundle(path: Path) -> Opened:
    """The bundle at `path` (its first part) with a verified manifest signature."""
    reader = _reader(path)
    try:
        found = _index(reader, path)
        marker = _marker(_read_small(reader, *found[BUNDLE_JSON], path, BUNDLE_JSON), path)
        if marker > mf.VERSION:
            raise UserError(E_NEWER_FORMAT, path=str(path), version=marker, supported=mf.VERSION)
        if MANIFEST not in found or SIGNATURE not in found:
            raise IntegrityError(E_TRUNCATED, path=str(path), detail="không có manifest và chữ ký")
        raw = _read_small(reader, *found[MANIFEST], path, MANIFEST)
        signature = _read_small(reader, *found[SIGNATURE], path, SIGNATURE)
    except OSError as exc:
        raise UserError(E_UNREADABLE, path=str(path), detail=exc.strerror or exc) from exc
    finally:
        reader.close()
    try:
        manifest = mf.parse(raw)
    except mf.NewerFormatError as exc:
        raise UserError(
            E_NEWER_FORMAT, path=str(path), version=exc.version, supported=mf.VERSION
        ) from exc
    except mf.ManifestError as exc:
        raise IntegrityError(E_DAMAGED, path=str(path), detail=str(exc)) from exc
    if not mf.signature_valid(manifest, signature):
        raise IntegrityError(E_BAD_SIGNATURE, path=str(path))
    return Opened(path, tuple(reader.parts), manifest, signature)


def _marker(data: bytes, path: Path) -> int:
    try:
        marker = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise UserError(E_NOT_A_BUNDLE, path=str(path)) from exc
    if not isinstance(marker, dict) or marker.get("format") != mf.FORMAT:
        raise UserError(E_NOT_A_BUNDLE, path=str(path))
    version = marker.get("version")
    if not isinstance(version, int):
        raise UserError(E_NOT_A_BUNDLE, path=str(path))
    return version


class EntryStream:
    """The data of one entry: `read(n)` gives at most what is left of it."""

    def __init__(self, reader: PartsReader, size: int, *, hashed: bool) -> None:
        self._reader = reader
        self.left = size
        self.digest = hashlib.sha256() if hashed else None
        self.short = False

    def read(self, n: int = -1) -> bytes:
        wanted = self.left if n < 0 else min(n, self.left)
        if wanted <= 0:
            return b""
        data = self._reader.read(wanted)
        if len(data) < wanted:
            self.short = True
        self.left -= len(data)
        if self.digest is not None:
            self.digest.update(data)
        return data

    def drain(self) -> None:
        while self.left and not self.short:
            self.read(CHUNK)


@dataclass(frozen=True)
class Item:
    """One entry being read: JSON entries are parsed, attachments come as a stream."""

    entry: mf.Entry
    stream: EntryStream


def entries(opened: Opened) -> Iterator[Item]:
    """Each data entry in archive order, checked as described above.

    The consumer reads (or stages) each item's stream; when it returns for the next one
    the entry's size and, for non-attachments, its SHA-256 are checked here. The
    consumer checks an attachment's SHA-256 itself (the store hashes while staging).
    Raises IntegrityError at the first problem.
    """
    path = opened.path
    manifest = opened.manifest
    reader = PartsReader(list(opened.parts))
    expected = [
        *manifest.entries,
        mf.Entry(MANIFEST, len(manifest.raw), manifest.sha256),
        mf.Entry(SIGNATURE, len(opened.signature), hashlib.sha256(opened.signature).hexdigest()),
    ]
    try:
        for entry in expected:
            _check_header(reader.read(BLOCK), entry, manifest.mtime, path)
            stream = EntryStream(reader, entry.size, hashed=not entry.name.startswith("attach"))
            if entry.name in (MANIFEST, SIGNATURE):
                stream.read()
            else:
                yield Item(entry, stream)
            stream.drain()
            if stream.short:
                raise IntegrityError(
                    E_TRUNCATED, path=str(path), detail=f"mục {entry.name} không đủ dữ liệu"
                )
            if stream.digest is not None and stream.digest.hexdigest() != entry.sha256:
                raise IntegrityError(
                    E_DAMAGED, path=str(path), detail=f"mục {entry.name} khác với manifest"
                )
            pad = reader.read(padding(entry.size))
            if len(pad) < padding(entry.size):
                raise IntegrityError(E_TRUNCATED, path=str(path), detail="thiếu phần đệm")
            if pad.strip(b"\0"):
                raise IntegrityError(E_DAMAGED, path=str(path), detail=f"phần đệm sau {entry.name}")
        tail = reader.read(len(END))
        if len(tail) < len(END):
            raise IntegrityError(E_TRUNCATED, path=str(path), detail="thiếu khối kết thúc")
        if tail != END or reader.read(1):
            raise IntegrityError(E_DAMAGED, path=str(path), detail="có dữ liệu lạ sau cuối gói")
    except OSError as exc:
        raise UserError(E_UNREADABLE, path=str(path), detail=exc.strerror or exc) from exc
    finally:
        reader.close()


def _check_header(block: bytes, entry: mf.Entry, mtime: int, path: Path) -> None:
    if len(block) < BLOCK:
        raise IntegrityError(E_TRUNCATED, path=str(path), detail=f"thiếu mục {entry.name}")
    if block == header(entry.name, entry.size, mtime):
        return
    parsed = parse_header(block)
    if parsed is not None:
        problem = entry_problem(parsed[0])
        if problem is not None:
            raise IntegrityError(E_UNSAFE_NAME, path=str(path), name=parsed[0], reason=problem)
    raise IntegrityError(E_DAMAGED, path=str(path), detail=f"phần đầu của mục {entry.name}")


def load_json(item: Item, path: Path) -> Any:
    """The parsed JSON of a small entry (its hash is checked when the next one is read)."""
    if item.entry.size > MAX_JSON:
        raise IntegrityError(E_DAMAGED, path=str(path), detail=f"mục {item.entry.name} quá lớn")
    data = item.stream.read()
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise IntegrityError(
            E_DAMAGED, path=str(path), detail=f"mục {item.entry.name} không đọc được"
        ) from exc
