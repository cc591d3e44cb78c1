"""Import is all or nothing and survives SIGKILL: killed at each named step and at random
moments, the office holds either none of the bundle's dossiers or all of them, each
queued once; the next import finishes the work or says it was already done."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from desktop.bundles.intake import CRASH_POINTS
from desktop.paths import Paths
from desktop.sync.crash import EXIT_CODE
from desktop.workspace import Workspace
from tests.core.bundles.helpers import Pair, big_pdf
from tests.core.signing.signing_helpers import build_pki

from .kill_helpers import import_bundle

DOSSIERS = 4


@pytest.fixture
def bundle(tmp_path: Path) -> tuple[Path, str]:
    pki = build_pki(tmp_path / "pki")
    pair = Pair(Workspace(Paths(tmp_path / "commune")), Workspace(Paths(tmp_path / "o0")),
                pki, tmp_path)  # fmt: skip
    ids = pair.ready_dossiers(DOSSIERS)
    for index, dossier_id in enumerate(ids):  # some weight, so a kill can land mid-copy
        ws = pair.commune
        dossier = ws.dossiers.back_to_draft(dossier_id)
        scan = tmp_path / f"scan{index}.pdf"
        scan.write_bytes(big_pdf(index, 6 * 1024 * 1024))
        ws.dossiers.attach(dossier_id, dossier.attachments[0].component_code, [scan])
        ws.dossiers.mark_ready(dossier_id)
    path = pair.export(ids)
    fingerprint = pair.fingerprint()
    pair.commune.close()
    pair.office.close()
    return path, fingerprint


def _state(office: Path) -> tuple[int, int, int, int]:
    """(dossiers, outbox items, import records, dossier files) in the office's database."""
    conn = sqlite3.connect(office / "dvc-desk.sqlite3")
    try:
        return tuple(  # type: ignore[return-value]
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("dossiers", "outbox_items", "bundle_imports", "dossier_files")
        )
    finally:
        conn.close()


def _all_or_nothing(office: Path) -> bool:
    dossiers, items, imports, files = _state(office)
    if dossiers == 0:
        assert (items, imports, files) == (0, 0, 0)
        return False
    assert (dossiers, items, imports) == (DOSSIERS, DOSSIERS, 1)
    assert files >= DOSSIERS
    return True


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_killed_at_each_step_the_import_is_all_or_nothing(
    tmp_path: Path, bundle: tuple[Path, str], point: str
) -> None:
    path, fingerprint = bundle
    office = tmp_path / "office"
    assert import_bundle(office, path, fingerprint, crash_at=point) == EXIT_CODE
    done = _all_or_nothing(office)
    assert done == (point == "bundle.committed")
    assert import_bundle(office, path, fingerprint) == 0
    assert _all_or_nothing(office)


def test_random_kills_never_leave_half_an_import(tmp_path: Path, bundle: tuple[Path, str]) -> None:
    path, fingerprint = bundle
    office = tmp_path / "office"
    import_bundle(office, path, fingerprint)  # warm the data dir: the kills then land in the work
    conn_path = office / "dvc-desk.sqlite3"
    rng = random.Random(16)
    killed = 0
    for _ in range(8):
        conn = sqlite3.connect(conn_path)  # start again from an empty office each round
        try:
            for table in ("outbox_files", "outbox_items", "bundle_dossiers", "bundle_imports",
                          "dossier_events", "dossier_files", "dossiers"):  # fmt: skip
                conn.execute(f"DELETE FROM {table}")
            conn.commit()
        finally:
            conn.close()
        code = import_bundle(office, path, fingerprint, kill_after=rng.uniform(0.8, 3.0))
        killed += code == -9
        _all_or_nothing(office)
        assert import_bundle(office, path, fingerprint) == 0
        assert _all_or_nothing(office)
    assert killed >= 2, "some kills landed while the import ran"
