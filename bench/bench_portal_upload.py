"""A 100 MiB upload over loopback through the portal client, beside one raw httpx PUT.

Both go to the same sandbox (uvicorn on 127.0.0.1) in the same run; both end with the
bytes on disk and one fsync per request. Goal: the client reaches >= 80 % of the raw
throughput.
"""

from __future__ import annotations

import hashlib
import os
import statistics
import sys
import tempfile
import time
import uuid as uuidlib
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._record import record
from desktop.portal.client import PortalClient
from desktop.portal.contract import (
    AccountRegistration,
    DossierCreate,
    FileManifestEntry,
)
from desktop.sandbox.config import SandboxConfig
from desktop.sandbox.server import ThreadedSandbox

SIZE = 100 * 1024 * 1024
RUNS = 5


def _file(directory: Path) -> tuple[Path, str]:
    path = directory / "scan.bin"
    digest = hashlib.sha256()
    with path.open("wb") as out:
        for _ in range(SIZE // (1 << 20)):
            block = os.urandom(1 << 20)
            digest.update(block)
            out.write(block)
    return path, digest.hexdigest()


def _stream(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as source:
        yield from iter(lambda: source.read(256 * 1024), b"")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="dvc-bench-upload-") as scratch:
        root = Path(scratch)
        path, digest = _file(root)
        config = SandboxConfig(root / "sandbox", max_file_size=2 * SIZE)
        with ThreadedSandbox(config) as server, PortalClient(server.url) as client:
            client.register(
                AccountRegistration(
                    username="bench-user",
                    email="bench@example.vn",
                    password="bench-pass-1",
                    full_name="Bench",
                    phone="0912345678",
                )
            )
            link = httpx.get(f"{server.url}/sandbox/mail.json").json()[0]["link"]
            httpx.get(link)
            client.login("bench-user", "bench-pass-1")
            raw_times, client_times = [], []
            with httpx.Client(timeout=120) as raw:
                for _ in range(RUNS):
                    start = time.perf_counter()
                    answer = raw.put(
                        f"{server.url}/sandbox/sink",
                        content=_stream(path),
                        headers={"Content-Length": str(SIZE)},  # not chunked: a fair baseline
                    )
                    raw_times.append(time.perf_counter() - start)
                    assert answer.json()["received"] == SIZE
                    created = client.put_dossier(
                        str(uuidlib.uuid4()),
                        DossierCreate(
                            procedure_name="bench",
                            agency_code="BENCH",
                            files=[
                                FileManifestEntry(
                                    file_id="f",
                                    name="scan.bin",
                                    size=SIZE,
                                    sha256=digest,
                                    media_type="application/pdf",
                                )
                            ],
                        ),
                    )
                    url = created.files[0].upload_url
                    start = time.perf_counter()
                    client.upload(path, url)
                    client_times.append(time.perf_counter() - start)
                    assert client.upload_state(url).offset == SIZE
    raw_seconds, client_seconds = statistics.median(raw_times), statistics.median(client_times)
    mib = SIZE / (1 << 20)
    raw_rate, client_rate = mib / raw_seconds, mib / client_seconds
    ratio = client_rate / raw_rate
    lines = [
        "| path | seconds | MiB/s |",
        "|---|---|---|",
        f"| raw httpx PUT (one request, fsync at end) | {raw_seconds:.2f} | {raw_rate:.0f} |",
        f"| PortalClient.upload (HEAD + 32 MiB PATCHes, fsync each, SHA-256 check) "
        f"| {client_seconds:.2f} | {client_rate:.0f} |",
        "",
        f"Median of {RUNS} alternating runs of each, in one process (client, server and "
        "raw sender share the machine's 2 cores).",
        f"Client / raw throughput: **{ratio:.0%}** (goal >= 80 %).",
    ]
    body = "\n".join(lines)
    print(body)
    record("bench_portal_upload", "Portal upload: 100 MiB over loopback", body)


if __name__ == "__main__":
    main()
