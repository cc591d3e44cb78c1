"""A small tmpfs mounted for one test: a disk that fills up, or a read-only one.

Mounting needs root (the CI container and this machine run tests as root); elsewhere
the tests that need it are skipped with the reason.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


class SmallDisk:
    def __init__(self, mount: Path) -> None:
        self.mount = mount
        self._fill = mount / "fill"
        self._views: list[Path] = []

    def fill(self, leave: int = 0) -> None:
        """Take all free space but `leave` bytes."""
        free = shutil.disk_usage(self.mount).free - leave
        with self._fill.open("ab") as handle:
            while free > 0:
                chunk = min(free, 1024 * 1024)
                try:
                    handle.write(b"\0" * chunk)
                    handle.flush()
                except OSError:
                    break
                free -= chunk

    def free_up(self) -> None:
        self._fill.unlink(missing_ok=True)

    def read_only_view(self, folder: Path) -> Path:
        """`folder` seen through a read-only bind mount (as from a read-only share)."""
        view = self.mount.parent / f"{folder.name}-read-only"
        view.mkdir(exist_ok=True)
        subprocess.run(["mount", "--bind", str(folder), str(view)], check=True)
        self._views.append(view)
        subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], check=True)
        return view

    def release(self) -> None:
        for view in self._views:
            subprocess.run(["umount", "-l", str(view)], check=False)


@contextlib.contextmanager
def small_disk(where: Path, size: str = "4m") -> Iterator[SmallDisk]:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace')}")
    disk = SmallDisk(where)
    try:
        yield disk
    finally:
        disk.release()
        subprocess.run(["umount", "-l", str(where)], check=False)
