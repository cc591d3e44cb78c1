"""Accounts, roles and the audit trail (issue #17 item 3), on SQLite."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.errors import UserError
from desktop.office.audit import write_csv
from desktop.office.users import ENV_PASSWORD, ENV_USER, os_user
from desktop.paths import Paths
from desktop.storage.outbox_models import OutboxItem
from desktop.sync.outbox import Outbox
from desktop.workspace import Workspace
from tests.core.sync.factory import valid_dossier


def _as(data_dir: Path, monkeypatch: pytest.MonkeyPatch, login: str, password: str) -> Workspace:
    monkeypatch.setenv(ENV_USER, login)
    monkeypatch.setenv(ENV_PASSWORD, password)
    return Workspace(Paths(data_dir))


@pytest.fixture
def office(data_dir: Path) -> Iterator[Path]:
    """A data dir with four accounts: admin (OS account), lan (clerk), minh (signer),
    hoa (sender); the three have passwords."""
    ws = Workspace(Paths(data_dir))
    ws.office.directory.add(os_user(), "Quản trị", "admin", None)
    ws.office.directory.add("lan", "Chị Lan", "clerk", "mật-khẩu-lan")
    ws.office.directory.add("minh", "Anh Minh", "signer", "mật-khẩu-minh")
    ws.office.directory.add("hoa", "Chị Hoa", "sender", "mật-khẩu-hoa")
    ws.close()
    yield data_dir


def test_without_accounts_the_os_user_is_admin_and_everything_is_recorded(
    workspace: Workspace, tmp_path: Path
) -> None:
    dossier = valid_dossier(workspace, tmp_path, "a")
    workspace.dossiers.mark_ready(dossier.id)
    Outbox(workspace.db, workspace.dossiers, workspace.store, workspace.events).submit(dossier.id)

    trail = workspace.office.trail.entries(dossier.id)
    actions = [e.action for e in trail]
    assert actions[0] == "dossier.create"
    assert "dossier.edit" in actions and actions[-1] == "dossier.submit"
    assert {e.login for e in trail} == {os_user()}
    assert {e.role for e in trail} == {"admin"}
    assert all(e.host for e in trail)


def test_a_clerk_prepares_but_cannot_submit_and_nothing_changes(
    office: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ws = _as(office, monkeypatch, "lan", "mật-khẩu-lan")
    dossier = valid_dossier(ws, tmp_path, "a")
    ws.dossiers.mark_ready(dossier.id)
    outbox = Outbox(ws.db, ws.dossiers, ws.store, ws.events)

    with pytest.raises(UserError) as refused:
        outbox.submit(dossier.id)

    assert refused.value.code == "office.forbidden"
    assert "sender" in refused.value.message() and "lan" in refused.value.message()
    assert ws.dossiers.get(dossier.id).state == "READY"
    with ws.db.session() as session:
        assert session.scalar(select(func.count()).select_from(OutboxItem)) == 0
    assert [e.action for e in ws.office.trail.entries(dossier.id)][-1] == "dossier.state"
    ws.close()


def test_a_sender_submits_but_cannot_edit(
    office: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clerk = _as(office, monkeypatch, "lan", "mật-khẩu-lan")
    dossier = valid_dossier(clerk, tmp_path, "a")
    clerk.dossiers.mark_ready(dossier.id)
    clerk.close()
    sender = _as(office, monkeypatch, "hoa", "mật-khẩu-hoa")

    with pytest.raises(UserError, match="không được chuẩn bị"):
        sender.dossiers.set_fields(dossier.id, {"notes": "sửa"})
    Outbox(sender.db, sender.dossiers, sender.store, sender.events).submit(dossier.id)

    trail = sender.office.trail.entries(dossier.id)
    assert (trail[-1].action, trail[-1].login, trail[-1].display_name) == (
        "dossier.submit", "hoa", "Chị Hoa",
    )  # fmt: skip
    assert {e.login for e in trail[:-1]} == {"lan"}
    sender.close()


def test_a_wrong_password_or_unknown_account_is_refused(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _as(office, monkeypatch, "lan", "sai")
    with pytest.raises(UserError) as wrong:
        ws.dossiers.create("SYT-DUOC-CCHN-XET-HO-SO")
    assert wrong.value.code == "office.bad_password"
    ws.close()
    ws = _as(office, monkeypatch, "mallory", "x")
    with pytest.raises(UserError) as unknown:
        ws.office.actor()
    assert unknown.value.code == "office.unknown_user"
    ws.close()


def test_only_an_admin_manages_accounts_and_the_first_must_be_admin(
    data_dir: Path, office: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ws = _as(office, monkeypatch, "lan", "mật-khẩu-lan")
    with pytest.raises(UserError, match="quản trị văn phòng"):
        ws.office.directory.set_role("lan", "admin")
    assert ws.office.directory.get("lan").role == "clerk"  # type: ignore[union-attr]
    ws.close()

    fresh = Workspace(Paths(tmp_path / "fresh"))
    with pytest.raises(UserError) as first:
        fresh.office.directory.add("lan", "Chị Lan", "clerk", "x")
    assert first.value.code == "office.first_must_be_admin"
    fresh.close()


def test_the_trail_exports_as_csv_and_formula_cells_are_defused(workspace: Workspace) -> None:
    workspace.office.trail.record("export", '=HYPERLINK("http://x")', dossier_id=7)
    out = io.StringIO()
    assert write_csv(workspace.office.trail.entries(), out) == 1
    text = out.getvalue()
    assert text.startswith("\ufeff")
    lines = text[1:].splitlines()
    assert lines[0] == "id,at,login,display_name,role,host,action,dossier_id,detail"
    assert "+00:00," in lines[1]
    assert lines[1].endswith(',export,7,"\'=HYPERLINK(""http://x"")"')


def test_the_engines_own_moves_are_audited_in_their_transaction(
    workspace: Workspace, tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    from desktop.dossier import state_door

    dossier = valid_dossier(workspace, tmp_path, "a")
    workspace.dossiers.mark_ready(dossier.id)
    Outbox(workspace.db, workspace.dossiers, workspace.store, workspace.events).submit(dossier.id)
    with workspace.db.engine.begin() as conn:
        state_door.move_core(conn, dossier.id, "UPLOADING", "Đang tải lên", datetime.now(UTC))

    last = workspace.office.trail.entries(dossier.id)[-1]
    assert (last.action, last.detail) == ("dossier.deliver", "→ UPLOADING: Đang tải lên")


def test_a_second_office_on_the_same_database_replaces_the_first_trail(
    workspace: Workspace,
) -> None:
    from desktop.office.service import Office

    workspace.office = Office(workspace.db, host="PC-9")
    dossier = workspace.dossiers.create("SYT-DUOC-CCHN-XET-HO-SO")
    assert [(e.action, e.host) for e in workspace.office.trail.entries(dossier.id)] == [
        ("dossier.create", "PC-9")
    ]
