"""procedure search on PostgreSQL

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08

On PostgreSQL the procedure search index is a plain table `procedure_search` (SQLite
has its FTS5 table of that name since 0001): the folded index rows of
desktop.catalog.search.index_row, their padded concatenation `document` under a trigram
(pg_trgm) GIN index, the folded name under a pattern index (names that start with the
query), and the row's word count for bm25 (desktop/catalog/search_postgres.py). Filled
here from the catalog tables; kept current by the catalog writer. SQLite: nothing.
"""

from __future__ import annotations

from alembic import op

# The live builder on purpose (as 0005): index rows must be what the app queries.
from desktop.catalog.search_postgres import rebuild

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(
        "CREATE TABLE procedure_search ("
        "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
        "key TEXT NOT NULL, name TEXT NOT NULL, initials TEXT NOT NULL, "
        "extra TEXT NOT NULL, document TEXT NOT NULL, length INTEGER NOT NULL)"
    )
    op.execute("CREATE INDEX ix_procedure_search_key ON procedure_search (key)")
    op.execute("CREATE INDEX ix_procedure_search_name ON procedure_search (name text_pattern_ops)")
    op.execute(
        "CREATE INDEX ix_procedure_search_trgm ON procedure_search "
        "USING gin (document gin_trgm_ops)"
    )
    rebuild(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE IF EXISTS procedure_search")
