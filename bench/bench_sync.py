"""Sync engine benchmarks, against the sandbox portal on 127.0.0.1.

1. Wire bytes against payload: dossiers with a 5 MB file each go through a proxy that
   cuts 10 % of the requests at a random point. Goal: ≤ 1.05× the payload.
2. Engine against a plain script: 1,000 small dossiers delivered by the engine (outbox,
   intents, per-piece commits, receipts) and, in the same run, by a loop making the same
   API calls with no bookkeeping. Goal: the engine takes ≤ 1.2× the script's time.

    python bench/bench_sync.py [--wire-dossiers 100] [--size-mb 5] [--small 1000]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import socket
import sys
import tempfile
import time
import uuid as uuidlib
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from pypdf import PdfWriter
from sqlalchemy import select

from bench._record import record
from desktop.paths import Paths
from desktop.portal.client import PortalClient, default_http_client
from desktop.storage.outbox_models import OutboxFile, OutboxItem
from desktop.sync.engine import Engine
from desktop.sync.retry import RetryPolicy
from desktop.workspace import Workspace
from tests.core.sync.cutting_proxy import NEVER, CuttingProxy
from tests.core.sync.cutting_proxy import _close as close_sockets
from tests.core.sync.factory import APPLICANT, PROCEDURE, valid_dossier
from tests.core.sync.portal import PASSWORD, register, start_sandbox

METHODS = (b"PATCH ", b"PUT ", b"POST ", b"GET ", b"HEAD ")


class RequestCutProxy(CuttingProxy):
    """Cuts each request with probability `rate`, somewhere in its first 600 KB."""

    def __init__(self, upstream_port: int, rate: float, seed: int = 7) -> None:
        super().__init__(upstream_port, seed=seed)
        self.rate = rate
        self.requests = 0

    def _up(self, client: Any, server: Any) -> None:
        try:
            while True:
                data = client.recv(65536)
                if not data:
                    break
                if data.startswith(METHODS):
                    with self._lock:
                        self.requests += 1
                        cut = self.rng.random() < self.rate
                        self._budget = self.rng.randint(1, 600_000) if cut else NEVER
                allowed = self._spend(len(data))
                if allowed < 0:
                    server.sendall(data[: -allowed - 1])
                    # The link breaks: the client's side dies at once; the portal gets
                    # what already crossed, then an end of stream (as a real cut link).
                    close_sockets(client)
                    server.shutdown(socket.SHUT_WR)
                    return
                server.sendall(data)
        except OSError:
            pass
        # shutdown() first: a bare close() does not wake the other relay thread.
        close_sockets(client, server)


def big_pdf(tag: str, size: int) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": tag})
    writer.add_attachment("scan.bin", os.urandom(size))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def engine_for(ws: Workspace, url: str, user: str) -> Engine:
    http = default_http_client(httpx.Timeout(30.0, connect=3.0))
    portal = PortalClient(url, http=http, password=lambda: (user, PASSWORD))
    policy = RetryPolicy(base=0.05, cap=0.5, rng=random.Random(1))
    return Engine(ws.db, ws.store, ws.events, portal, outbox=ws.outbox, policy=policy)


def drain(engine: Engine) -> None:
    while (wait := engine.run_once()) is not None:
        engine.reachability_hint() if wait > 1 else time.sleep(wait)


def wire_bench(folder: Path, dossiers: int, size_mb: float, rate: float) -> dict[str, Any]:
    sandbox = start_sandbox(folder / "portal")
    proxy = RequestCutProxy(sandbox.port, rate)
    try:
        user = register(sandbox.url)
        ws = Workspace(Paths(folder / "data"))
        sources = folder / "sources"
        sources.mkdir()
        for index in range(dossiers):
            dossier = valid_dossier(ws, sources, f"w{index}")
            scan = sources / f"scan-{index}.pdf"
            scan.write_bytes(big_pdf(f"scan {index}", int(size_mb * 1_000_000)))
            ws.dossiers.attach(dossier.id, "TP5", [scan])
            ws.outbox.submit(dossier.id)
        payload = sum(e.bytes_total for e in ws.outbox.entries())
        engine = engine_for(ws, proxy.url, user)
        began = time.perf_counter()
        drain(engine)
        seconds = time.perf_counter() - began
        done = sum(e.state == "DONE" for e in ws.outbox.entries())
        ws.close()
        return {
            "dossiers": dossiers,
            "done": done,
            "payload": payload,
            "wire": proxy.forwarded,
            "ratio": proxy.forwarded / payload,
            "requests": proxy.requests,
            "cuts": proxy.cuts,
            "seconds": seconds,
        }
    finally:
        proxy.close()
        sandbox.stop()


def plain_script(url: str, user: str, bodies: list[tuple[dict[str, Any], list[bytes]]]) -> float:
    """The same API calls in a bare loop: no outbox, no intents, no commits."""
    client = httpx.Client(timeout=30)
    token = client.post(
        f"{url}/v1/auth/token", data={"grant_type": "password", "username": user,
                                      "password": PASSWORD}
    ).json()["access_token"]  # fmt: skip
    auth = {"Authorization": f"Bearer {token}"}
    began = time.perf_counter()
    for body, files in bodies:
        uuid = str(uuidlib.uuid4())
        created = client.put(f"{url}/v1/dossiers/{uuid}", json=body, headers=auth).json()
        targets = {t["file_id"]: t["upload_url"] for t in created["files"]}
        for spec, data in zip(body["files"], files, strict=True):
            client.patch(
                targets[spec["file_id"]],
                content=data,
                headers={**auth, "Content-Type": "application/offset+octet-stream",
                         "Upload-Offset": "0", "Tus-Resumable": "1.0.0"},
            )  # fmt: skip
        refs = sorted(({"file_id": f["file_id"], "sha256": f["sha256"]} for f in body["files"]),
                      key=lambda f: f["file_id"])  # fmt: skip
        response = client.post(
            f"{url}/v1/dossiers/{uuid}/submission",
            json={"files": refs},
            headers={**auth, "Idempotency-Key": uuidlib.uuid4().hex},
        )
        assert response.status_code == 201, response.text
    seconds = time.perf_counter() - began
    client.close()
    return seconds


def throughput_bench(folder: Path, count: int) -> dict[str, Any]:
    sandbox = start_sandbox(folder / "portal")
    try:
        user = register(sandbox.url)
        ws = Workspace(Paths(folder / "data"))
        ws.catalog.ensure_bundled()
        template = valid_dossier(ws, folder / "sources", "template")
        for _ in range(count):
            copy = ws.dossiers.create(PROCEDURE)
            ws.dossiers.set_fields(copy.id, APPLICANT)
            for attachment in template.attachments:
                ws.dossiers.attach(
                    copy.id, attachment.component_code, [ws.store.path(attachment.sha256)]
                )
            ws.outbox.submit(copy.id)
        with ws.db.session() as session:
            bodies = []
            for item in session.scalars(select(OutboxItem).order_by(OutboxItem.id)):
                rows = session.scalars(
                    select(OutboxFile).where(OutboxFile.item_id == item.id).order_by(OutboxFile.id)
                ).all()
                files = [ws.store.path(r.sha256).read_bytes() for r in rows]
                bodies.append((dict(item.body), files))
        script = plain_script(sandbox.url, user, bodies)
        engine = engine_for(ws, sandbox.url, user)
        began = time.perf_counter()
        drain(engine)
        seconds = time.perf_counter() - began
        done = sum(e.state == "DONE" for e in ws.outbox.entries())
        ws.close()
        return {"count": count, "done": done, "engine": seconds, "script": script,
                "ratio": seconds / script}  # fmt: skip
    finally:
        sandbox.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--wire-dossiers", type=int, default=100)
    parser.add_argument("--size-mb", type=float, default=5.0)
    parser.add_argument("--cut-rate", type=float, default=0.10)
    parser.add_argument("--small", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dvc-bench-sync-") as temp:
        wire = wire_bench(Path(temp) / "wire", args.wire_dossiers, args.size_mb, args.cut_rate)
        print(wire)
        speed = throughput_bench(Path(temp) / "speed", args.small)
        print(speed)
    wire_row = " | ".join(
        [
            f"{wire['done']}/{wire['dossiers']}",
            f"{wire['payload'] / 1e6:.1f} MB",
            f"{wire['wire'] / 1e6:.1f} MB",
            f"**{wire['ratio']:.3f}×**",
            str(wire["requests"]),
            str(wire["cuts"]),
            f"{wire['seconds']:.1f} s",
        ]
    )
    speed_row = " | ".join(
        [
            f"{speed['done']}/{speed['count']}",
            f"{speed['script']:.1f} s",
            f"{speed['engine']:.1f} s",
            f"**{speed['ratio']:.2f}×**",
        ]
    )
    overhead = (speed["engine"] - speed["script"]) * 1000 / speed["count"]
    body = f"""
### Wire bytes with connections cut (goal ≤ 1.05×)

{wire["dossiers"]} dossiers with a {args.size_mb:g} MB scan each (plus 4 small PDFs),
through a proxy cutting {args.cut_rate:.0%} of requests at a random point; engine PATCH
pieces 512 KiB. Wire = bytes forwarded to the portal, request headers included.

| delivered | payload | wire | ratio | requests | cuts | time |
|---|---|---|---|---|---|---|
| {wire_row} |

### Engine against a plain script (goal ≤ 1.2×)

{speed["count"]} small dossiers (4 PDFs each) to the sandbox: PUT, 4 PATCH, POST submission.
The script makes the same calls in a loop with no database; the engine claims, records
intents and outcomes (SQLite, synchronous=FULL) and publishes events.
The engine's overhead is {overhead:.1f} ms per dossier: three fsync'd commits (attempt +
PUT intent; PUT outcome + upload offsets + submission intent; receipt) made of prebuilt
Core statements, plus the claim read and events. The script runs first, on an empty
portal; the engine second, on one already holding the script's dossiers. Against a real
portal (tens of ms per request) the same overhead is a few percent.
On this shared 2-core machine the fsync times dominate and a single run varies a lot
(on 2026-11-25, five runs of the same code gave 0.83×, 0.98×, 1.03×, 1.17× and 1.34×):
compare runs made back to back, and read a negative overhead as "within the noise".

| delivered | plain script | engine | ratio |
|---|---|---|---|
| {speed_row} |
"""
    record("bench_sync", "Sync engine: wire bytes under cuts, engine overhead", body)


if __name__ == "__main__":
    main()
