"""Settings of one sandbox run and the clock it reads (replaceable in tests)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from desktop.portal.contract import SANDBOX_RUN_KEY_FILE

VIETNAM = timezone(timedelta(hours=7), "ICT")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class SandboxConfig:
    """Where the sandbox keeps its data and how strict it is; all durations in seconds."""

    data_dir: Path
    access_token_ttl: int = 900
    refresh_token_ttl: int = 30 * 24 * 3600
    upload_ttl: int = 24 * 3600
    max_file_size: int = 60 * 1024 * 1024
    processing_days: int = 15
    catalog_file: Path | None = None
    # GET /v1/catalog/procedures: the portal's records from this folder (*.json, read
    # at request time), or else the 20 real records plus generated ones, this many.
    catalog_records_dir: Path | None = None
    catalog_procedures: int = 2000
    clock: Callable[[], datetime] = field(default=utc_now)
    # The officer console, mailbox and fault switches open only with this key (a new
    # one each run, printed on start); see portal_sandbox/guard.py.
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "::1")

    @property
    def secret_headers(self) -> dict[str, str]:
        """The header that opens the protected pages, for clients other than a browser."""
        return {"X-Sandbox-Key": self.secret}

    @property
    def database(self) -> Path:
        return self.data_dir / "sandbox.sqlite3"

    @property
    def uploads(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def documents(self) -> Path:
        return self.data_dir / "documents"

    @property
    def pki(self) -> Path:
        return self.data_dir / "pki"

    @property
    def run_key_file(self) -> Path:
        """This run's secret, readable by the user only: the app (same data dir) reads it
        to open the officer console and to know the sandbox on its port is its own."""
        return self.data_dir / SANDBOX_RUN_KEY_FILE

    def write_run_key(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.run_key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(self.secret)

    def ensure(self) -> SandboxConfig:
        for directory in (self.data_dir, self.uploads, self.documents, self.pki):
            directory.mkdir(parents=True, exist_ok=True)
        return self

    def now(self) -> datetime:
        """The current time, always timezone-aware UTC."""
        value = self.clock()
        return value if value.tzinfo else value.replace(tzinfo=UTC)
