"""office accounts, append-only audit log, optimistic versions, dossier NOTIFY

Revision ID: 0013
Revises: 0009
Create Date: 2026-12-08

Issue #17 items 3 and 4: `office_users` (accounts and roles), `audit_log` (append-only:
UPDATE and DELETE refused by a trigger on SQLite and PostgreSQL), `dossiers.row_version`
(checked on every write: two desks never overwrite each other silently) and, on
PostgreSQL, a NOTIFY per changed dossier (desktop/storage/office_ddl.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.storage import office_ddl

revision = "0013"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "office_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_users")),
        sa.UniqueConstraint("login", name=op.f("uq_office_users_login")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("login", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("host", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_dossier_at", "audit_log", ["dossier_id", "at"])
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("row_version", sa.Integer(), nullable=False, server_default="1")
        )
    for statement in office_ddl.statements(op.get_bind().dialect.name, up=True):
        op.execute(statement)


def downgrade() -> None:
    for statement in office_ddl.statements(op.get_bind().dialect.name, up=False):
        op.execute(statement)
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_column("row_version")
    op.drop_index("ix_audit_log_dossier_at", table_name="audit_log")
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("office_users")
