"""Shared office database benchmarks (issue #17), against PostgreSQL and the sandbox portal.

1. Several engines on one queue: small dossiers (4 PDFs each) delivered to the sandbox
   by one engine on this PC's SQLite file, by one engine on PostgreSQL and by 3 engines
   on PostgreSQL, each engine in a process of its own (tests/e2e/multi_engine_worker.py,
   the app's engine with leases). The engines start on an idle queue; the clock starts
   when the items fall due. Goals: 3 engines ≥ 2× the throughput of one engine on
   PostgreSQL, and their time ≤ 1.3× the single-PC SQLite engine's time.
2. The dossier list of 100,000 on PostgreSQL (bench/bench_list.py's data and queries,
   through `DossierService.list`): first page ≤ 50 ms, search ≤ 50 ms (median).

A throwaway cluster is started as in the tests (tests/pg_cluster.py).

    python bench/bench_office.py [--small 1000] [--dossiers 100000] [--repeat 15]
    python bench/bench_office.py --list-only   # 2. only; the recorded figures of 1. stay
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, text, update

from bench._record import DOC, record
from bench.bench_list import populate, timed
from desktop.paths import Paths
from desktop.storage.outbox_models import OutboxItem
from desktop.workspace import Workspace
from tests.core.sync.factory import APPLICANT, PROCEDURE, valid_dossier
from tests.core.sync.portal import register, start_sandbox
from tests.pg_cluster import running_cluster

REPO = Path(__file__).resolve().parents[1]
LATER = timedelta(days=1)


def queue(folder: Path, database: str | None, count: int) -> None:
    """`count` small dossiers queued, due only tomorrow (the engines start idle)."""
    ws = Workspace(Paths(folder / "clerk", shared_store=folder / "share"), database=database)
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
        session.execute(update(OutboxItem).values(next_attempt_at=datetime.now(UTC) + LATER))
    ws.close()


def deliver(folder: Path, database: str | None, engines: int, count: int) -> float:
    """Seconds for `engines` engine processes to deliver the queue of `folder`."""
    sandbox = start_sandbox(folder / f"portal-{engines}")
    ws = Workspace(Paths(folder / "clerk", shared_store=folder / "share"), database=database)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        user = register(sandbox.url)
        env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
        for desk in range(engines):
            command = [
                sys.executable, "-m", "tests.e2e.multi_engine_worker",
                # On SQLite the one engine runs on the clerk's own data dir (its file).
                str(folder / ("clerk" if database is None else f"desk{engines}-{desk}")),
                str(folder / "share"),
                database or "", sandbox.url, user, "30",
            ]  # fmt: skip
            quiet = subprocess.DEVNULL
            procs.append(subprocess.Popen(command, cwd=REPO, env=env, stdout=quiet, stderr=quiet))
        time.sleep(20)  # every engine up and idle (imports, log-in on its first item)
        with ws.db.session() as session:
            session.execute(update(OutboxItem).values(next_attempt_at=datetime.now(UTC)))
        began = time.perf_counter()
        while True:
            with ws.db.session() as session:
                done = session.scalar(
                    select(func.count(OutboxItem.id)).where(OutboxItem.state == "DONE")
                )
            if done == count:
                return time.perf_counter() - began
            time.sleep(0.1)
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        ws.close()
        sandbox.stop()


def engines_bench(folder: Path, cluster: Any, count: int) -> dict[str, float]:
    sqlite_folder = folder / "sqlite"
    queue(sqlite_folder, None, count)
    single_sqlite = deliver(sqlite_folder, None, 1, count)
    pg_folder = folder / "pg"
    template = cluster.create_database("queued")
    queue(pg_folder, template, count)
    one, three = (cluster.url(f"run{n}") for n in (1, 3))
    for name in ("run1", "run3"):
        cluster.create_database_from(name, "queued")
    single_pg = deliver(pg_folder, one, 1, count)
    three_pg = deliver(pg_folder, three, 3, count)
    return {"sqlite1": single_sqlite, "pg1": single_pg, "pg3": three_pg}


def list_bench(cluster: Any, count: int, repeat: int) -> list[tuple[str, float, float, float, int]]:
    with tempfile.TemporaryDirectory(prefix="bench-office-list-") as tmp:
        ws = Workspace(Paths(Path(tmp)), database=cluster.create_database("list"))
        populate(ws, count)
        service = ws.dossiers
        with ws.db.engine.connect() as conn:
            receipt = conn.execute(
                text("SELECT receipt_no FROM dossiers WHERE receipt_no IS NOT NULL LIMIT 1")
            ).scalar_one()
        cases = [
            ("first page of 50, all states", lambda: service.list(limit=50)),
            ("first page of 50, state READY", lambda: service.list(state="READY")),
            ('search "Lan" (common name)', lambda: service.list(search="Lan")),
            ('search "nguyen" (common, no diacritics)', lambda: service.list(search="nguyen")),
            ('search "duong van yen" (rare)', lambda: service.list(search="duong van yen")),
            ('search "ngu thi kh" (word starts)', lambda: service.list(search="ngu thi kh")),
            ('search ID start "0791"', lambda: service.list(search="0791")),
            ("search a receipt number", lambda: service.list(search=receipt)),
            ('search "zzz" (no match)', lambda: service.list(search="zzz")),
        ]
        results = [(label, *timed(call, repeat)) for label, call in cases]
        ws.close()
        return results


def listing_text(
    count: int, repeat: int, listing: list[tuple[str, float, float, float, int]]
) -> str:
    lines = [
        f"{label}: {median:.1f} ms median (fastest {fastest:.1f}, p95 {p95:.1f}), {rows} rows"
        for label, fastest, median, p95, rows in listing
    ]
    goal = all(median <= 50 for _l, _f, median, _p, _r in listing)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"""### Dossier list of {count:,} on PostgreSQL ({repeat} runs each)

Load average {load}, {os.cpu_count()} cores.

{chr(10).join("- " + line for line in lines)}

Goal (≤ 50 ms median, first page and search) met: {goal}.
"""


def record_listing(
    count: int, repeat: int, listing: list[tuple[str, float, float, float, int]]
) -> None:
    """Record the list figures; the engine figures of the last full run stay as they were."""
    doc = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    found = re.search(r"(### \d+ small dossiers.*?)(?=### Dossier list|<!-- /bench)", doc, re.S)
    engines = (
        found.group(1).strip() + "\n\n(Engine figures of the last full run; this run: --list-only.)"
        if found
        else "Engine figures: not measured (--list-only)."
    )
    body = engines + "\n\n" + listing_text(count, repeat, listing)
    print(body)
    record("bench_office", "Shared office database (PostgreSQL, several engines)", body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--list-only", action="store_true", help="only the dossier list")
    args = parser.parse_args()
    with running_cluster() as cluster, tempfile.TemporaryDirectory(prefix="bench-office-") as tmp:
        listing = list_bench(cluster, args.dossiers, args.repeat)
        for label, fastest, median, p95, rows in listing:
            print(f"{label}: median {median:.1f} ms (min {fastest:.1f}, p95 {p95:.1f}), {rows}")
        if args.list_only:
            record_listing(args.dossiers, args.repeat, listing)
            return
        speeds = engines_bench(Path(tmp), cluster, args.small)
    rate = {k: args.small / v for k, v in speeds.items()}
    gain = rate["pg3"] / rate["pg1"]
    versus_sqlite = speeds["pg3"] / speeds["sqlite1"]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    engine_goal = gain >= 2 and versus_sqlite <= 1.3
    body = f"""
### {args.small} small dossiers, sandbox portal on 127.0.0.1

Load average {load}, {os.cpu_count()} cores.

| engines | database | seconds | dossiers/s |
|---|---|---|---|
| 1 | SQLite (single PC) | {speeds["sqlite1"]:.1f} | {rate["sqlite1"]:.1f} |
| 1 | PostgreSQL | {speeds["pg1"]:.1f} | {rate["pg1"]:.1f} |
| 3 | PostgreSQL | {speeds["pg3"]:.1f} | {rate["pg3"]:.1f} |

3 engines against one: **{gain:.2f}×** the throughput (goal ≥ 2×); their time against the
single-PC SQLite engine: **{versus_sqlite:.2f}×** (goal ≤ 1.3×). Goal met: {engine_goal}.
Each engine is a process; the portal, the sandbox's own database and PostgreSQL share
the machine's {os.cpu_count()} cores with them, so the gain is bounded by those cores.

{listing_text(args.dossiers, args.repeat, listing)}"""
    print(body)
    record("bench_office", "Shared office database (PostgreSQL, several engines)", body)


if __name__ == "__main__":
    main()
