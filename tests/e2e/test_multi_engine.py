"""Exactly once with several engines (issue #17 item 2): 3 engine processes share one
PostgreSQL queue of 200 dossiers through a proxy that cuts connections; they are
SIGKILLed and restarted, paused (SIGSTOP) for longer than their lease and woken
(SIGCONT), and the database server is restarted in the middle. Every dossier reaches the
portal once: 0 lost, 0 duplicated, each receipt recorded for its own dossier."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.paths import Paths
from desktop.storage import models
from desktop.storage.outbox_models import OutboxItem
from desktop.workspace import Workspace
from tests.core.sync.cutting_proxy import CuttingProxy
from tests.core.sync.factory import APPLICANT, PROCEDURE, pdf
from tests.core.sync.portal import portal_dossiers, register, start_sandbox
from tests.pg_cluster import running_cluster

REPO = Path(__file__).parents[2]
ENGINES = 3
DOSSIERS = 200
LEASE = 2.0  # seconds; every pause below is longer


def _queue(ws: Workspace, folder: Path, count: int) -> list[int]:
    """`count` valid dossiers, queued; their files are shared (one blob each)."""
    ws.catalog.ensure_bundled()
    folder.mkdir(parents=True)
    ids = []
    for index in range(count):
        dossier = ws.dossiers.create(PROCEDURE)
        ws.dossiers.set_fields(dossier.id, APPLICANT)
        for spec in ws.dossiers.procedure_of(dossier).components:
            if spec.required:
                path = folder / f"{spec.code}.pdf"
                if not path.exists():
                    path.write_bytes(pdf(spec.code))
                ws.dossiers.attach(dossier.id, spec.code, [path])
        ws.outbox.submit(dossier.id)
        ids.append(dossier.id)
        assert index == len(ids) - 1
    return ids


class Desks:
    """The engine processes, by desk number; each can be killed, restarted, paused."""

    def __init__(self, tmp: Path, store: Path, database: str, portal: str, user: str) -> None:
        self.args = (tmp, store, database, portal, user)
        self.procs: dict[int, subprocess.Popen[bytes]] = {}
        self.env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")

    def start(self, desk: int) -> None:
        tmp, store, database, portal, user = self.args
        log = (tmp / f"desk{desk}.log").open("ab")
        self.procs[desk] = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.multi_engine_worker", str(tmp / f"desk{desk}"),
             str(store), database, portal, user, str(LEASE)],
            cwd=REPO, env=self.env, stdout=log, stderr=log,
        )  # fmt: skip
        log.close()

    def kill(self, desk: int) -> None:
        self.procs[desk].send_signal(signal.SIGKILL)
        self.procs[desk].wait(30)

    def stop_all(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGCONT)
                proc.send_signal(signal.SIGKILL)
                proc.wait(30)


def _done(ws: Workspace) -> int:
    with ws.db.session() as session:
        return int(
            session.scalar(select(func.count(OutboxItem.id)).where(OutboxItem.state == "DONE")) or 0
        )


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_three_engines_deliver_200_dossiers_exactly_once_through_kills_pauses_and_a_restart(
    tmp_path: Path,
) -> None:
    rng = random.Random(17)
    sandbox = start_sandbox(tmp_path / "portal")
    proxy = CuttingProxy(sandbox.port, low=20_000, high=400_000, seed=17)
    desks: Desks | None = None
    with running_cluster() as cluster:
        database = cluster.create_database("office")
        store = tmp_path / "office-share"
        ws = Workspace(Paths(tmp_path / "desk-clerk", shared_store=store), database=database)
        try:
            user = register(sandbox.url)
            began = time.monotonic()
            ids = _queue(ws, tmp_path / "scans", DOSSIERS)
            print(f"queued {DOSSIERS} in {time.monotonic() - began:.0f} s")
            began = time.monotonic()
            desks = Desks(tmp_path, store, database, proxy.url, user)
            for desk in range(ENGINES):
                desks.start(desk)
            kills = pauses = 0
            restarted = False
            deadline = time.monotonic() + 600
            while _done_safely(ws) < DOSSIERS:
                assert time.monotonic() < deadline, f"only {_done_safely(ws)} delivered"
                time.sleep(rng.uniform(0.5, 1.5))  # a restarted engine needs a moment
                if not restarted and _done_safely(ws) >= DOSSIERS // 3:
                    cluster.restart()  # every engine's connections are cut mid-work
                    restarted = True
                    continue
                desk = rng.randrange(ENGINES)
                # Kills and pauses take turns: the engines deliver 200 dossiers in well
                # under a minute, and each kind of fault must happen several times.
                if kills <= pauses:
                    desks.kill(desk)
                    desks.start(desk)
                    kills += 1
                else:
                    # Paused past its lease: another engine takes its item over.
                    desks.procs[desk].send_signal(signal.SIGSTOP)
                    time.sleep(LEASE + rng.uniform(0.5, 2.0))
                    desks.procs[desk].send_signal(signal.SIGCONT)
                    pauses += 1
            # Let the paused-and-woken engines act once more on what they held.
            time.sleep(LEASE + 1)
            desks.stop_all()
            print(
                f"delivered in {time.monotonic() - began:.0f} s; {kills} kills, {pauses} "
                f"pauses, {proxy.cuts} cuts, database restarted"
            )

            assert restarted and kills >= 3 and pauses >= 3 and proxy.cuts > 0
            portal = portal_dossiers(sandbox)
            uuids = [uuid for uuid, _receipt in portal]
            assert len(uuids) == len(set(uuids)) == DOSSIERS  # 0 duplicated, 0 extra
            held = dict(portal)
            receipts = set()
            for dossier_id in ids:
                dossier = ws.dossiers.get(dossier_id)
                assert dossier.state == "SUBMITTED", dossier_id  # 0 lost
                assert dossier.receipt_no is not None
                assert held[dossier.uuid or ""] == dossier.receipt_no
                receipts.add(dossier.receipt_no)
            assert len(receipts) == DOSSIERS
            with ws.db.session() as session:
                # Each dossier moved to SUBMITTED once, no item stopped, no new version.
                moves = session.execute(
                    select(models.DossierEvent.dossier_id, func.count())
                    .where(models.DossierEvent.to_state == "SUBMITTED")
                    .group_by(models.DossierEvent.dossier_id)
                ).all()
                assert sorted((d, n) for d, n in moves) == [(i, 1) for i in sorted(ids)]
                states = session.scalars(select(OutboxItem.state)).all()
                assert states == ["DONE"] * DOSSIERS
                assert session.scalar(select(func.count(models.Dossier.id))) == DOSSIERS
            _assert_each_submitted_once(sandbox.config.database)
        finally:
            if desks is not None:
                desks.stop_all()
            ws.close()
            proxy.close()
            sandbox.stop()


def _done_safely(ws: Workspace) -> int:
    """DONE items; 0 while the database server restarts."""
    try:
        return _done(ws)
    except Exception:
        ws.db.engine.dispose()
        return 0


def _assert_each_submitted_once(portal_db: Path) -> None:
    conn = sqlite3.connect(portal_db)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "dossiers" in tables
        columns = {r[1] for r in conn.execute("PRAGMA table_info(dossiers)")}
        if "receipt_no" in columns:
            rows = conn.execute(
                "SELECT receipt_no, COUNT(*) FROM dossiers GROUP BY receipt_no HAVING COUNT(*) > 1"
            ).fetchall()
            assert rows == []
    finally:
        conn.close()
