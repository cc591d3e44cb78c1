"""Hostile sticks: rewrite a bundle's entries the way an attacker or a broken copy would."""

from __future__ import annotations

import tarfile
from collections.abc import Callable
from pathlib import Path

from desktop.bundles.container import END, header, padding

Entries = list[tuple[str, bytes]]


def read_entries(path: Path) -> tuple[Entries, int]:
    """The (name, data) of every entry of a one-part bundle, and its headers' mtime."""
    with tarfile.open(path, "r:") as archive:
        members = archive.getmembers()
        entries = []
        for member in members:
            handle = archive.extractfile(member)
            assert handle is not None
            entries.append((member.name, handle.read()))
        return entries, int(members[0].mtime)


def write_entries(path: Path, entries: Entries, mtime: int) -> None:
    """A bundle holding `entries` in this order, with dvc-desk's headers (any name goes)."""
    with path.open("wb") as out:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), mtime, 0o644
            try:
                out.write(header(name, len(data), mtime))
            except ValueError:
                out.write(info.tobuf(tarfile.GNU_FORMAT, "utf-8", "strict"))
            out.write(data + b"\0" * padding(len(data)))
        out.write(END)


def rewrite(source: Path, target: Path, change: Callable[[Entries], Entries]) -> Path:
    entries, mtime = read_entries(source)
    write_entries(target, change(entries), mtime)
    return target
