"""Live lists (issue #17 item 4): a dossier changed at one desk reaches the others'
EventBus within 2 s through LISTEN/NOTIFY, not by polling."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from desktop.events import DossierChanged
from desktop.paths import Paths
from desktop.workspace import Workspace


def test_a_change_at_one_desk_reaches_another_within_two_seconds(
    tmp_path: Path, postgres_url: str
) -> None:
    here = Workspace(Paths(tmp_path / "a"), database=postgres_url)
    there = Workspace(Paths(tmp_path / "b"), database=postgres_url)
    try:
        _two_desks(here, there)
    finally:
        here.close()
        there.close()


def _two_desks(here: Workspace, there: Workspace) -> None:
    _ = here.dossiers  # the bundled catalog is imported once, before the clock starts
    assert there.start_live_updates()
    seen: list[DossierChanged] = []
    arrived = threading.Event()

    def on_change(event: DossierChanged) -> None:
        seen.append(event)
        arrived.set()

    there.events.subscribe(DossierChanged, on_change)

    started = time.monotonic()
    dossier = here.dossiers.create("SYT-DUOC-CCHN-XET-HO-SO")
    assert arrived.wait(2.0), "the other desk heard nothing within 2 s"
    assert time.monotonic() - started < 2.0
    assert DossierChanged(dossier.id, "DRAFT") in seen

    arrived.clear()
    here.dossiers.set_fields(dossier.id, {"applicant.name": "Trần Thị Bình"})
    assert arrived.wait(2.0)
    assert seen[-1] == DossierChanged(dossier.id, "DRAFT")


def test_sqlite_has_no_listener(workspace: Workspace) -> None:
    assert workspace.start_live_updates() is False


def test_a_lost_listener_connection_comes_back_and_asks_the_lists_to_reload(
    tmp_path: Path, postgres_url: str
) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    from desktop.office.live import RELOAD_ALL, libpq_url

    here = Workspace(Paths(tmp_path / "a"), database=postgres_url)
    there = Workspace(Paths(tmp_path / "b"), database=postgres_url)
    try:
        _ = here.dossiers
        assert there.start_live_updates()
        seen: list[DossierChanged] = []
        there.events.subscribe(DossierChanged, seen.append)
        with psycopg.connect(libpq_url(make_url(postgres_url)), autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
            )
        deadline = time.monotonic() + 10
        while DossierChanged(RELOAD_ALL, "") not in seen and time.monotonic() < deadline:
            time.sleep(0.05)
        assert DossierChanged(RELOAD_ALL, "") in seen
        dossier = here.dossiers.create("SYT-DUOC-CCHN-XET-HO-SO")
        while DossierChanged(dossier.id, "DRAFT") not in seen and time.monotonic() < deadline:
            time.sleep(0.05)
        assert DossierChanged(dossier.id, "DRAFT") in seen
    finally:
        here.close()
        there.close()
