"""The database's own permissions back the app's roles (issue #17 item 3, PostgreSQL):
a clerk's login cannot queue or pay even with plain SQL, nobody rewrites the audit log,
and nobody runs as a superuser."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from desktop.errors import UserError
from desktop.office import pg_roles
from desktop.office.live import libpq_url
from desktop.office.roles import Role
from desktop.office.users import ENV_PASSWORD, ENV_USER, os_user
from desktop.paths import Paths
from desktop.storage.db import open_server_database as open_server
from desktop.workspace import Workspace


def _as(url: str, user: str) -> str:
    return (
        make_url(url)
        .set(username=user, password="pw-" + user)
        .render_as_string(hide_password=False)
    )


@pytest.fixture
def office_db(postgres_url: str, tmp_path: Path) -> str:
    open_server(postgres_url).dispose()
    owner = Workspace(Paths(tmp_path / "owner"), database=postgres_url)
    owner.office.directory.add(os_user(), "Quản trị", "admin", None)
    owner.office.directory.add("lan", "Chị Lan", "clerk", None)
    owner.catalog.ensure_bundled()
    owner.close()
    pg_roles.apply(postgres_url, {"lan": (Role.CLERK, "pw-lan"), "hoa": (Role.SENDER, "pw-hoa")})
    return postgres_url


def test_a_clerks_login_prepares_but_the_database_refuses_queueing_and_audit_edits(
    office_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lan_url = _as(office_db, "lan")
    monkeypatch.setenv(ENV_USER, "lan")
    monkeypatch.delenv(ENV_PASSWORD, raising=False)
    desk = Workspace(Paths(tmp_path / "lan"), database=lan_url)
    dossier = desk.dossiers.create("SYT-DUOC-CCHN-XET-HO-SO")  # the app as a clerk works
    assert desk.office.actor().login == "lan"
    desk.close()

    with psycopg.connect(libpq_url(make_url(lan_url)), autocommit=True) as conn:
        assert conn.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone() == (False,)
        assert conn.execute("SELECT count(*) FROM dossiers").fetchone() == (1,)
        for statement in (
            "INSERT INTO outbox_items (dossier_id, kind, uuid, submission_key, account, "
            "state, body, attempts, next_attempt_at, bytes_sent, bytes_total, created_at, "
            f"updated_at) VALUES ({dossier.id}, 'dossier', 'u', 'k', '', 'QUEUED', '{{}}', 0, "
            "now(), 0, 0, now(), now())",
            "INSERT INTO payments (ref, dossier_id, fee_ids, amount, payment_url, state, "
            f"created_at) VALUES ('p', {dossier.id}, '[]', 1, 'x', 'pending', now())",
            "UPDATE office_users SET role = 'admin'",
            "DELETE FROM audit_log",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    hoa = libpq_url(make_url(_as(office_db, "hoa")))
    with (
        psycopg.connect(hoa, autocommit=True) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute("UPDATE audit_log SET login = 'x'")


def test_a_refusal_by_the_database_is_a_clear_message(
    office_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even if the app's own check were bypassed, the database says no, in words."""
    monkeypatch.setenv(ENV_USER, "lan")
    desk = Workspace(Paths(tmp_path / "lan"), database=_as(office_db, "lan"))
    desk.office.actor()
    with pytest.raises(UserError) as refused, desk.db.session() as session:
        from sqlalchemy import text

        session.execute(text("DELETE FROM office_users"))
    assert refused.value.code == "storage.database_forbidden"
    desk.close()
