"""Issue #15, "done when": the app is killed while waiting for the phone and finishes the
job after restart; the signature verifies with pdfsig. Real processes, SIGKILL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from sandbox_ca import SandboxPki
from signing_helpers import make_pdf
from validators import nss_db, pdfsig_verdicts

from portal_sandbox.trust_service import SP_ID, SP_PASSWORD

HERE = Path(__file__).parent
USER = "079201000042"


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHON_KEYRING_BACKEND"] = "file_keyring.FileKeyring"
    env["DVC_TEST_KEYRING_FILE"] = str(tmp_path / "keyring.json")
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")])
    return env


def _cli(data: Path, *args: str) -> list[str]:
    return [sys.executable, "-W", "ignore", "-m", "desktop.cli", "--data-dir", str(data), *args]


def _jobs(data: Path, env: dict[str, str]) -> list[dict[str, Any]]:
    done = subprocess.run(
        _cli(data, "sign-jobs", "list", "--json"), env=env, capture_output=True, text=True,
        check=True, timeout=60,
    )  # fmt: skip
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_killed_while_waiting_then_finished_after_restart(
    sandbox_pki: SandboxPki, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    env = _env(tmp_path)
    added = subprocess.run(
        _cli(data, "sign-jobs", "service", "add", "sandbox", "--url",
             f"{sandbox_pki.url}/smartca", "--client-id", SP_ID, "--secret-stdin"),
        input=SP_PASSWORD + "\n", env=env, check=False, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    httpx.put(
        f"{sandbox_pki.url}/sandbox/trust/faults",
        json={"approval": "manual"},
        headers=sandbox_pki.key,
    )
    source = make_pdf(tmp_path / "don.pdf")
    out = tmp_path / "signed.pdf"
    waiting = subprocess.Popen(
        _cli(data, "sign", str(source), "-o", str(out), "--remote", "sandbox", "--user", USER),
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        jobs: list[dict[str, Any]] = []
        while time.monotonic() < deadline and not jobs:
            time.sleep(0.3)
            assert waiting.poll() is None, waiting.communicate()
            jobs = [j for j in _jobs(data, env) if j["state"] == "WAITING"]
        assert jobs, "the job was never written"
        # Killed once the phone shows the request (the job is written before it is sent).
        while time.monotonic() < deadline:
            if (
                jobs[0]["transaction_id"]
                in httpx.get(f"{sandbox_pki.url}/sandbox/phone", headers=sandbox_pki.key).text
            ):
                break
            time.sleep(0.1)
    finally:
        waiting.kill()  # SIGKILL: no cleanup of any kind
        waiting.communicate()
    assert not out.exists()
    job = _jobs(data, env)[0]
    assert job["state"] == "WAITING"
    approved = httpx.post(
        f"{sandbox_pki.url}/sandbox/phone/{job['transaction_id']}/approve",
        headers=sandbox_pki.key,
    )
    assert approved.status_code in {200, 303}
    resumed = subprocess.run(
        _cli(data, "sign-jobs", "wait", "--json"), env=env, check=False, capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout)[0]["state"] == "DONE"
    verdicts = pdfsig_verdicts(out, nss_db(tmp_path / "nss", sandbox_pki.root_pem))
    assert [(v.valid, v.trusted) for v in verdicts] == [(True, True)], verdicts
    assert not list((data / "sign-jobs").glob("*.pdf"))
    httpx.put(f"{sandbox_pki.url}/sandbox/trust/faults", json={}, headers=sandbox_pki.key)
