"""A TCP proxy on 127.0.0.1 that cuts every connection after a random number of bytes.

Upstream bytes (client → portal) are counted; once the current budget (random between
`low` and `high` bytes) is spent, both sockets are closed mid-request, the way a flaky
3G link drops. Downstream bytes pass freely.
"""

from __future__ import annotations

import contextlib
import random
import socket
import threading

NEVER = 1 << 62


class CuttingProxy:
    """`low`/`high` None: no random cuts (use `cut_after` and `down` by hand)."""

    def __init__(
        self, upstream_port: int, low: int | None = None, high: int | None = None, seed: int = 1
    ) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.low, self.high = low, high
        self.rng = random.Random(seed)
        self.cuts = 0
        self.forwarded = 0
        self.down = False  # refuse every connection: the link is gone
        self._lock = threading.Lock()
        self._budget = self._next_budget()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._closed = True
        self._listener.close()

    def _next_budget(self) -> int:
        if self.low is None or self.high is None:
            return NEVER
        return self.rng.randint(self.low, self.high)

    def cut_after(self, size: int) -> None:
        """Cut the connection that carries the next `size` upstream bytes."""
        with self._lock:
            self._budget = size

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.down:
                _close(client)
                continue
            server = socket.create_connection(self.upstream)
            threading.Thread(target=self._up, args=(client, server), daemon=True).start()
            threading.Thread(target=self._down, args=(server, client), daemon=True).start()

    def _spend(self, size: int) -> int:
        """Bytes of `size` that may pass; 0..size-1 means: cut after those."""
        with self._lock:
            allowed = min(size, self._budget)
            self._budget -= allowed
            self.forwarded += allowed
            if self._budget <= 0:
                self.cuts += 1
                self._budget = self._next_budget()
                return -allowed - 1
            return allowed

    def _up(self, client: socket.socket, server: socket.socket) -> None:
        try:
            while True:
                data = client.recv(65536)
                if not data or self.down:
                    break
                allowed = self._spend(len(data))
                if allowed < 0:
                    server.sendall(data[: -allowed - 1])
                    break
                server.sendall(data)
        except OSError:
            pass
        finally:
            _close(client, server)

    @staticmethod
    def _down(server: socket.socket, client: socket.socket) -> None:
        try:
            while True:
                data = server.recv(65536)
                if not data:
                    break
                client.sendall(data)
        except OSError:
            pass
        finally:
            _close(client, server)


def _close(*sockets: socket.socket) -> None:
    for sock in sockets:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()
