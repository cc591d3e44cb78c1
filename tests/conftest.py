"""Shared fixtures: a fresh data dir per test and an in-process CLI runner."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from desktop import cli, errors
from desktop.paths import ENV_HOME, Paths
from desktop.workspace import Workspace
from tests.pg_cluster import database_url, pg_cluster, postgres_url  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test ever touches the real user data dir or a real keyring."""
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "home"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    errors.set_language("vi")


class MemoryKeyring(KeyringBackend):
    """The OS keyring stand-in: the app stores and reads logins exactly as it would."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """A keyring in memory for this test (the autouse null keyring refuses to store)."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


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
