"""A full disk and a read-only folder are said as such (exit 1), never as a damaged
database (exit 4) and never as a traceback; nothing is lost. On a real small tmpfs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from dossier.conftest import PROCEDURE, insert_catalog

from desktop.paths import Paths
from desktop.workspace import Workspace

from .smalldisk import SmallDisk, small_disk


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[SmallDisk]:
    with small_disk(tmp_path / "mnt") as mounted:
        yield mounted


@pytest.fixture
def on_disk(run_cli, disk: SmallDisk) -> Path:  # type: ignore[no-untyped-def]
    data = disk.mount / "data"
    workspace = Workspace(Paths(data))
    insert_catalog(workspace)
    workspace.close()
    assert run_cli("dossier", "new", "--procedure", PROCEDURE, data=data).code == 0
    assert run_cli("dossier", "set", "1", "applicant.name=Lê Thị Hoa", data=data).code == 0
    return data


def test_no_space_at_all_is_not_a_damaged_database(run_cli, disk: SmallDisk, on_disk: Path) -> None:  # type: ignore[no-untyped-def]
    disk.fill()
    for args in (("dossier", "list"), ("doctor",), ("dossier", "show", "1")):
        result = run_cli(*args, data=on_disk)
        assert result.code == 1, (args, result.out, result.err)
        assert "đã đầy" in result.err and "giải phóng ít nhất" in result.err
        assert "hỏng" not in result.err
    disk.free_up()
    assert run_cli("doctor", data=on_disk).code == 0


def test_commit_on_a_nearly_full_disk(run_cli, disk: SmallDisk, on_disk: Path) -> None:  # type: ignore[no-untyped-def]
    disk.fill(leave=48 * 1024)
    big = "x" * 200_000
    results = [run_cli("dossier", "set", "1", f"notes={big}", data=on_disk) for _ in range(3)]
    failed = [r for r in results if r.code != 0]
    assert failed, "the disk never filled up"
    for result in failed:
        assert result.code == 1
        assert "đã đầy" in result.err
        assert "Traceback" not in result.err
    disk.free_up()
    shown = json.loads(run_cli("dossier", "show", "1", "--json", data=on_disk).out)
    assert shown["applicant"]["name"] == "Lê Thị Hoa"  # nothing lost
    assert run_cli("doctor", data=on_disk).code == 0


def test_read_only_folder_write_refused_with_the_reason(
    run_cli, disk: SmallDisk, on_disk: Path
) -> None:  # type: ignore[no-untyped-def]
    view = disk.read_only_view(on_disk)
    result = run_cli("dossier", "set", "1", "applicant.name=Trần Văn Bình", data=view)
    assert result.code == 1
    assert "chỉ đọc" in result.err
    assert "hỏng" not in result.err
    shown = json.loads(run_cli("dossier", "show", "1", "--json", data=on_disk).out)
    assert shown["applicant"]["name"] == "Lê Thị Hoa"


def test_read_only_data_dir_still_reads_and_logs_to_stderr(  # type: ignore[no-untyped-def]
    run_cli, disk: SmallDisk, on_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    view = disk.read_only_view(on_disk)
    capsys.readouterr()
    listing = run_cli("dossier", "list", "--json", data=view)
    assert listing.code == 0, listing.err
    assert json.loads(listing.out)["total"] == 1
    said = capsys.readouterr().err
    assert said.count("Không ghi được nhật ký") == 1  # why, said once
    assert "stderr" in said
    assert run_cli("doctor", data=view).code == 0
    shown = json.loads(run_cli("dossier", "show", "1", "--json", data=view).out)
    assert shown["applicant"]["name"] == "Lê Thị Hoa"
