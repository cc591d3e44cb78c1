"""Running the sandbox with uvicorn: in the foreground (CLI) or in a thread (tests, bench)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn

from portal_sandbox.app import create_app
from portal_sandbox.config import SandboxConfig


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


_RUNNING: dict[str, ThreadedSandbox] = {}


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
