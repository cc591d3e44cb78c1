from __future__ import annotations

import logging
from pathlib import Path

import pytest

from desktop.logs import redact, setup


def test_id_numbers_and_secrets_are_redacted() -> None:
    line = 'applicant 079203001234 password=hunter2 token: abc.def "pin": "1234" receipt 2209210099'
    out = redact(line)
    assert "079203001234" not in out and "07********34" in out
    assert "hunter2" not in out and "abc.def" not in out and '"1234"' not in out
    assert "2209210099" not in out  # ten digits: a mistyped ID or a phone number


def test_log_file_gets_redacted_records(tmp_path: Path) -> None:
    path = setup(tmp_path / "logs", "INFO")
    logging.getLogger("dvc").info("Authorization: Bearer secrettoken for 001099012345")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "secrettoken" not in text and "001099012345" not in text
    assert "Authorization" in text


@pytest.mark.parametrize(
    "number",
    [
        "07920300123",  # a CCCD mistyped with 11 digits
        "0792030012345",  # or 13
        "123456789",  # a 9-digit CMND
        "079-203-001-234",  # a CCCD written in groups
        "079 203 001 234",
        "079.203.001.234",
        "0912 345 678",  # a phone number
    ],
)
def test_every_id_like_digit_run_is_redacted(number: str) -> None:
    out = redact(f"refused: id {number}, please check")
    digits = number.replace("-", "").replace(" ", "").replace(".", "")
    assert number not in out and digits not in out
    assert digits[2:-2] not in out.replace("*", "")


def test_dates_and_receipt_numbers_stay_readable() -> None:
    line = "submitted 2026-12-07, receipt 000.00.12.H62-260101-0001, 4096 bytes"
    assert redact(line) == line


def test_applicant_fields_are_redacted() -> None:
    params = {"key": "applicant.name", "value": "Nguyễn Thị Lan"}
    out = redact(f"command dossier refused: dossier.bad_kind {params}")
    assert "Nguyễn Thị Lan" not in out and "applicant.name" in out
    out = redact("set applicant.address.street=12 Lý Thường Kiệt email: lan@example.vn")
    assert "Lý" not in out and "Kiệt" not in out and "lan@example.vn" not in out
    assert "email" in out


def test_log_time_stamp_is_not_taken_for_an_id(tmp_path: Path) -> None:
    path = setup(tmp_path / "logs", "INFO")
    assert path is not None
    logging.getLogger("dvc").info("hello")
    for handler in logging.getLogger().handlers:
        handler.flush()
    stamp = path.read_text(encoding="utf-8").split(" ")[0]
    assert "*" not in stamp


def test_data_dir_is_private_whatever_the_umask(tmp_path: Path) -> None:
    import os
    import stat

    from desktop.paths import Paths
    from desktop.workspace import Workspace

    old = os.umask(0o022)
    try:
        workspace = Workspace(Paths(tmp_path / "data"))
        workspace.close()
    finally:
        os.umask(old)
    root = tmp_path / "data"
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    for name in ("dvc-desk.sqlite3", "logs/dvc-desk.log"):
        assert stat.S_IMODE((root / name).stat().st_mode) == 0o600, name
