"""Dialect-specific DDL of migration 0013, kept in one place for the migration and the
tests: the append-only audit log (a trigger refusing UPDATE and DELETE, on SQLite and
PostgreSQL) and, on PostgreSQL, the NOTIFY of a changed dossier (desktop.office.live).
"""

from __future__ import annotations

NOTIFY_CHANNEL = "dvc_desk_dossiers"
APPEND_ONLY = "audit_log is append-only"

SQLITE_UP = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS audit_log_no_update",
    "DROP TRIGGER IF EXISTS audit_log_no_delete",
)

POSTGRESQL_UP = (
    "CREATE FUNCTION dvc_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{APPEND_ONLY}' USING ERRCODE = 'insufficient_privilege'; END $$",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION dvc_audit_append_only()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION dvc_audit_append_only()",
    # One small message per changed dossier row, sent at commit: the other desks read
    # it (LISTEN) instead of polling the table.
    "CREATE FUNCTION dvc_dossier_notify() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "DECLARE r record; BEGIN "
    "IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF; "
    f"PERFORM pg_notify('{NOTIFY_CHANNEL}', "
    "json_build_object('id', r.id, 'state', r.state, 'op', TG_OP)::text); "
    "RETURN NULL; END $$",
    "CREATE TRIGGER dossiers_notify AFTER INSERT OR UPDATE OR DELETE ON dossiers "
    "FOR EACH ROW EXECUTE FUNCTION dvc_dossier_notify()",
)
POSTGRESQL_DOWN = (
    "DROP TRIGGER IF EXISTS dossiers_notify ON dossiers",
    "DROP FUNCTION IF EXISTS dvc_dossier_notify()",
    "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
    "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
    "DROP FUNCTION IF EXISTS dvc_audit_append_only()",
)


def statements(dialect: str, *, up: bool) -> tuple[str, ...]:
    """The statements for `dialect` ("sqlite" or "postgresql"); none for others."""
    if dialect == "sqlite":
        return SQLITE_UP if up else SQLITE_DOWN
    if dialect == "postgresql":
        return POSTGRESQL_UP if up else POSTGRESQL_DOWN
    return ()
