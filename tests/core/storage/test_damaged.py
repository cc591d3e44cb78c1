"""A damaged database: one clear message (exit 4) everywhere, `doctor` says what is
damaged, `doctor --salvage DIR` saves what can be read, and no row data is ever printed."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from attachments.samples import pdf_bytes, write
from dossier.conftest import PROCEDURE, insert_catalog

from desktop.paths import Paths
from desktop.workspace import Workspace

from .damage import garble_page, garble_schema, leaf_pages

ID_NUMBER = "079203001234"


@pytest.fixture
def filled(run_cli, data_dir: Path, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    workspace = Workspace(Paths(data_dir))
    insert_catalog(workspace)
    workspace.close()
    for number in range(1, 31):
        assert run_cli("dossier", "new", "--procedure", PROCEDURE).code == 0
        name = "Nguyễn Văn " + "A" * 300  # long rows: the dossiers spread over many pages
        result = run_cli(
            "dossier",
            "set",
            str(number),
            f"applicant.name={name}",
            f"applicant.id_number={ID_NUMBER}",
        )
        assert result.code == 0, result.err
    (tmp_path / "in").mkdir()
    pdf = write(tmp_path / "in", "don.pdf", pdf_bytes(1))
    assert run_cli("dossier", "attach", "30", "TP1", str(pdf)).code == 0
    return data_dir / "dvc-desk.sqlite3"


def test_damaged_data_page_is_reported_not_a_traceback(run_cli, filled: Path) -> None:  # type: ignore[no-untyped-def]
    garble_page(filled, leaf_pages(filled, "dossiers")[1])

    listing = run_cli("dossier", "list")
    assert listing.code == 4
    assert "bị hỏng" in listing.err and "dvc-desk doctor" in listing.err
    assert "SELECT" not in listing.err and ID_NUMBER not in listing.err

    doctor = run_cli("doctor")
    assert doctor.code == 4
    assert "bảng dossiers: đọc được" in doctor.out
    assert "dvc-desk doctor --salvage" in doctor.out
    assert ID_NUMBER not in doctor.out + doctor.err
    report = json.loads(run_cli("doctor", "--json").out)
    assert report["database"]["ok"] is False


def test_salvage_copies_every_readable_dossier_and_file(  # type: ignore[no-untyped-def]
    run_cli, filled: Path, tmp_path: Path
) -> None:
    garble_page(filled, leaf_pages(filled, "dossiers")[1])
    target = tmp_path / "saved"

    result = run_cli("doctor", "--salvage", str(target), "--json")
    assert result.code == 4  # some rows were lost, and it says so
    saved = json.loads(result.out)
    assert 20 <= saved["dossiers"] < 30
    assert saved["lost_rows"]["dossiers"] >= 1
    assert saved["files"] == 1

    assert run_cli("doctor", data=target).code == 0  # the new data dir is healthy
    listing = run_cli("dossier", "list", "--json", data=target)
    assert listing.code == 0
    assert json.loads(listing.out)["total"] == saved["dossiers"]
    shown = run_cli("dossier", "show", "30", "--json", data=target)
    assert shown.code == 0 and ID_NUMBER in shown.out  # the data itself survived
    assert run_cli("doctor", "--salvage", str(target)).code == 1  # never over a data dir


def test_damaged_schema_page(run_cli, filled: Path) -> None:  # type: ignore[no-untyped-def]
    garble_schema(filled)
    listing = run_cli("dossier", "list")
    assert listing.code == 4
    assert "dvc-desk" in listing.err
    doctor = run_cli("doctor")
    assert doctor.code == 4
    assert "Cơ sở dữ liệu có lỗi" in doctor.out


def test_undecodable_row_never_printed(run_cli, filled: Path) -> None:  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(filled)
    bad = f'{{"id_number": "{ID_NUMBER}", "name": "'.encode() + b"\xff\xfe" + b'"}'
    conn.execute("UPDATE dossiers SET applicant = CAST(? AS TEXT) WHERE id = 3", (bad,))
    conn.commit()
    conn.close()
    shown = run_cli("dossier", "show", "3")
    assert shown.code == 4
    assert ID_NUMBER not in shown.err + shown.out
    assert "bị hỏng" in shown.err


def test_undecodable_schema_revision(run_cli, filled: Path) -> None:  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(filled)
    conn.execute("UPDATE alembic_version SET version_num = CAST(x'ff00fe' AS TEXT)")
    conn.commit()
    conn.close()
    listing = run_cli("dossier", "list")
    assert listing.code == 4
    assert "hỏng" in listing.err
