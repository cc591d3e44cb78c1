"""The one atomic-write helper (issue #19 item 4): desktop/atomic.py."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from desktop import atomic


def test_replaces_whole_and_private(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    target.write_bytes(b"old")
    atomic.write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # mkstemp's mode, as before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


def test_a_failure_keeps_the_old_content_and_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic.atomic_output(target) as handle:
        handle.write(b"half")
        raise RuntimeError("cut")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_file_then_folder_are_fsynced_before_and_after_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.bin"
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, Path.replace

    def fsync(fd: int) -> None:
        calls.append("dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    def replace(self: Path, other: Path) -> Path:
        calls.append("rename")
        return real_replace(self, other)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(Path, "replace", replace)
    atomic.copy_atomically(Path(__file__), target, prefix=".signing-", suffix=".pdf")
    assert calls == ["file", "rename", "dir"]
    assert target.read_bytes() == Path(__file__).read_bytes()


def test_the_prefix_housekeeping_knows_is_kept(tmp_path: Path) -> None:
    fd, temp = atomic.temp_beside(tmp_path / "x.pdf", prefix=".signing-", suffix=".pdf")
    os.close(fd)
    assert temp.name.startswith(".signing-") and temp.suffix == ".pdf"
    assert temp.parent == tmp_path


def test_a_long_name_leaves_room_for_the_temp_name(tmp_path: Path) -> None:
    target = tmp_path / ("đ" * 126 + ".p")  # 254 bytes: no room for a suffix after it
    with atomic.atomic_path(target) as temp:
        temp.write_bytes(b"x")
    assert target.read_bytes() == b"x"


@pytest.mark.skipif(os.name == "nt", reason="no directory fsync on Windows")
def test_fsync_dir_raises_a_disk_error_and_skips_an_unsupported_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(code: int):  # type: ignore[no-untyped-def]
        def fsync(_fd: int) -> None:
            raise OSError(code, os.strerror(code))

        return fsync

    monkeypatch.setattr(os, "fsync", failing(errno.EINVAL))
    atomic.fsync_dir(tmp_path)  # a file system that cannot: left as it is
    monkeypatch.setattr(os, "fsync", failing(errno.EIO))
    with pytest.raises(OSError) as caught:
        atomic.fsync_dir(tmp_path)
    assert caught.value.errno == errno.EIO
