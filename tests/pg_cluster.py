"""A throwaway PostgreSQL cluster for tests: initdb + pg_ctl in a temp dir on 127.0.0.1.

initdb refuses to run as root, so as root the cluster is created and run as the
`postgres` user (the distribution's package creates it; scripts/system-deps.sh installs
the package). One cluster per test session; every test gets a database of its own
(`postgres_url`). `PgCluster.restart()` stops it hard (immediate mode: crash recovery at
the next start) and starts it again on the same port, for the tests that prove the queue
survives a database restart.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

DB_FIXTURE = "database_url"


def _bindir() -> Path | None:
    """The newest PostgreSQL server binaries of the distribution, or on PATH."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class PgCluster:
    """One cluster on 127.0.0.1:`port`, trust authentication for the local test user."""

    def __init__(self, bindir: Path, root: Path) -> None:
        self.bindir = bindir
        self.root = root
        self.data = root / "data"
        self.port = _free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            entry = pwd.getpwnam("postgres")
            os.chown(root, entry.pw_uid, entry.pw_gid)
        root.chmod(0o700)

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(
            command, check=check, capture_output=True, text=True, timeout=120, cwd="/"
        )

    def init(self) -> None:
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale", "C.UTF-8", "--no-sync",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            # A test cluster: the kernel keeps what is written (no power cut here), so
            # fsync is off; commits still wait for their WAL write (synchronous_commit).
            "-c fsync=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", options,
            "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def restart(self) -> None:
        """Stop hard (every connection is cut, recovery at start) and start again."""
        self.stop("immediate")
        self.start()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; its URL."""
        name = name or f"t_{uuid.uuid4().hex[:12]}"
        self._run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-X", "-q",
            "-c", f'CREATE DATABASE "{name}"',
        )  # fmt: skip
        return self.url(name)

    def create_database_from(self, name: str, template: str) -> str:
        """A copy of database `template` (which nobody may be connected to)."""
        self._run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-X", "-q",
            "-c", f'CREATE DATABASE "{name}" TEMPLATE "{template}"',
        )  # fmt: skip
        return self.url(name)


@contextlib.contextmanager
def running_cluster() -> Iterator[PgCluster]:
    """A cluster for the duration of the block; skips the test when PostgreSQL is absent."""
    bindir = _bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (scripts/system-deps.sh test installs it)")
    root = Path(tempfile.mkdtemp(prefix="dvc-pg-"))
    cluster = PgCluster(bindir, root)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """One PostgreSQL cluster for the whole test session."""
    with running_cluster() as cluster:
        yield cluster


@pytest.fixture
def postgres_url(pg_cluster: PgCluster) -> str:
    """The URL of a fresh, empty PostgreSQL database for this test."""
    return pg_cluster.create_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str | None:
    """Parametrises a test over both databases: None means the data dir's SQLite file."""
    if request.param == "sqlite":
        return None
    url: str = request.getfixturevalue("postgres_url")
    return url
