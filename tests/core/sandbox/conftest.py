"""Sandbox fixtures: an app on a temp data dir with a fake clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from portal_sandbox.app import create_app
from portal_sandbox.config import SandboxConfig

from .helpers import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def config(tmp_path: Path, clock: FakeClock) -> SandboxConfig:
    return SandboxConfig(tmp_path / "sandbox", clock=clock, max_file_size=1024 * 1024)


@pytest.fixture
def api(config: SandboxConfig) -> Iterator[TestClient]:
    app = create_app(config)
    with TestClient(app, base_url="http://127.0.0.1:8765") as client:
        client.headers.update(config.secret_headers)  # the tests act as the officer too
        client.headers["Tus-Resumable"] = "1.0.0"  # as every tus client sends it
        yield client
    app.state.sandbox.close()
