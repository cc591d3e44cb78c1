"""`dvc-desk doctor --clean [--dry-run]`: removes what nothing uses, says so in Vietnamese."""

from __future__ import annotations

import io
import json
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfWriter
from sqlalchemy import update

from desktop.paths import Paths
from desktop.storage import models
from desktop.units import size_text
from desktop.workspace import Workspace

OLD = (datetime.now(UTC) - timedelta(hours=48)).timestamp()


def _sample_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _detached_blobs(data_dir: Path, tmp_path: Path, count: int) -> list[Path]:
    """`count` stored files nothing refers to, stored two days ago."""
    workspace = Workspace(Paths(data_dir))
    try:
        stored = []
        for pages in range(1, count + 1):
            source = tmp_path / f"scan-{pages}.pdf"
            source.write_bytes(_sample_pdf(pages))
            sha = workspace.store.put(source).sha256
            with workspace.db.session() as session:
                session.execute(
                    update(models.Blob)
                    .where(models.Blob.sha256 == sha)
                    .values(created_at=datetime.now(UTC) - timedelta(hours=48))
                )
            path = workspace.store.path(sha)
            os.utime(path, (OLD, OLD))
            stored.append(path)
        return stored
    finally:
        workspace.close()


def test_clean_removes_detached_files(run_cli, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stored = _detached_blobs(data_dir, tmp_path, 2)
    freed = size_text(sum(p.stat().st_size for p in stored))

    result = run_cli("doctor", "--clean")

    assert result.code == 0, result.err
    assert f"Đã xoá 2 tệp không còn dùng, giải phóng {freed}." in result.out
    assert "2 tệp đính kèm không còn hồ sơ, kết quả, biên lai hay hàng đợi nào dùng" in result.out
    assert not any(p.exists() for p in stored)
    again = run_cli("doctor", "--clean")
    assert "Không có tệp nào cần xoá." in again.out
    assert run_cli("doctor").code == 0  # nothing left half-done


def test_dry_run_says_what_would_go_and_keeps_it(run_cli, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stored = _detached_blobs(data_dir, tmp_path, 1)

    result = run_cli("doctor", "--clean", "--dry-run")

    assert result.code == 0
    assert "Chạy thử: sẽ xoá 1 tệp không còn dùng" in result.out
    assert "Không có gì bị thay đổi." in result.out
    assert stored[0].is_file()
    data = json.loads(run_cli("doctor", "--clean", "--dry-run", "--json").out)
    assert data["dry_run"] is True
    assert data["removed"]["blobs"] == 1
    assert data["removed"]["bytes"] == stored[0].stat().st_size
    assert data["removed"]["items"][0]["name"] == stored[0].name


def test_json_lists_kept_files_with_the_reason(run_cli, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run_cli("doctor")  # creates the data dir
    young = data_dir / "tmp" / ".signing-abc.pdf"
    young.write_bytes(b"a signature being written")

    data = json.loads(run_cli("doctor", "--clean", "--json").out)

    assert data["ok"] is True
    assert data["removed"]["temp_files"] == 0
    assert data["kept"] == [
        {"kind": "temp", "name": "tmp/.signing-abc.pdf", "size": 25, "reason": "young"}
    ]
    assert young.is_file()
    text = run_cli("doctor", "--clean").out
    assert "Giữ lại 1 tệp: chưa quá 24 giờ" in text


def test_damaged_database_is_not_cleaned(run_cli, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stored = _detached_blobs(data_dir, tmp_path, 1)
    with sqlite3.connect(data_dir / "dvc-desk.sqlite3") as raw:
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute(
            "INSERT INTO dossier_files (dossier_id, component_code, blob_sha256, name,"
            " position, added_at) VALUES (999, 'TP1', 'missing', 'x.pdf', 0, '2026-01-01')"
        )

    result = run_cli("doctor", "--clean")

    assert result.code == 4
    assert "Chưa dọn gì." in result.out
    assert stored[0].is_file()


def test_dry_run_alone_is_refused(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("doctor", "--dry-run")
    assert result.code == 1
    assert "dvc-desk doctor --clean --dry-run" in result.err


def test_help_is_vietnamese(run_cli, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("doctor", "--help")
    shown = " ".join((result.out + capsys.readouterr().out).split())
    assert result.code == 0
    assert "--clean xoá các tệp không còn hồ sơ, kết quả, biên lai hay hàng đợi nào dùng" in shown
    assert "--dry-run cùng --clean: chỉ cho biết sẽ xoá những gì" in shown
