"""transfer bundles

Revision ID: 0009
Revises: 0003
Create Date: 2026-12-07

Transfer bundles (desktop/bundles, docs/bundles.md): the workspace's own id, the bundles
it exported (with their sequence numbers) and imported (by manifest SHA-256), where each
imported dossier came from, and the bundle signers a clerk trusted. The dossier state
HANDED_OVER needs no schema change (`dossiers.state` is a string).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workspace_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspace_identity")),
    )
    op.create_table(
        "bundle_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target_workspace", sa.String(length=36), nullable=True),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=True),
        sa.Column("dossier_uuids", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bundle_exports")),
        sa.UniqueConstraint("sequence", name=op.f("uq_bundle_exports_sequence")),
    )
    op.create_table(
        "bundle_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source_workspace", sa.String(length=36), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("signer_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("signer_name", sa.Text(), nullable=False),
        sa.Column("added", sa.JSON(), nullable=False),
        sa.Column("skipped", sa.JSON(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bundle_imports")),
        sa.UniqueConstraint("manifest_sha256", name=op.f("uq_bundle_imports_manifest_sha256")),
    )
    op.create_index(
        op.f("ix_bundle_imports_source_workspace"), "bundle_imports", ["source_workspace"]
    )
    op.create_table(
        "bundle_dossiers",
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("source_workspace", sa.String(length=36), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_bundle_dossiers_dossier_id_dossiers")
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["bundle_imports.id"],
            name=op.f("fk_bundle_dossiers_import_id_bundle_imports"),
        ),
        sa.PrimaryKeyConstraint("dossier_id", name=op.f("pk_bundle_dossiers")),
        sa.UniqueConstraint("uuid", name=op.f("uq_bundle_dossiers_uuid")),
    )
    op.create_index(
        op.f("ix_bundle_dossiers_source_workspace"), "bundle_dossiers", ["source_workspace"]
    )
    op.create_table(
        "bundle_signers",
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("certificate", sa.Text(), nullable=False),
        sa.Column("trusted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_bundle_signers")),
    )


def downgrade() -> None:
    op.drop_table("bundle_signers")
    op.drop_index(op.f("ix_bundle_dossiers_source_workspace"), table_name="bundle_dossiers")
    op.drop_table("bundle_dossiers")
    op.drop_index(op.f("ix_bundle_imports_source_workspace"), table_name="bundle_imports")
    op.drop_table("bundle_imports")
    op.drop_table("bundle_exports")
    op.drop_table("workspace_identity")
