"""The whole flow from the command line, on loopback: queue offline, sync when the
portal appears, follow the status, pay the fee in the (simulated) browser."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from desktop.workspace import Workspace
from portal_sandbox.config import SandboxConfig
from portal_sandbox.server import ThreadedSandbox, free_port
from tests.core.sync.factory import valid_dossier
from tests.core.sync.portal import PASSWORD, register

REPO = Path(__file__).parents[2]


def cli(data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli", "--data-dir", str(data), *args],
        input=stdin, capture_output=True, text=True, env=env, cwd=REPO, timeout=120, check=False,
    )  # fmt: skip


def pay_in_browser(sandbox: ThreadedSandbox, stop: threading.Event) -> None:
    """Play the applicant: pay the first pending payment that appears."""
    while not stop.is_set():
        conn = sqlite3.connect(sandbox.config.database)
        try:
            row = conn.execute("SELECT ref FROM payments WHERE state='pending'").fetchone()
        finally:
            conn.close()
        if row is not None:
            httpx.post(f"{sandbox.url}/sandbox/pay/{row[0]}", data={"action": "pay"})
            return
        stop.wait(0.1)


def test_queue_offline_then_sync_status_and_pay(workspace: Workspace, tmp_path: Path) -> None:
    ids = [valid_dossier(workspace, tmp_path / "f", f"e{i}").id for i in range(3)]
    data = workspace.paths.root
    workspace.close()
    for dossier_id in ids:
        assert cli(data, "submit", str(dossier_id)).returncode == 0

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    offline = cli(data, "sync", "--once", "--portal", url, "--username", "xa-an-phu",
                  "--password-stdin", stdin=PASSWORD)  # fmt: skip
    assert offline.returncode == 3, offline.stderr
    assert "vẫn an toàn trong hàng chờ" in offline.stderr

    sandbox = ThreadedSandbox(SandboxConfig(tmp_path / "portal"), port=port).start()
    try:
        user = register(url)
        synced = cli(data, "sync", "--once", "--portal", url, "--username", user,
                     "--password-stdin", stdin=PASSWORD)  # fmt: skip
        assert synced.returncode == 0, synced.stderr
        status = json.loads(cli(data, "status", str(ids[0]), "--json").stdout)
        assert status["state"] == "SUBMITTED" and status["receipt_no"]
        uuid = status["outbox"]["uuid"]

        key = sandbox.secret_headers
        httpx.post(f"{url}/sandbox/officer/{uuid}/accept", headers=key)
        httpx.post(
            f"{url}/sandbox/officer/{uuid}/fees",
            data={"description": "Lệ phí", "amount": 100000},
            headers=key,
        )
        stop = threading.Event()
        browser = threading.Thread(target=pay_in_browser, args=(sandbox, stop), daemon=True)
        browser.start()
        began = time.monotonic()
        paid = cli(data, "pay", str(ids[0]), "--portal", url, "--username", user,
                   "--password-stdin", "--timeout", "60", stdin=PASSWORD)  # fmt: skip
        stop.set()
        assert paid.returncode == 0, paid.stderr
        assert "/sandbox/pay/" in paid.stderr and "Đã thanh toán" in paid.stdout
        assert time.monotonic() - began < 60

        cli(data, "sync", "--once", "--portal", url, "--username", user,
            "--password-stdin", stdin=PASSWORD)  # fmt: skip
        final = json.loads(cli(data, "status", str(ids[0]), "--json").stdout)
        assert final["fees"][0]["paid"] is True
        assert [h["state"] for h in final["history"]][:3] == [1, 2, 6]
        text = cli(data, "status", str(ids[0])).stdout
        assert "Số biên nhận" in text and "Lệ phí" in text
    finally:
        sandbox.stop()
