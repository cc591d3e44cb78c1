from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.attachments import store as store_module
from desktop.attachments.store import BlobStore
from desktop.errors import IntegrityError, UserError
from desktop.progress import CancelToken, Progress
from desktop.storage import models
from desktop.workspace import Workspace

from .samples import EXE_HEAD, HTML_PAGE, image_bytes, pdf_bytes, write


def _rows(workspace: Workspace) -> int:
    with workspace.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(models.Blob)) or 0)


def _blob_files(workspace: Workspace) -> list[Path]:
    return [p for p in workspace.paths.blobs.rglob("*") if p.is_file()]


def _nothing_left(workspace: Workspace) -> None:
    assert _rows(workspace) == 0
    assert _blob_files(workspace) == []
    assert list(workspace.paths.tmp.iterdir()) == []


def test_put_stores_by_content_with_a_row(
    store: BlobStore, workspace: Workspace, files: Path
) -> None:
    data = pdf_bytes(2)
    info = store.put(write(files, "giay-to.pdf", data))
    assert info.sha256 == hashlib.sha256(data).hexdigest()
    assert info.size == len(data)
    assert info.media_type == "application/pdf"
    assert info.facts["pages"] == 2
    assert store.path(info.sha256) == workspace.paths.blobs / info.sha256[:2] / info.sha256
    with store.open(info.sha256) as handle:
        assert handle.read() == data
    assert store.info(info.sha256) == info
    assert list(workspace.paths.tmp.iterdir()) == []


def test_identical_content_is_stored_once(
    store: BlobStore, workspace: Workspace, files: Path
) -> None:
    data = image_bytes("PNG")
    first = store.put(write(files, "a.png", data))
    second = store.put(write(files, "b-copy.png", data))
    assert first.sha256 == second.sha256
    assert _rows(workspace) == 1
    assert len(_blob_files(workspace)) == 1


def test_jpeg_named_pdf_is_stored_as_an_image(store: BlobStore, files: Path) -> None:
    info = store.put(write(files, "scan.pdf", image_bytes("JPEG", (60, 80))))
    assert info.media_type == "image/jpeg"
    assert info.facts["width"] == 60
    assert info.facts["dpi"] == [300, 300]


def test_progress_and_cancel(store: BlobStore, workspace: Workspace, files: Path) -> None:
    source = write(
        files, "big.pdf", pdf_bytes(1) + b"%" + os.urandom(3 * 1024 * 1024) + b"\n%%EOF\n"
    )
    seen: list[Progress] = []
    token = CancelToken()

    def on_progress(p: Progress) -> None:
        seen.append(p)
        if len(seen) == 2:
            token.cancel()

    with pytest.raises(UserError) as caught:
        store.put(source, progress=on_progress, cancel=token)
    assert caught.value.code == "cancelled"
    assert seen[0].total == source.stat().st_size
    _nothing_left(workspace)


@pytest.mark.parametrize(
    ("name", "data", "code", "words"),
    [
        ("trang-web.pdf", HTML_PAGE, "attachments.wrong_type", "trang web HTML"),
        ("setup.pdf", EXE_HEAD, "attachments.wrong_type", "chương trình Windows"),
        ("rong.pdf", b"", "attachments.empty", "rỗng (0 byte)"),
        ("cut.pdf", pdf_bytes(2)[:300], "pdf.damaged", "chưa tải xong"),
    ],
)
def test_bad_files_are_refused_and_leave_nothing(
    store: BlobStore,
    workspace: Workspace,
    files: Path,
    name: str,
    data: bytes,
    code: str,
    words: str,
) -> None:
    with pytest.raises(UserError) as caught:
        store.put(write(files, name, data))
    assert caught.value.code == code
    assert words in caught.value.message()
    assert name in caught.value.message()
    _nothing_left(workspace)


def test_missing_path_and_directory_are_refused(store: BlobStore, files: Path) -> None:
    with pytest.raises(UserError) as missing:
        store.put(files / "khong-co.pdf")
    assert missing.value.code == "attachments.not_found"
    with pytest.raises(UserError) as folder:
        store.put(files)
    assert folder.value.code == "attachments.is_directory"


def test_over_the_limit_names_size_limit_and_compress(
    store: BlobStore, workspace: Workspace, files: Path
) -> None:
    source = write(files, "lon.pdf", pdf_bytes(1) + b"%" + b"x" * (3 * 1024 * 1024) + b"\n%%EOF\n")
    with pytest.raises(UserError) as caught:
        store.put(source, max_size=2 * 1024 * 1024)
    text = caught.value.message()
    assert "3 MB" in text
    assert "2 MB" in text
    assert "dvc-desk intake compress" in text
    _nothing_left(workspace)


def test_accepted_types_are_enforced(store: BlobStore, files: Path) -> None:
    with pytest.raises(UserError) as caught:
        store.put(write(files, "a.png", image_bytes("PNG")), accepted=["application/pdf"])
    assert "ảnh PNG" in caught.value.message()
    assert "PDF" in caught.value.params["accepted"]


def test_disk_full_during_copy_leaves_no_blob_row_or_temp(
    store: BlobStore, workspace: Workspace, files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write(
        files, "scan.pdf", pdf_bytes(1) + b"%" + os.urandom(2 * 1024 * 1024) + b"\n%%EOF\n"
    )
    real_fdopen = os.fdopen
    writes = {"n": 0}

    class FullDisk:
        def __init__(self, handle):  # type: ignore[no-untyped-def]
            self._handle = handle

        def write(self, data: bytes) -> int:
            writes["n"] += 1
            if writes["n"] == 2:
                raise OSError(errno.ENOSPC, "No space left on device")
            return int(self._handle.write(data))

        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return getattr(self._handle, name)

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc: object) -> None:
            self._handle.close()

    monkeypatch.setattr(store_module.os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)))
    with pytest.raises(UserError) as caught:
        store.put(source)
    assert caught.value.code == "storage.disk_full"
    assert "đầy" in caught.value.message()
    assert caught.value.params["need_mb"] >= 1  # "free at least N MB"
    _nothing_left(workspace)


def test_failed_row_commit_removes_the_new_file(
    store: BlobStore, workspace: Workspace, files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(session, info):  # type: ignore[no-untyped-def]
        raise RuntimeError("database went away")

    monkeypatch.setattr(store, "record", broken)
    with pytest.raises(RuntimeError):
        store.put(write(files, "a.pdf", pdf_bytes(1)))
    _nothing_left(workspace)


def test_open_missing_blob_is_an_integrity_error(store: BlobStore) -> None:
    with pytest.raises(IntegrityError):
        store.open("0" * 64)


def test_check_finds_missing_corrupt_and_orphans(
    store: BlobStore, workspace: Workspace, files: Path
) -> None:
    good = store.put(write(files, "good.pdf", pdf_bytes(1)))
    bad = store.put(write(files, "bad.pdf", pdf_bytes(2)))
    gone = store.put(write(files, "gone.png", image_bytes("PNG")))
    assert store.check().ok
    path = store.path(bad.sha256)
    path.write_bytes(path.read_bytes().replace(b"%%EOF", b"%%EOX"))
    store.path(gone.sha256).unlink()
    orphan = workspace.paths.blobs / "ab" / ("ab" + "1" * 62)
    orphan.parent.mkdir(exist_ok=True)
    orphan.write_bytes(b"left over")
    (workspace.paths.tmp / "blob-x.part").write_bytes(b"half")
    report = store.check()
    assert not report.ok
    assert report.checked == 3
    assert report.corrupt == (bad.sha256,)
    assert report.missing == (gone.sha256,)
    assert report.orphans == (orphan.name,)
    assert report.temp_files == ("blob-x.part",)
    assert good.sha256 not in report.corrupt + report.missing


def test_collect_orphans_spares_recent_files_and_removes_old_ones(
    store: BlobStore, workspace: Workspace, files: Path
) -> None:
    kept = store.put(write(files, "kept.pdf", pdf_bytes(1)))
    orphan = workspace.paths.blobs / "cd" / ("cd" + "2" * 62)
    orphan.parent.mkdir(exist_ok=True)
    orphan.write_bytes(b"crash between rename and commit")
    temp = workspace.paths.tmp / "blob-abc.part"
    temp.write_bytes(b"half")
    assert store.collect_orphans() == []  # too recent: may belong to a running import
    old = 1_000_000_000
    os.utime(orphan, (old, old))
    os.utime(temp, (old, old))
    removed = store.collect_orphans()
    assert sorted(removed) == sorted([orphan, temp])
    assert store.path(kept.sha256).exists()
    assert store.check().ok


def test_a_large_pdf_is_streamed_not_loaded(store: BlobStore, files: Path) -> None:
    import io
    import tracemalloc

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("scan.bin", os.urandom(24 * 1024 * 1024))
    buffer = io.BytesIO()
    writer.write(buffer)
    source = write(files, "lon.pdf", buffer.getvalue())
    del writer, buffer
    tracemalloc.start()
    try:
        info = store.put(source)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.size > 24 * 1024 * 1024
    assert info.facts["pages"] == 1
    assert peak < 6 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB while storing a 25 MB PDF"


def test_storing_known_content_again_marks_the_file_fresh(store: BlobStore, files: Path) -> None:
    # Housekeeping keeps files written within its grace period: a re-attach of content
    # that has sat unreferenced for days must count as a fresh write.
    first = store.put(write(files, "a.pdf", pdf_bytes(2)))
    path = store.path(first.sha256)
    os.utime(path, (1_000_000_000, 1_000_000_000))  # 2001
    store.put(write(files, "b.pdf", pdf_bytes(2)))
    assert path.stat().st_mtime > 1_700_000_000
