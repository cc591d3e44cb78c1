"""leases and fencing tokens of outbox items; trigram search on PostgreSQL

Revision ID: 0012
Revises: 0013
Create Date: 2026-12-08

Several sync engines share one queue (issue #17, docs/office-database.md): an engine
claims an item with a lease (`lease_owner`, `lease_until`) and a fencing token
(`lease_token`, raised by every claim); every write of a claimed item checks the token,
so an engine that wakes after its lease expired and another engine took the item over
changes nothing. On PostgreSQL the folded `search_text` of dossiers gets a trigram index
(pg_trgm): it is matched with LIKE '%word%' there, where SQLite has its FTS5 table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch copy on SQLite: recreating tables would drop triggers).
    op.add_column("outbox_items", sa.Column("lease_owner", sa.String(length=100), nullable=True))
    op.add_column("outbox_items", sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "outbox_items",
        sa.Column("lease_token", sa.BigInteger(), nullable=False, server_default="0"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX IF NOT EXISTS ix_dossiers_search_trgm ON dossiers "
            "USING gin (search_text gin_trgm_ops)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_dossiers_search_trgm")
    op.drop_column("outbox_items", "lease_token")
    op.drop_column("outbox_items", "lease_until")
    op.drop_column("outbox_items", "lease_owner")
