"""record metadata and scan text

Revision ID: 0010
Revises: 0003
Create Date: 2026-12-08

`record_metadata`: the archive fields a digitising unit enters per record (Circular
05/2025/TT-BNV; desktop.intake.metadata), one row per dossier, as JSON.
`dossiers.scan_text`: the folded text layer (OCR) of the dossier's PDF attachments, part
of the dossier's search text, so a word of a scan finds its dossier. Existing dossiers
start with no scan text (their scans are read again when files are attached or removed).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_metadata",
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("dossier_id"),
    )
    # Plain ADD COLUMN: recreating `dossiers` in batch mode would drop the search triggers.
    op.add_column(
        "dossiers", sa.Column("scan_text", sa.Text(), server_default="", nullable=False)
    )


def downgrade() -> None:
    op.drop_column("dossiers", "scan_text")
    op.drop_table("record_metadata")
