"""The database's own permissions behind the app's roles (PostgreSQL).

One group role per app role (dvc_clerk, dvc_signer, dvc_sender, dvc_admin, NOLOGIN),
granted what that role's work writes; each person logs in with a role of their own
that is a member of one group (`login_statements`), never as a superuser or the owner.
So a clerk's desk cannot queue a submission or record a payment even outside the app,
nobody can change or delete the audit trail (no UPDATE/DELETE grant, and the trigger),
and only an administrator writes the accounts table. Every role may run a sync engine
(deliver what a sender queued, read the portal's answers and the catalog), so the
queue's and the catalog's rows may be updated by all, but only inserted into the queue
by a sender.

Run by the database owner once after the schema exists (`dvc-desk db setup-roles URL`),
and again after an upgrade that adds tables.
"""

from __future__ import annotations

import re

from desktop.errors import UserError, define
from desktop.office.roles import Role

GROUPS: dict[Role, str] = {r: f"dvc_{r.value}" for r in Role}

CATALOG = ("agencies", "fields", "procedures", "procedure_components", "procedure_editions",
           "catalog_imports")  # fmt: skip
# What the engine writes for everyone: delivery progress, the portal's answers.
DELIVERY = ("outbox_items", "outbox_files", "portal_status", "portal_history", "portal_fees",
            "result_documents", "supplement_requests", "sync_cursors", "payments")  # fmt: skip
PREPARE = ("dossiers", "dossier_files", "dossier_events", "dossier_component_marks",
           "record_metadata", "blobs")  # fmt: skip
SEND = ("outbox_items", "outbox_files", "payments", "bundle_exports", "bundle_dossiers",
        "bundle_imports", "bundle_signers", "workspace_identity", "dossiers", "dossier_files",
        "dossier_events", "blobs")  # fmt: skip
SIGN = ("sign_jobs", "blobs", "dossier_events")

E_BAD_ROLE_NAME = define(
    "office.bad_database_login",
    vi=(
        "Tên đăng nhập cơ sở dữ liệu «{name}» không hợp lệ: dùng chữ thường không dấu, số, "
        "gạch dưới."
    ),
    en="Database login '{name}' is not valid: use lower-case letters, digits and underscores.",
)


def _grants(role: Role) -> list[str]:
    group = GROUPS[role]
    every = [
        f"GRANT USAGE ON SCHEMA public TO {group}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {group}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {group}",
        f"GRANT INSERT ON audit_log TO {group}",
        f"GRANT INSERT, UPDATE ON {', '.join(CATALOG)} TO {group}",
        f"GRANT DELETE ON procedure_components TO {group}",
        f"GRANT UPDATE ON {', '.join(t for t in DELIVERY if t != 'payments')} TO {group}",
        f"GRANT INSERT ON portal_status, portal_history, portal_fees, result_documents, "
        f"supplement_requests, sync_cursors, blobs, dossier_events TO {group}",
        f"GRANT UPDATE (state, updated_at, receipt_no, portal_state, search_text, row_version) "
        f"ON dossiers TO {group}",
        f"GRANT UPDATE (state, paid_at, receipt_sha256) ON payments TO {group}",
    ]
    if role is Role.ADMIN:
        tables = "ALL TABLES IN SCHEMA public"
        return [*every, f"GRANT INSERT, UPDATE, DELETE ON {tables} TO {group}",
                f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM {group}"]  # fmt: skip
    extra = {
        Role.CLERK: [f"GRANT INSERT, UPDATE ON {', '.join(PREPARE)} TO {group}",
                     f"GRANT DELETE ON dossier_files, dossier_component_marks TO {group}"],
        Role.SIGNER: [f"GRANT INSERT, UPDATE ON {', '.join(SIGN)} TO {group}",
                      f"GRANT UPDATE ON dossiers, dossier_files TO {group}"],
        Role.SENDER: [f"GRANT INSERT, UPDATE ON {', '.join(SEND)} TO {group}"],
    }[role]  # fmt: skip
    return [*every, *extra]


def setup_statements() -> list[str]:
    """Create the group roles (if missing) and grant them their tables."""
    statements: list[str] = []
    for role, group in GROUPS.items():
        statements.append(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
            f"'{group}') THEN CREATE ROLE {group} NOLOGIN; END IF; END $$"
        )
        statements.append(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {group}")
        statements.extend(_grants(role))
    return statements


def login_statements(name: str, role: Role) -> list[str]:
    """A person's own log-in role, a member of the group of `role`; its password is set
    separately with a bound parameter (never spliced into SQL)."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise UserError(E_BAD_ROLE_NAME, name=name)
    return [
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
        f"'{name}') THEN CREATE ROLE {name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE; "
        "END IF; END $$",
        *(f"REVOKE {g} FROM {name}" for g in GROUPS.values()),
        f"GRANT {GROUPS[role]} TO {name}",
    ]


def apply(url: str, logins: dict[str, tuple[Role, str]] | None = None) -> None:
    """Run `setup_statements` (and make the given logins: name → (role, password)) on
    the database at `url`, connected as its owner; one transaction."""
    import psycopg
    from psycopg import sql

    from desktop.office.live import libpq_url
    from desktop.storage.db import create_server_engine as engine_for

    engine = engine_for(url)
    conninfo = libpq_url(engine.url)
    engine.dispose()
    with psycopg.connect(conninfo) as conn:
        for statement in setup_statements():
            conn.execute(statement.encode())
        for name, (role, password) in (logins or {}).items():
            for statement in login_statements(name, role):
                conn.execute(statement.encode())
            conn.execute(
                sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                    sql.Identifier(name), sql.Literal(password)
                )
            )
