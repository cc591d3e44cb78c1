from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.errors import UserError
from desktop.paths import resolve
from desktop.settings import LANGUAGE, MAX_FILE_SIZE, Settings


def test_settings_round_trip_and_keep_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 1, "values": {"from_newer_version": 5}}))
    settings = Settings(path)
    assert settings.get(MAX_FILE_SIZE) == 60 * 1024 * 1024
    settings.set_by_name("max_file_size", "1000")
    again = Settings(path)
    assert again.get(MAX_FILE_SIZE) == 1000
    assert json.loads(path.read_text())["values"]["from_newer_version"] == 5


def test_bad_values_are_refused_with_the_valid_choices(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "s.json")
    with pytest.raises(UserError) as info:
        settings.set_by_name("language", "fr")
    assert "vi, en" in info.value.message()
    with pytest.raises(UserError) as info:
        settings.set_by_name("no_such", "1")
    assert "language" in info.value.message()


def test_a_damaged_settings_file_falls_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json")
    assert Settings(path).get(LANGUAGE) == "vi"


def test_data_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DVC_DESK_HOME", str(tmp_path / "env"))
    assert resolve().root == (tmp_path / "env").resolve()
    assert resolve(tmp_path / "flag").root == (tmp_path / "flag").resolve()
    monkeypatch.delenv("DVC_DESK_HOME")
    assert "dvc-desk" in str(resolve().root)


def test_cli_settings_use_the_data_dir_flag(run_cli, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("settings", "set", "language", "en")
    assert result.code == 0
    assert json.loads((data_dir / "settings.json").read_text())["values"]["language"] == "en"
    refused = run_cli("settings", "set", "max_file_size", "lots")
    assert refused.code == 1 and "max_file_size" in refused.err
