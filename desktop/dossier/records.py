"""Record metadata per dossier (Circular 05/2025/TT-BNV fields), stored in the database.

One row per dossier in `record_metadata` (migration 0010). Entered by a batch (its
defaults with each folder's overrides), by `intake metadata set`, and exported for the
archive's system as CSV or JSON (`desktop.intake.metadata.to_csv` / `to_json`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from desktop.dossier.service import E_NOT_FOUND
from desktop.errors import UserError
from desktop.intake.metadata import BY_KEY, RecordMetadata
from desktop.storage import models
from desktop.storage.db import Database


class RecordMetadataStore:
    """Reads and writes the record metadata of dossiers."""

    def __init__(self, db: Database, clock: Callable[[], datetime] | None = None) -> None:
        self._db = db
        self._clock = clock or (lambda: datetime.now(UTC))

    def get(self, dossier_id: int) -> RecordMetadata | None:
        with self._db.session() as session:
            row = session.get(models.RecordMetadataRow, dossier_id)
            return None if row is None else _from_row(row.fields)

    def save(self, dossier_id: int, record: RecordMetadata, *, merge: bool = False) -> None:
        """Store `record` for the dossier (`merge`: over what is stored)."""
        with self._db.session() as session:
            if session.get(models.Dossier, dossier_id) is None:
                raise UserError(E_NOT_FOUND, id=dossier_id)
            row = session.get(models.RecordMetadataRow, dossier_id)
            values = dict(record.values)
            if row is None:
                session.add(
                    models.RecordMetadataRow(
                        dossier_id=dossier_id, fields=values, updated_at=self._clock()
                    )
                )
                return
            row.fields = {**row.fields, **values} if merge else values
            row.updated_at = self._clock()

    def export_rows(self, dossier_ids: list[int] | None = None) -> list[dict[str, Any]]:
        """One dict per dossier with metadata: its id, the fields and its files' names."""
        with self._db.session() as session:
            query = select(models.RecordMetadataRow).order_by(models.RecordMetadataRow.dossier_id)
            if dossier_ids:
                query = query.where(models.RecordMetadataRow.dossier_id.in_(dossier_ids))
            rows = []
            for row in session.scalars(query):
                files = session.scalars(
                    select(models.DossierFile.name)
                    .where(models.DossierFile.dossier_id == row.dossier_id)
                    .order_by(models.DossierFile.component_code, models.DossierFile.position)
                ).all()
                record = _from_row(row.fields)
                rows.append({"dossier_id": row.dossier_id, **record.as_dict(), "files": files})
            return rows


def _from_row(fields: dict[str, Any]) -> RecordMetadata:
    # Keys written by a later version are kept out of this version's view.
    return RecordMetadata({k: str(v) for k, v in fields.items() if k in BY_KEY})
