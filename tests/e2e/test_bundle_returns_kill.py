"""The return import at the commune is all or nothing and survives SIGKILL too: killed at
each named step and at random moments, the commune holds either none of the returns
(dossiers still HANDED_OVER, no receipt, no portal status) or all of them; the next import
finishes the work or says it was already done, with no history line written twice."""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop.bundles.intake import CRASH_POINTS
from desktop.paths import Paths
from desktop.sync.crash import EXIT_CODE
from desktop.workspace import Workspace
from tests.core.bundles.helpers import Pair, big_pdf, commune_id, submitted_at_office
from tests.core.signing.signing_helpers import build_pki

from .kill_helpers import import_bundle

DOSSIERS = 3
HISTORY = 3  # lines per dossier (submitted_at_office)


@dataclass(frozen=True)
class Returns:
    commune: Path
    before: Path  # the commune's data folder before the import, to start again from
    bundle: Path
    fingerprint: str
    receipts: dict[int, str]  # commune dossier id -> receipt number
    results: dict[int, str]  # commune dossier id -> sha256 of its result PDF


@pytest.fixture
def returns(tmp_path: Path) -> Returns:
    pki = build_pki(tmp_path / "pki")
    pair = Pair(Workspace(Paths(tmp_path / "commune")), Workspace(Paths(tmp_path / "o0")),
                pki, tmp_path)  # fmt: skip
    ids = pair.ready_dossiers(DOSSIERS)
    taken = pair.office.bundles.importer.import_bundle(
        pair.export(ids), trust_signer=pair.fingerprint()
    )
    receipts, results = {}, {}
    for index, (here, there) in enumerate(zip(ids, taken.dossier_ids, strict=True)):
        receipts[here] = f"H01-261201-{index + 1:04d}"
        content = big_pdf(index, 6 * 1024 * 1024)  # some weight, so a kill can land mid-copy
        results[here] = hashlib.sha256(content).hexdigest()
        submitted_at_office(pair, there, receipts[here], content)
    target = pair.folder / "usb" / "tra-ve.dvcb"
    pair.office.bundles.returns.export(
        commune_id(pair.commune), target, pair.key(), part_size=1 << 30
    )
    fingerprint = pair.fingerprint()
    pair.commune.close()
    pair.office.close()
    before = tmp_path / "commune-before"
    shutil.copytree(tmp_path / "commune", before)
    return Returns(tmp_path / "commune", before, target, fingerprint, receipts, results)


def _count(conn: sqlite3.Connection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0])


def _all_or_nothing(r: Returns) -> bool:
    """Whether the commune holds all of the returns (False: none of them); fails on half."""
    conn = sqlite3.connect(r.commune / "dvc-desk.sqlite3")
    try:
        tables = ("bundle_imports", "portal_status", "portal_history", "portal_fees",
                  "supplement_requests", "result_documents")  # fmt: skip
        state = {table: _count(conn, f"SELECT count(*) FROM {table}") for table in tables}
        states = dict(conn.execute("SELECT id, state FROM dossiers").fetchall())
        receipts = dict(conn.execute("SELECT id, receipt_no FROM dossiers").fetchall())
        moved = _count(
            conn,
            "SELECT count(*) FROM dossier_events WHERE to_state = 'SUBMITTED'"
            " AND from_state = 'HANDED_OVER'",
        )
        portal = _count(conn, "SELECT count(*) FROM dossier_events WHERE note LIKE 'Cổng:%'")
        results = dict(conn.execute("SELECT dossier_id, blob_sha256 FROM result_documents"))
    finally:
        conn.close()
    if state["bundle_imports"] == 0:
        assert set(state.values()) == {0} and moved == portal == 0, state
        assert set(states.values()) == {"HANDED_OVER"}
        assert set(receipts.values()) == {None}
        return False
    assert state == {
        "bundle_imports": 1, "portal_status": DOSSIERS, "portal_history": DOSSIERS * HISTORY,
        "portal_fees": DOSSIERS, "supplement_requests": DOSSIERS, "result_documents": DOSSIERS,
    }  # fmt: skip
    assert moved == portal == DOSSIERS, "each dossier moved once, one portal line each"
    assert set(states.values()) == {"SUBMITTED"}
    assert receipts == r.receipts
    assert results == r.results
    blobs = Paths(r.commune).blobs
    for sha in r.results.values():
        assert hashlib.sha256((blobs / sha[:2] / sha).read_bytes()).hexdigest() == sha
    return True


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_killed_at_each_step_the_return_import_is_all_or_nothing(
    returns: Returns, point: str
) -> None:
    r = returns
    assert import_bundle(r.commune, r.bundle, r.fingerprint, crash_at=point) == EXIT_CODE
    assert _all_or_nothing(r) == (point == "bundle.committed")
    assert import_bundle(r.commune, r.bundle, r.fingerprint) == 0
    assert _all_or_nothing(r)
    assert import_bundle(r.commune, r.bundle, r.fingerprint) == 0  # already applied
    assert _all_or_nothing(r)


def test_random_kills_never_leave_half_a_return_import(returns: Returns) -> None:
    r = returns
    rng = random.Random(16)
    killed = 0
    for _ in range(6):
        shutil.rmtree(r.commune)  # start again from the commune before the import
        shutil.copytree(r.before, r.commune)
        code = import_bundle(r.commune, r.bundle, r.fingerprint, kill_after=rng.uniform(0.8, 3.0))
        killed += code == -9
        _all_or_nothing(r)
        assert import_bundle(r.commune, r.bundle, r.fingerprint) == 0
        assert _all_or_nothing(r)
    assert killed >= 2, "some kills landed while the import ran"
