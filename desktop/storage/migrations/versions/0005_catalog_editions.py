"""catalog editions, cases and component marks

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-07

- `procedure_editions`: every edition of a procedure with its whole content (native
  format) and provenance (source, format, fetched at, SHA-256 of the source record).
- `procedures.edition` (current edition), `procedures.levels` ("bo tinh xa"),
  `procedures.portal_page_id` (text: the portal's page ids are UUIDs; the integer
  `dvcqg_page_id` is copied into it and no longer written).
- `dossiers.procedure_edition` (the edition a dossier was created under) and
  `dossiers.case_code` (the case, trường hợp, the clerk chose).
- `dossier_component_marks`: "không áp dụng cho hồ sơ này", with who and when.

Existing procedures become edition 1 of themselves (built from their rows and
components by the live builder, so they read exactly as before), existing dossiers are
pinned to it, and the search index is rebuilt with the current rules (spellings, the
dropped "Thủ tục", abbreviations).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

# The live builders on purpose (as 0003): stored content and index rows must be what
# the app reads and queries.
from desktop.catalog.content import canonical_json, content_from_rows, content_sha256
from desktop.catalog.search import IndexEntry, index_row
from desktop.catalog.summaries import stored_summaries

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def upgrade() -> None:
    # Plain ALTER TABLE ... ADD COLUMN: recreating `procedures` or `dossiers` in batch
    # mode would trip the foreign keys of the tables that point at them.
    op.add_column("procedures", sa.Column("edition", sa.Integer(), nullable=True))
    op.add_column("procedures", sa.Column("levels", sa.String(length=16), nullable=True))
    op.add_column("procedures", sa.Column("portal_page_id", sa.String(length=64), nullable=True))
    op.add_column("procedures", sa.Column("sort_name", sa.Text(), nullable=True))
    op.add_column("procedures", sa.Column("fee_summary", sa.Text(), nullable=True))
    op.add_column("procedures", sa.Column("time_summary", sa.Text(), nullable=True))
    op.create_index(op.f("ix_procedures_sort_name"), "procedures", ["sort_name"])
    op.create_table(
        "procedure_editions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("procedure_key", sa.String(length=64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("record_sha256", sa.String(length=64), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_format", sa.String(length=16), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["procedure_key"],
            ["procedures.key"],
            name=op.f("fk_procedure_editions_procedure_key_procedures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procedure_editions")),
        sa.UniqueConstraint(
            "procedure_key", "number", name=op.f("uq_procedure_editions_procedure_key")
        ),
    )
    op.create_index(
        op.f("ix_procedure_editions_procedure_key"), "procedure_editions", ["procedure_key"]
    )
    op.add_column("dossiers", sa.Column("procedure_edition", sa.Integer(), nullable=True))
    op.add_column("dossiers", sa.Column("case_code", sa.String(length=64), nullable=True))
    op.create_table(
        "dossier_component_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("component_code", sa.String(length=64), nullable=False),
        sa.Column("mark", sa.String(length=16), nullable=False),
        sa.Column("marked_by", sa.Text(), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["dossiers.id"],
            name=op.f("fk_dossier_component_marks_dossier_id_dossiers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_component_marks")),
        sa.UniqueConstraint(
            "dossier_id", "component_code", name=op.f("uq_dossier_component_marks_dossier_id")
        ),
    )
    op.create_index(
        op.f("ix_dossier_component_marks_dossier_id"), "dossier_component_marks", ["dossier_id"]
    )
    _fill(op.get_bind())


def _fill(connection: sa.Connection) -> None:
    connection.execute(sa.text("UPDATE procedures SET portal_page_id = CAST(dvcqg_page_id AS TEXT) WHERE dvcqg_page_id IS NOT NULL"))
    rows = connection.execute(
        sa.text(
            "SELECT p.key, p.code, p.name, p.agency_code, p.field_code, p.online_level, "
            "p.channels, p.results, p.legal_basis, p.conditions, p.notes, p.portal_page_id, "
            "f.name FROM procedures p LEFT JOIN fields f ON f.code = p.field_code"
        )
    ).all()
    columns = (
        "key code name agency_code field_code online_level channels results legal_basis "
        "conditions notes dvcqg_page_id"
    ).split()
    now = datetime.now(UTC)
    editions = []
    index = []
    lists: list[dict[str, Any]] = []
    for found in rows:
        row = dict(zip(columns, found[:-1], strict=True))
        for name in ("channels", "results", "legal_basis", "notes"):
            row[name] = _json(row[name])
        components = [
            {**dict(c._mapping), "accepted_types": _json(c.accepted_types)}
            for c in connection.execute(
                sa.text(
                    "SELECT code, name, required, originals, copies, template, accepted_types, "
                    "max_size, \"case\", note FROM procedure_components "
                    "WHERE procedure_key = :key ORDER BY position"
                ),
                {"key": row["key"]},
            )
        ]
        for c in components:
            if c["required"] is not None:
                c["required"] = bool(c["required"])
        content = content_from_rows(row, components)
        editions.append(
            {
                "key": row["key"],
                "content": canonical_json(content),
                "digest": content_sha256(content),
                "at": now,
            }
        )
        index.append(
            index_row(IndexEntry(row["key"], row["name"], row["code"], found[-1] or ""))
        )
        fee, time = stored_summaries(row["channels"] or [])
        lists.append(
            {"key": row["key"], "sort": index[-1]["name"], "fee": fee, "time": time}
        )
    if editions:
        connection.execute(
            sa.text(
                "INSERT INTO procedure_editions (procedure_key, number, content, content_sha256, "
                "record_sha256, source, source_format, fetched_at, imported_at) VALUES "
                "(:key, 1, :content, :digest, NULL, 'migration 0005', 'native', NULL, :at)"
            ),
            editions,
        )
    connection.execute(sa.text("UPDATE procedures SET edition = 1"))
    if lists:
        connection.execute(
            sa.text(
                "UPDATE procedures SET sort_name = :sort, fee_summary = :fee, "
                "time_summary = :time WHERE key = :key"
            ),
            lists,
        )
    connection.execute(
        sa.text(
            "UPDATE dossiers SET procedure_edition = 1 "
            "WHERE procedure_key IN (SELECT key FROM procedures)"
        )
    )
    if connection.dialect.name == "sqlite":
        connection.execute(sa.text("DELETE FROM procedure_search"))
        if index:
            connection.execute(
                sa.text(
                    "INSERT INTO procedure_search (key, name, initials, extra) "
                    "VALUES (:key, :name, :initials, :extra)"
                ),
                index,
            )


def downgrade() -> None:
    op.drop_index(op.f("ix_dossier_component_marks_dossier_id"), "dossier_component_marks")
    op.drop_table("dossier_component_marks")
    op.drop_column("dossiers", "case_code")
    op.drop_column("dossiers", "procedure_edition")
    op.drop_index(op.f("ix_procedure_editions_procedure_key"), "procedure_editions")
    op.drop_table("procedure_editions")
    op.drop_index(op.f("ix_procedures_sort_name"), "procedures")
    for column in ("time_summary", "fee_summary", "sort_name", "portal_page_id", "levels", "edition"):
        op.drop_column("procedures", column)
