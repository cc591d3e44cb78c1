"""A hypothesis state machine over the queue: create, edit, submit, network up/down,
dropped connections, lost responses, kills, restarts and the clock, in any order.

Invariants: the portal never holds a dossier the queue did not mint, a portal dossier
has at most one receipt and it is the local one, local states never go back; and once
the network is up, everything queued ends SUBMITTED.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from desktop.errors import UserError
from desktop.paths import Paths
from desktop.sync import crash
from desktop.sync.engine import Engine
from desktop.sync.retry import RetryPolicy
from desktop.workspace import Workspace
from portal_sandbox.server import ThreadedSandbox

from .cutting_proxy import CuttingProxy
from .factory import valid_dossier
from .portal import FakeClock, lgsp_uuids, make_engine, register, set_faults, start_sandbox

RANK = {"DRAFT": 0, "READY": 1, "SIGNED": 2, "QUEUED": 3, "UPLOADING": 4, "SUBMITTING": 5,
        "SUBMITTED": 6, "SUPERSEDED": 7}  # fmt: skip
ENDPOINTS = {
    "v1": ("put_dossier", "patch_upload", "submit", "head_upload"),
    "lgsp": ("lgsp:GetNextValue", "lgsp:UploadFile", "lgsp:DongBoHoSoMC", "lgsp:TraCuuHoSo"),
}


class Killed(BaseException):
    """The process died here: nothing after this point ran, no transaction committed."""


@contextmanager
def portal() -> Iterator[tuple[ThreadedSandbox, CuttingProxy, str]]:
    folder = Path(tempfile.mkdtemp(prefix="dvc-queue-"))
    sandbox = start_sandbox(folder / "portal")
    proxy = CuttingProxy(sandbox.port)
    try:
        yield sandbox, proxy, register(sandbox.url)
    finally:
        proxy.close()
        sandbox.stop()
        shutil.rmtree(folder, ignore_errors=True)


class QueueMachine(RuleBasedStateMachine):
    sandbox: ThreadedSandbox
    proxy: CuttingProxy
    user: str
    adapter: str = "v1"

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="dvc-queue-ws-"))
        self.ws = Workspace(Paths(self.folder / "data"))
        self.clock = FakeClock()
        self.engine = self._engine()
        self.drafts: list[int] = []
        self.queued: list[int] = []
        self.rank: dict[int, int] = {}
        self.kill_at: str | None = None
        self.proxy.down = False
        set_faults(self.sandbox.url, lose_response={})

    def _engine(self) -> Engine:
        return make_engine(
            self.ws, self.proxy.url, self.user, clock=self.clock,
            policy=RetryPolicy(base=1, cap=8), adapter=self.adapter,
        )  # fmt: skip

    def teardown(self) -> None:
        self.engine.close()
        self.ws.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    @rule()
    def create(self) -> None:
        self.drafts.append(valid_dossier(self.ws, self.folder / "f", f"h{len(self.drafts)}").id)

    @precondition(lambda self: self.drafts)
    @rule(data=st.data())
    def edit(self, data: st.DataObject) -> None:
        dossier_id = data.draw(st.sampled_from(self.drafts))
        try:
            self.ws.dossiers.set_fields(dossier_id, {"applicant.email": "an@example.vn"})
        except UserError as exc:
            assert exc.code == "dossier.frozen" and dossier_id in self.queued

    @precondition(lambda self: any(d not in self.queued for d in self.drafts))
    @rule(data=st.data())
    def submit(self, data: st.DataObject) -> None:
        dossier_id = data.draw(st.sampled_from([d for d in self.drafts if d not in self.queued]))
        self.ws.outbox.submit(dossier_id)
        self.queued.append(dossier_id)

    @rule(up=st.booleans())
    def network(self, up: bool) -> None:
        self.proxy.down = not up
        if up:
            self.engine.reachability_hint()

    @rule(size=st.integers(min_value=1, max_value=4000))
    def drop(self, size: int) -> None:
        self.proxy.cut_after(size)

    @rule(data=st.data())
    def lose_response(self, data: st.DataObject) -> None:
        endpoint = data.draw(st.sampled_from(ENDPOINTS[self.adapter]))
        set_faults(self.sandbox.url, lose_response={endpoint: 1})

    @rule(point=st.sampled_from(crash.POINTS))
    def kill_at_next(self, point: str) -> None:
        self.kill_at = point

    @rule()
    def run(self) -> None:
        original = crash.crash_point
        target = self.kill_at

        def die(name: str) -> None:
            if name == target:
                raise Killed(name)

        for module in _modules_using_crash_points():
            module.crash_point = die
        try:
            self.engine.run_once()
        except Killed:
            self.kill_at = None
            self.restart()
        finally:
            for module in _modules_using_crash_points():
                module.crash_point = original

    def restart(self) -> None:
        self.engine.close()
        self.engine = self._engine()

    @rule(seconds=st.floats(min_value=0, max_value=600))
    def clock_moves(self, seconds: float) -> None:
        self.clock.advance(seconds)

    @invariant()
    def portal_holds_only_what_the_queue_minted_with_the_local_receipt(self) -> None:
        local = {}
        for dossier_id in self.queued:
            dossier = self.ws.dossiers.get(dossier_id)
            local[dossier.uuid] = dossier.receipt_no
            rank = RANK[dossier.state]
            assert rank >= self.rank.get(dossier_id, 0), "a state went back"
            self.rank[dossier_id] = rank
        for uuid, receipt in self._portal(list(local)):
            if local[uuid] is not None:
                assert receipt == local[uuid]
        minted = {e.uuid for e in self.ws.outbox.entries()}
        assert set(local) <= minted

    def check_everything_submitted_when_the_network_is_up(self) -> None:
        self.proxy.down = False
        set_faults(self.sandbox.url, lose_response={})
        self.engine.reachability_hint()
        for _ in range(30):
            wait = self.engine.run_once()
            if wait is None:
                break
            self.clock.advance(wait + 1)
        for dossier_id in self.queued:
            assert self.ws.dossiers.get(dossier_id).state == "SUBMITTED", dossier_id
        assert len(self._portal([self.ws.dossiers.get(d).uuid for d in self.queued])) == len(
            self.queued
        )

    def _portal(self, uuids: list[Any]) -> list[tuple[str, str | None]]:
        """(our uuid, receipt) of the portal's dossiers among `uuids`; the lgsp face keys
        its dossiers by the reserved code, which the adapter wrote down beside our uuid."""
        if self.adapter == "v1":
            return _portal(self.sandbox, uuids)
        codes = lgsp_uuids(self.ws)
        rows = _portal(self.sandbox, None)
        return [(codes[r], r) for _u, r in rows if r in codes and codes[r] in set(uuids)]


def _modules_using_crash_points() -> list[Any]:
    from desktop.sync import delivery, engine, uploader

    return [delivery, engine, uploader]


def _portal(sandbox: ThreadedSandbox, uuids: list[Any] | None) -> list[tuple[str, str | None]]:
    conn = sqlite3.connect(sandbox.config.database)
    try:
        rows = conn.execute("SELECT uuid, receipt_no FROM dossiers").fetchall()
    finally:
        conn.close()
    return [(u, r) for u, r in rows if uuids is None or u in set(uuids)]


@pytest.mark.timeout(300)
@pytest.mark.parametrize("adapter", ["v1", "lgsp"])
def test_queue_state_machine(adapter: str) -> None:
    with portal() as (sandbox, proxy, user):

        class Machine(QueueMachine):
            def teardown(self) -> None:
                try:
                    self.check_everything_submitted_when_the_network_is_up()
                finally:
                    super().teardown()

        Machine.sandbox, Machine.proxy, Machine.user = sandbox, proxy, user
        Machine.adapter = adapter
        run_state_machine_as_test(
            Machine,
            settings=settings(
                max_examples=12,
                stateful_step_count=14,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                # Shrinking replays whole portals for minutes: report the first failure.
                phases=(Phase.explicit, Phase.reuse, Phase.generate),
            ),
        )
