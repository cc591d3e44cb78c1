"""Run `dvc-desk sync --once` or `dvc-desk bundle import` in a child process that can be
killed or crash on purpose."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from desktop.sync.crash import ENV
from tests.core.sync.portal import PASSWORD


def sync_command(data: Path, url: str, username: str, adapter: str = "v1") -> list[str]:
    """`sync --once` through the portal adapter `adapter` ("v1" at `url`, "lgsp" at the
    sandbox's /lgsp/ face of `url`)."""
    portal = f"{url}/lgsp" if adapter == "lgsp" else url
    return [
        sys.executable, "-m", "desktop.cli", "--data-dir", str(data),
        "sync", "--once", "--portal", portal, "--adapter", adapter,
        "--username", username, "--password-stdin",
    ]  # fmt: skip


def run_sync(
    data: Path,
    url: str,
    username: str,
    *,
    crash_at: str | None = None,
    kill_after: float | None = None,
    adapter: str = "v1",
) -> int:
    """Run one sync; SIGKILL it after `kill_after` seconds if still running. Its exit code."""
    return run_killable(
        sync_command(data, url, username, adapter),
        stdin=PASSWORD + "\n",
        crash_at=crash_at,
        kill_after=kill_after,
    )


def import_bundle(
    data: Path,
    bundle: Path,
    fingerprint: str,
    *,
    crash_at: str | None = None,
    kill_after: float | None = None,
) -> int:
    """Run `dvc-desk bundle import` (trusting `fingerprint`) in `data`; its exit code."""
    command = [sys.executable, "-m", "desktop.cli", "--data-dir", str(data),
               "bundle", "import", str(bundle), "--trust-signer", fingerprint]  # fmt: skip
    return run_killable(command, crash_at=crash_at, kill_after=kill_after)


def run_killable(
    command: list[str],
    *,
    stdin: str = "",
    crash_at: str | None = None,
    kill_after: float | None = None,
) -> int:
    """Run a dvc-desk command; SIGKILL it after `kill_after` seconds if still running, or
    let it die at the named crash point (desktop.sync.crash). Its exit code."""
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    env.pop(ENV, None)
    if crash_at:
        env[ENV] = crash_at
    child = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        cwd=Path(__file__).parents[2],
    )
    assert child.stdin is not None
    child.stdin.write(stdin.encode())
    child.stdin.close()
    deadline = time.monotonic() + 120
    if kill_after is not None:
        try:
            child.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
    try:
        code = child.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if child.poll() is None:
            child.kill()
    assert child.stderr is not None
    child.stderr.close()
    return code
