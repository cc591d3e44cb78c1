"""`dvc-desk doctor`: exit 0 on a healthy data dir, 4 when a file is corrupt or orphaned."""

from __future__ import annotations

import json
from pathlib import Path

from desktop.paths import Paths
from desktop.workspace import Workspace

from .samples import image_bytes, pdf_bytes, write


def _put(data_dir: Path, files: Path) -> tuple[str, str]:
    workspace = Workspace(Paths(data_dir))
    try:
        first = workspace.store.put(write(files, "a.pdf", pdf_bytes(1))).sha256
        second = workspace.store.put(write(files, "b.png", image_bytes("PNG"))).sha256
        return first, second
    finally:
        workspace.close()


def test_healthy(run_cli, data_dir: Path, files: Path) -> None:  # type: ignore[no-untyped-def]
    _put(data_dir, files)
    result = run_cli("doctor")
    assert result.code == 0
    assert "đã kiểm tra lại 2 tệp" in result.out
    assert "Không phát hiện vấn đề nào." in result.out


def test_corrupt_blob_and_orphan_exit_4(run_cli, data_dir: Path, files: Path) -> None:  # type: ignore[no-untyped-def]
    first, _ = _put(data_dir, files)
    blob = data_dir / "blobs" / first[:2] / first
    data = bytearray(blob.read_bytes())
    data[20] ^= 0xFF  # one flipped byte, same size
    blob.write_bytes(bytes(data))
    orphan = data_dir / "blobs" / "ee" / ("ee" + "0" * 62)
    orphan.parent.mkdir(exist_ok=True)
    orphan.write_bytes(b"no row points here")

    result = run_cli("doctor")
    assert result.code == 4
    assert f"Tệp bị hỏng (mã băm không khớp): {first}" in result.out
    assert f"Tệp mồ côi (không có trong cơ sở dữ liệu): {orphan.name}" in result.out
    report = json.loads(run_cli("doctor", "--json").out)
    assert report["ok"] is False
    assert report["database"]["ok"] is True
    assert report["files"]["corrupt"] == [first]
    assert report["files"]["orphans"] == [orphan.name]
    assert orphan.exists()  # doctor reports, it does not delete


def test_missing_blob_exit_4(run_cli, data_dir: Path, files: Path) -> None:  # type: ignore[no-untyped-def]
    _, second = _put(data_dir, files)
    (data_dir / "blobs" / second[:2] / second).unlink()
    result = run_cli("doctor", "--json")
    assert result.code == 4
    assert json.loads(result.out)["files"]["missing"] == [second]
