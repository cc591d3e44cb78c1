"""Running the sandbox with uvicorn: in the foreground (CLI) or in a thread (tests, bench)."""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from desktop.errors import define
from portal_sandbox.app import create_app
from portal_sandbox.config import SandboxConfig
from portal_sandbox.guard import IDENTITY_PATH, identity_proof


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost'."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def build_server(config: SandboxConfig, host: str, port: int) -> uvicorn.Server:
    app = create_app(config)
    config.write_run_key()
    return uvicorn.Server(
        uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False)
    )


E_FOREIGN_PORTAL = define(
    "sandbox.foreign_server",
    vi=(
        "Có một chương trình khác đang chạy ở {portal} nhưng không phải cổng thử nghiệm của "
        "dvc-desk với thư mục dữ liệu này, nên dvc-desk không gửi hồ sơ tới đó. Hãy dừng "
        "chương trình đó (hoặc chạy «dvc-desk portal-sandbox» với cùng thư mục dữ liệu), "
        "hoặc đổi địa chỉ cổng trong Cài đặt."
    ),
    en=(
        "Something else runs at {portal}, not the dvc-desk sandbox of this data folder, so "
        "no dossier is sent there. Stop it (or run `dvc-desk portal-sandbox` with the same "
        "data folder), or change the portal address in Settings."
    ),
)
_RUNNING: dict[str, ThreadedSandbox] = {}


def run_key(data_dir: Path) -> str | None:
    """The secret of the sandbox last started with its data in `data_dir`."""
    try:
        return (data_dir / "run-key").read_text(encoding="ascii").strip() or None
    except OSError:
        return None


def own_sandbox(url: str, data_dir: Path) -> bool:
    """Whether what answers at `url` is the sandbox started with `data_dir` (it knows
    that run's secret); another local user's server posing as the portal does not."""
    key = run_key(data_dir)
    if key is None:
        return False
    nonce = secrets.token_hex(16)
    try:
        answer = httpx.get(
            f"{url.rstrip('/')}{IDENTITY_PATH}", params={"nonce": nonce}, timeout=5
        ).json()
    except (httpx.HTTPError, ValueError):
        return False
    proof = answer.get("proof") if isinstance(answer, dict) else None
    return isinstance(proof, str) and hmac.compare_digest(proof, identity_proof(key, nonce))


def page_url(url: str, data_dir: Path, path: str) -> str:
    """A protected page (officer console, mailbox) with this run's key, for the browser."""
    key = run_key(data_dir)
    return f"{url.rstrip('/')}{path}" + (f"?key={key}" if key else "")


@dataclass
class ThreadedSandbox:
    """A sandbox on 127.0.0.1 in a background thread; `with` starts and stops it."""

    config: SandboxConfig
    host: str = "127.0.0.1"
    port: int = 0
    server: uvicorn.Server | None = field(default=None, init=False)
    _thread: threading.Thread | None = field(default=None, init=False)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def secret_headers(self) -> dict[str, str]:
        """Opens the officer console, mailbox and fault switches (the per-run secret)."""
        return self.config.secret_headers

    @staticmethod
    def key_for(url: str) -> dict[str, str]:
        """The key header of the sandbox running in this process at `url` (for helpers
        that are handed only the URL)."""
        running = _RUNNING.get(url.rstrip("/"))
        return running.secret_headers if running is not None else {}

    def page(self, path: str) -> str:
        """The address of a protected page with its key, as a browser opens it."""
        return f"{self.url}{path}?key={self.config.secret}"

    def start(self, timeout: float = 15.0) -> ThreadedSandbox:
        self.port = self.port or free_port(self.host)
        self.server = build_server(self.config, self.host, self.port)
        self._thread = threading.Thread(target=self.server.run, name="sandbox", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the sandbox did not start on {self.url}")
            time.sleep(0.01)
        _RUNNING[self.url] = self
        return self

    def stop(self) -> None:
        _RUNNING.pop(self.url, None)
        if self.server is not None:
            self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=15)
        if self.server is not None:
            app: Any = self.server.config.app
            app.state.sandbox.close()

    def __enter__(self) -> ThreadedSandbox:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
