"""`dvc-desk portal-sandbox`: refuses remote hosts, defaults its data dir, starts uvicorn."""

from __future__ import annotations

import sys
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


@pytest.mark.parametrize("missing", ["fastapi", "uvicorn"])
def test_without_the_sandbox_extra_the_command_says_how_to_install_it(
    run_cli, missing: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # FastAPI and uvicorn are the optional extra `sandbox`: as if it were not installed.
    for name in [m for m in sys.modules if m.split(".")[0] in {"portal_sandbox", missing}]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, missing, None)
    result = run_cli("portal-sandbox", "--port", "8799")
    assert result.code == 1
    assert "pip install 'dvc-desk[sandbox]'" in result.err
    assert missing in result.err
    assert "Traceback" not in result.err


def test_the_window_starts_the_sandbox_through_the_same_function(tmp_path: Path) -> None:
    from desktop.commands.portal_sandbox import own_sandbox, page_url, start_sandbox

    running = start_sandbox(tmp_path / "sandbox", "127.0.0.1", 0, in_thread=True)
    try:
        assert own_sandbox(running.url, tmp_path / "sandbox")
        assert "?key=" in page_url(running.url, tmp_path / "sandbox", "/sandbox/officer")
    finally:
        running.stop()
