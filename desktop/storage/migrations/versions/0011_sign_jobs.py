"""remote signing jobs

Revision ID: 0011
Revises: 0003
Create Date: 2026-12-08

`sign_jobs`: a remote signing request waiting for the signer's confirmation at a trust
service (issue #15), durable across restarts (desktop/storage/sign_job_models.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("transaction_id", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("certificate", sa.Text(), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=True),
        sa.Column("dossier_version", sa.String(length=40), nullable=True),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("error_code", sa.String(length=100), nullable=True),
        sa.Column("error_params", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_sign_jobs_dossier_id_dossiers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_jobs")),
    )
    with op.batch_alter_table("sign_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_jobs_dossier_id"), ["dossier_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_sign_jobs_transaction_id"), ["transaction_id"], unique=False
        )
        batch_op.create_index("ix_sign_jobs_state", ["state", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sign_jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_sign_jobs_state")
        batch_op.drop_index(batch_op.f("ix_sign_jobs_transaction_id"))
        batch_op.drop_index(batch_op.f("ix_sign_jobs_dossier_id"))
    op.drop_table("sign_jobs")
