"""Three desks on one PostgreSQL database (issue #17 "done when", without the portal):
one prepares, one sends, the third watches; each hears the others' changes live, roles
hold, and the audit trail says who did what from which desk."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from desktop.errors import UserError
from desktop.events import DossierChanged
from desktop.office.service import Office
from desktop.office.users import os_user
from desktop.paths import Paths
from desktop.sync.outbox import Outbox
from desktop.workspace import Workspace
from tests.core.sync.factory import valid_dossier


def _desk(tmp_path: Path, url: str, name: str, login: str) -> Workspace:
    # One data dir for the three: its blobs/ stands for the office's shared file store
    # (the shared store itself is issue #17 item 1).
    ws = Workspace(Paths(tmp_path / "office"), database=url)
    ws.office = Office(ws.db, login=login, password=lambda _login: "pw", host=name)
    return ws


def test_prepare_at_one_desk_send_at_another_everyone_sees_it_and_the_trail_says_who(
    tmp_path: Path, postgres_url: str
) -> None:
    admin = Workspace(Paths(tmp_path / "admin"), database=postgres_url)
    admin.office.directory.add(os_user(), "Quản trị", "admin", None)
    for login, name, role in (("lan", "Chị Lan", "clerk"), ("hoa", "Chị Hoa", "sender"),
                              ("minh", "Anh Minh", "signer")):  # fmt: skip
        admin.office.directory.add(login, name, role, "pw")
    _ = admin.dossiers
    admin.close()
    lan = _desk(tmp_path, postgres_url, "PC-1", "lan")
    hoa = _desk(tmp_path, postgres_url, "PC-2", "hoa")
    minh = _desk(tmp_path, postgres_url, "PC-3", "minh")
    try:
        heard: dict[str, list[DossierChanged]] = {"hoa": [], "minh": []}
        queued = threading.Event()
        for name, ws in (("hoa", hoa), ("minh", minh)):
            assert ws.start_live_updates()
            ws.events.subscribe(DossierChanged, heard[name].append)
        minh.events.subscribe(
            DossierChanged, lambda e: queued.set() if e.state == "QUEUED" else None
        )

        dossier = valid_dossier(lan, tmp_path / "files", "a")
        lan.dossiers.mark_ready(dossier.id)
        with pytest.raises(UserError, match="không được chuẩn bị"):
            minh.dossiers.set_fields(dossier.id, {"notes": "x"})
        Outbox(hoa.db, hoa.dossiers, hoa.store, hoa.events).submit(dossier.id)

        assert queued.wait(2.0), "the third desk did not see the submission within 2 s"
        assert any(e.dossier_id == dossier.id and e.state == "READY" for e in heard["hoa"])
        trail = minh.office.trail.entries(dossier.id)
        who = {(e.action, e.display_name, e.host) for e in trail}
        assert ("dossier.create", "Chị Lan", "PC-1") in who
        assert ("dossier.state", "Chị Lan", "PC-1") in who
        assert ("dossier.submit", "Chị Hoa", "PC-2") in who
        assert all(e.login != "minh" for e in trail)  # the refused edit left no trace
    finally:
        for ws in (lan, hoa, minh):
            ws.close()
