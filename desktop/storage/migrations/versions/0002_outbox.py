"""outbox

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

The outbox (items to deliver exactly once, with their per-file upload state) and what
the portal reports after submission: status and history, fees, payments, result
documents, supplement requests and the changed_since cursor of batched polling.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("supplement_id", sa.String(length=64), nullable=True),
        sa.Column("submission_key", sa.String(length=64), nullable=False),
        sa.Column("account", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("bytes_sent", sa.BigInteger(), nullable=False),
        sa.Column("bytes_total", sa.BigInteger(), nullable=False),
        sa.Column("last_error_code", sa.String(length=100), nullable=True),
        sa.Column("last_error_params", sa.JSON(), nullable=True),
        sa.Column("stop_reason", sa.String(length=100), nullable=True),
        sa.Column("in_flight", sa.String(length=100), nullable=True),
        sa.Column("in_flight_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("receipt_no", sa.String(length=64), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("appointment_date", sa.String(length=10), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_outbox_items_dossier_id_dossiers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_items")),
        sa.UniqueConstraint("submission_key", name=op.f("uq_outbox_items_submission_key")),
    )
    with op.batch_alter_table("outbox_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_items_dossier_id"), ["dossier_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_outbox_items_uuid"), ["uuid"], unique=False)
        batch_op.create_index(
            "ix_outbox_items_due", ["state", "next_attempt_at", "id"], unique=False
        )

    op.create_table(
        "outbox_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.String(length=64), nullable=False),
        sa.Column("blob_sha256", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("component_code", sa.String(length=64), nullable=True),
        sa.Column("upload_url", sa.Text(), nullable=True),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("resent_bytes", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["blob_sha256"], ["blobs.sha256"], name=op.f("fk_outbox_files_blob_sha256_blobs")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["outbox_items.id"],
            name=op.f("fk_outbox_files_item_id_outbox_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_files")),
        sa.UniqueConstraint("item_id", "file_id", name=op.f("uq_outbox_files_item_id")),
    )
    with op.batch_alter_table("outbox_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_files_item_id"), ["item_id"], unique=False)

    op.create_table(
        "portal_status",
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("state_name", sa.Text(), nullable=False),
        sa.Column("receipt_no", sa.String(length=64), nullable=True),
        sa.Column("appointment_date", sa.String(length=10), nullable=True),
        sa.Column("portal_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("polled_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_portal_status_dossier_id_dossiers")
        ),
        sa.PrimaryKeyConstraint("dossier_id", name=op.f("pk_portal_status")),
        sa.UniqueConstraint("uuid", name=op.f("uq_portal_status_uuid")),
    )
    op.create_table(
        "portal_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("state_name", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_portal_history_dossier_id_dossiers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_history")),
        sa.UniqueConstraint(
            "dossier_id", "state", "at", name=op.f("uq_portal_history_dossier_id")
        ),
    )
    with op.batch_alter_table("portal_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_portal_history_dossier_id"), ["dossier_id"], unique=False
        )

    op.create_table(
        "portal_fees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("fee_id", sa.String(length=64), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("paid", sa.Boolean(), nullable=False),
        sa.Column("payment_ref", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_portal_fees_dossier_id_dossiers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_fees")),
        sa.UniqueConstraint("dossier_id", "fee_id", name=op.f("uq_portal_fees_dossier_id")),
    )
    with op.batch_alter_table("portal_fees", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_portal_fees_dossier_id"), ["dossier_id"], unique=False
        )

    op.create_table(
        "payments",
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("fee_ids", sa.JSON(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("payment_url", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("receipt_sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_payments_dossier_id_dossiers")
        ),
        sa.ForeignKeyConstraint(
            ["receipt_sha256"], ["blobs.sha256"], name=op.f("fk_payments_receipt_sha256_blobs")
        ),
        sa.PrimaryKeyConstraint("ref", name=op.f("pk_payments")),
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payments_dossier_id"), ["dossier_id"], unique=False)

    op.create_table(
        "result_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("result_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("blob_sha256", sa.String(length=64), nullable=True),
        sa.Column("signature_valid", sa.Boolean(), nullable=True),
        sa.Column("signature_detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["blob_sha256"],
            ["blobs.sha256"],
            name=op.f("fk_result_documents_blob_sha256_blobs"),
        ),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["dossiers.id"],
            name=op.f("fk_result_documents_dossier_id_dossiers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_documents")),
        sa.UniqueConstraint(
            "dossier_id", "result_id", name=op.f("uq_result_documents_dossier_id")
        ),
    )
    with op.batch_alter_table("result_documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_result_documents_dossier_id"), ["dossier_id"], unique=False
        )

    op.create_table(
        "supplement_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("draft_dossier_id", sa.Integer(), nullable=True),
        sa.Column("answered_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["dossiers.id"],
            name=op.f("fk_supplement_requests_dossier_id_dossiers"),
        ),
        sa.ForeignKeyConstraint(
            ["draft_dossier_id"],
            ["dossiers.id"],
            name=op.f("fk_supplement_requests_draft_dossier_id_dossiers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplement_requests")),
        sa.UniqueConstraint(
            "dossier_id", "request_id", name=op.f("uq_supplement_requests_dossier_id")
        ),
    )
    with op.batch_alter_table("supplement_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supplement_requests_dossier_id"), ["dossier_id"], unique=False
        )

    op.create_table(
        "sync_cursors",
        sa.Column("account", sa.String(length=300), nullable=False),
        sa.Column("cursor", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("account", name=op.f("pk_sync_cursors")),
    )


def downgrade() -> None:
    op.drop_table("sync_cursors")
    for table, indexes in (
        ("supplement_requests", ["ix_supplement_requests_dossier_id"]),
        ("result_documents", ["ix_result_documents_dossier_id"]),
        ("payments", ["ix_payments_dossier_id"]),
        ("portal_fees", ["ix_portal_fees_dossier_id"]),
        ("portal_history", ["ix_portal_history_dossier_id"]),
        ("outbox_files", ["ix_outbox_files_item_id"]),
        (
            "outbox_items",
            ["ix_outbox_items_due", "ix_outbox_items_uuid", "ix_outbox_items_dossier_id"],
        ),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for index in indexes:
                batch_op.drop_index(index)
        op.drop_table(table)
    op.drop_table("portal_status")
