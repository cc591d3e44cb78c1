"""dossier search

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

Diacritic-free dossier search: `dossiers.search_text` holds the folded text of a
dossier (applicant and submitter names, ID, tax and phone numbers, receipt number,
procedure name; built by desktop.dossier.search.document) and, on SQLite, the FTS5 table
`dossier_search` indexes it (external content: the text is stored once, in dossiers)
with prefix indexes, kept in step by triggers. Existing dossiers are filled here.

A later migration that recreates `dossiers` (batch mode "move and copy") drops these
triggers with the old table and must create them again (`create_triggers`).
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

# The live document builder on purpose: stored text must be folded exactly as queries
# are. A change of what is stored needs a new migration that fills the column again.
from desktop.dossier.search import document

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TRIGGERS = {
    "dossiers_search_insert": (
        "AFTER INSERT ON dossiers BEGIN "
        "INSERT INTO dossier_search (rowid, search_text) VALUES (new.id, new.search_text); "
        "END"
    ),
    "dossiers_search_delete": (
        "AFTER DELETE ON dossiers BEGIN "
        "INSERT INTO dossier_search (dossier_search, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        "END"
    ),
    "dossiers_search_update": (
        "AFTER UPDATE OF search_text ON dossiers BEGIN "
        "INSERT INTO dossier_search (dossier_search, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        "INSERT INTO dossier_search (rowid, search_text) VALUES (new.id, new.search_text); "
        "END"
    ),
}

_BATCH = 2000


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def create_triggers() -> None:
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def _fill(connection: sa.Connection) -> None:
    rows = connection.execute(
        sa.text(
            "SELECT d.id, d.applicant, d.submitter, d.receipt_no, p.name "
            "FROM dossiers d LEFT JOIN procedures p ON p.key = d.procedure_key"
        )
    ).all()
    update = sa.text("UPDATE dossiers SET search_text = :text WHERE id = :id")
    for start in range(0, len(rows), _BATCH):
        connection.execute(
            update,
            [
                {"id": i, "text": document(_json(a), _json(s), receipt, procedure)}
                for i, a, s, receipt, procedure in rows[start : start + _BATCH]
            ],
        )


def upgrade() -> None:
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), server_default="", nullable=False))
    connection = op.get_bind()
    _fill(connection)
    if connection.dialect.name == "sqlite":
        # Text is folded before it is stored, so the tokenizer only splits words. Prefix
        # indexes of 2 to 4 characters answer "ng", "ngu", "nguy" and ID-number starts
        # ("0791") from one doclist; see docs/dossiers.md.
        op.execute(
            "CREATE VIRTUAL TABLE dossier_search USING fts5("
            "search_text, content='dossiers', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 2', prefix='2 3 4')"
        )
        op.execute("INSERT INTO dossier_search (dossier_search) VALUES ('rebuild')")
        create_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS dossier_search")
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): recreating `dossiers` in batch
    # mode would trip the foreign keys of the tables that point at it.
    op.drop_column("dossiers", "search_text")
