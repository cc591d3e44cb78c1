"""`catalog import`: validate a catalog file completely, then upsert it in one transaction.

Either every agency, field and procedure of the file is written (with the search index
rows of the imported procedures and a `catalog_imports` row), or nothing is. Import is
an upsert: a procedure of the file replaces the stored one with the same key (its
components included); procedures that are not in the file stay as they are.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from desktop.catalog import search
from desktop.catalog.problems import invalid_catalog
from desktop.catalog.reading import read_json
from desktop.catalog.repository import encode_notes
from desktop.catalog.validation import validate
from desktop.storage import models as orm
from desktop.storage.db import Database


@dataclass(frozen=True)
class ImportReport:
    """What one import did."""

    source: str
    sha256: str
    catalog_version: str | None
    agencies: int
    fields: int
    procedures: int
    added: int
    updated: int
    indexed: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def import_catalog(db: Database, path: Path) -> ImportReport:
    """Validate `path` and import it; raises UserError (nothing written) on any problem."""
    data, digest = read_json(path)
    with db.session() as session:
        known_agencies = set(session.scalars(select(orm.Agency.code)))
        known_fields = set(session.scalars(select(orm.Field.code)))
        problems = validate(data, known_agencies, known_fields)
        if problems:
            raise invalid_catalog(path, problems)
        return _write(session, data, source=str(path.resolve()), digest=digest)


def _write(session: Session, data: dict[str, Any], *, source: str, digest: str) -> ImportReport:
    agency_rows = [_agency_row(a) for a in data["agencies"]]
    field_rows = [{"code": f["code"], "name": f["name"]} for f in data["fields"]]
    procedures: list[dict[str, Any]] = data["procedures"]
    _upsert(session, orm.Agency, orm.Agency.code, "code", agency_rows)
    _upsert(session, orm.Field, orm.Field.code, "code", field_rows)
    added, updated = _upsert(
        session, orm.Procedure, orm.Procedure.key, "key", [_procedure_row(p) for p in procedures]
    )
    keys = [p["key"] for p in procedures]
    for start in range(0, len(keys), 500):  # stay under SQLite's bound-parameter limit
        session.execute(
            delete(orm.ProcedureComponent).where(
                orm.ProcedureComponent.procedure_key.in_(keys[start : start + 500])
            )
        )
    component_rows = [
        _component_row(p["key"], position, c)
        for p in procedures
        for position, c in enumerate(p.get("components") or [])
    ]
    if component_rows:
        session.execute(insert(orm.ProcedureComponent), component_rows)
    field_names: dict[str, str] = {}
    for code, name in session.execute(select(orm.Field.code, orm.Field.name)):
        field_names[code] = name
    indexed = search.replace_entries(
        session,
        (
            search.IndexEntry(
                key=p["key"], name=p["name"], code=p.get("code"), field_name=field_names[p["field"]]
            )
            for p in procedures
        ),
    )
    session.add(
        orm.CatalogImport(
            source=source,
            sha256=digest,
            catalog_version=data.get("catalog_version"),
            imported_at=datetime.now(UTC),
            procedures=len(procedures),
        )
    )
    return ImportReport(
        source=source,
        sha256=digest,
        catalog_version=data.get("catalog_version"),
        agencies=len(agency_rows),
        fields=len(field_rows),
        procedures=len(procedures),
        added=added,
        updated=updated,
        indexed=indexed,
    )


def _upsert(
    session: Session, table: Any, key_column: Any, key: str, rows: list[dict[str, Any]]
) -> tuple[int, int]:
    """Insert new rows, update existing ones in place (so dossiers keep their reference)."""
    existing: set[str] = set()
    keys = [row[key] for row in rows]
    for start in range(0, len(keys), 500):
        existing.update(
            session.scalars(select(key_column).where(key_column.in_(keys[start : start + 500])))
        )
    new = [row for row in rows if row[key] not in existing]
    old = [row for row in rows if row[key] in existing]
    if new:
        session.execute(insert(table), new)
    if old:
        session.execute(update(table), old)
    return len(new), len(old)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value is not None else None


def _agency_row(agency: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": agency["code"],
        "name": agency["name"],
        "parent_code": agency.get("parent"),
        "province": agency.get("province"),
        "valid_from": _day(agency.get("valid_from")),
        "valid_to": _day(agency.get("valid_to")),
        "successor_code": agency.get("successor"),
    }


def _channel(channel: dict[str, Any]) -> dict[str, Any]:
    fees = channel.get("fees")
    return {
        "kind": channel.get("kind"),
        "processing_days": channel.get("processing_days"),
        "day_type": channel.get("day_type"),
        "note": channel.get("note"),
        "fees": None
        if fees is None
        else [
            {
                "kind": fee.get("kind"),
                "amount": fee.get("amount"),
                "code": fee.get("code"),
                "note": fee.get("note"),
            }
            for fee in fees
        ],
    }


def _procedure_row(procedure: dict[str, Any]) -> dict[str, Any]:
    flags = {
        "components_known": procedure.get("components") is not None,
        "results_known": procedure.get("results") is not None,
    }
    return {
        "key": procedure["key"],
        "code": procedure.get("code"),
        "dvcqg_page_id": procedure.get("dvcqg_page_id"),
        "name": procedure["name"],
        "agency_code": procedure["agency"],
        "field_code": procedure["field"],
        "online_level": procedure.get("online_level"),
        "channels": [_channel(c) for c in procedure.get("channels") or []],
        "results": list(procedure.get("results") or []),
        "legal_basis": [
            {"number": b["number"], "title": b.get("title")}
            for b in procedure.get("legal_basis") or []
        ],
        "conditions": procedure.get("conditions"),
        "notes": encode_notes(procedure.get("notes") or [], flags),
    }


def _component_row(key: str, position: int, component: dict[str, Any]) -> dict[str, Any]:
    return {
        "procedure_key": key,
        "code": component["code"],
        "position": position,
        "name": component["name"],
        "required": component.get("required"),
        "originals": component.get("originals"),
        "copies": component.get("copies"),
        "template": component.get("template"),
        "accepted_types": list(component.get("accepted_types") or []),
        "max_size": component.get("max_size"),
        "case": component.get("case"),
        "note": component.get("note"),
    }
