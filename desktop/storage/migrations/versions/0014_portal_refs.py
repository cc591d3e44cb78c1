"""portal refs

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-08

What a portal adapter remembers per dossier across restarts (desktop/portal/memory.py):
the service-style adapter's reserved dossier code and the portal's ids of uploaded
files, written before the call that depends on them (docs/portal-api.md).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "portal_refs",
        sa.Column("portal", sa.String(length=300), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("portal", "uuid", "name", name=op.f("pk_portal_refs")),
    )


def downgrade() -> None:
    op.drop_table("portal_refs")
