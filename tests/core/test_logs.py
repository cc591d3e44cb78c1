from __future__ import annotations

import logging
from pathlib import Path

from desktop.logs import redact, setup


def test_id_numbers_and_secrets_are_redacted() -> None:
    line = 'applicant 079203001234 password=hunter2 token: abc.def "pin": "1234" receipt 2209210099'
    out = redact(line)
    assert "079203001234" not in out and "07********34" in out
    assert "hunter2" not in out and "abc.def" not in out and '"1234"' not in out
    assert "2209210099" in out  # ten digits are not an ID number


def test_log_file_gets_redacted_records(tmp_path: Path) -> None:
    path = setup(tmp_path / "logs", "INFO")
    logging.getLogger("dvc").info("Authorization: Bearer secrettoken for 001099012345")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "secrettoken" not in text and "001099012345" not in text
    assert "Authorization" in text
