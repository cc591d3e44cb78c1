"""`dvc-desk portal-sandbox`: refuses remote hosts, defaults its data dir, starts uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from portal_sandbox import server as server_module


def test_a_remote_host_needs_allow_remote(run_cli) -> None:
    result = run_cli("portal-sandbox", "--host", "0.0.0.0")
    assert result.code == 1
    assert "--allow-remote" in result.err


def test_default_data_dir_is_under_the_app_data_dir(
    run_cli, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: dict[str, Any] = {}

    class FakeServer:
        def run(self) -> None:
            started["ran"] = True

    def fake_build(config: Any, host: str, port: int) -> FakeServer:
        started.update(data=config.data_dir, host=host, port=port)
        return FakeServer()

    monkeypatch.setattr(server_module, "build_server", fake_build)
    result = run_cli("portal-sandbox", "--port", "8799")
    assert result.code == 0, result.err
    assert started == {
        "data": data_dir.resolve() / "sandbox",
        "host": "127.0.0.1",
        "port": 8799,
        "ran": True,
    }
    assert "http://127.0.0.1:8799/sandbox/officer?key=" in result.out  # the run's key
    assert str(data_dir.resolve() / "sandbox" / "pki" / "ca.pem") in result.out
