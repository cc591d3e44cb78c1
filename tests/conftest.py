"""Shared fixtures: a fresh data dir per test and an in-process CLI runner."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop import cli, errors
from desktop.paths import ENV_HOME, Paths
from desktop.workspace import Workspace


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test ever touches the real user data dir or a real keyring."""
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "home"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    errors.set_language("vi")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def workspace(data_dir: Path) -> Iterator[Workspace]:
    ws = Workspace(Paths(data_dir))
    yield ws
    ws.close()


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(data_dir: Path):  # type: ignore[no-untyped-def]
    """Run `dvc-desk --data-dir <tmp> ARGS...` in process; returns code, stdout, stderr."""

    def run(*args: str, data: Path | None = None) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        code = cli.main(["--data-dir", str(data or data_dir), *args], out=out, err=err)
        return CliResult(code, out.getvalue(), err.getvalue())

    return run
