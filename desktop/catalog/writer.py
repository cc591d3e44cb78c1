"""Writes imported procedures as editions, inside the caller's transaction.

A procedure is identified by its key (the national code for the portal's records); its
content (native format) is hashed canonically: the same content as the current edition
writes nothing, other content becomes the next edition, with its provenance (source,
format, fetched at, SHA-256 of the record). The `procedures` row always shows the
current edition (for lists and search); older editions stay for the dossiers created
under them. Rows go in with executemany, batch by batch, so 10,000 procedures import
in a few seconds without holding them all in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from desktop.catalog import search
from desktop.catalog.content import canonical_json, content_sha256
from desktop.catalog.repository import encode_notes
from desktop.catalog.summaries import stored_summaries
from desktop.storage import models as orm

_CHUNK = 500  # SQLite's bound-parameter limit


@dataclass
class WriteCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    indexed: int = 0


@dataclass(frozen=True)
class Item:
    """One procedure to write: its native content and the SHA-256 of its source record."""

    content: dict[str, Any]
    record_sha256: str | None = None


class EditionWriter:
    """Upserts agencies, fields and procedure editions of one import."""

    def __init__(
        self,
        session: Session,
        *,
        source: str,
        source_format: str,
        fetched_at: datetime | None,
        now: datetime,
    ) -> None:
        self._session = session
        self._source = source
        self._format = source_format
        self._fetched_at = fetched_at
        self._now = now
        self.counts = WriteCounts()
        fields = session.execute(select(orm.Field.code, orm.Field.name)).all()
        self._field_names: dict[str, str] = {row[0]: row[1] for row in fields}
        self._agencies = set(session.scalars(select(orm.Agency.code)))
        # key → (current edition number, its content digest)
        self._current: dict[str, tuple[int, str]] = {
            key: (number, digest)
            for key, number, digest in session.execute(
                select(
                    orm.Procedure.key,
                    orm.ProcedureEdition.number,
                    orm.ProcedureEdition.content_sha256,
                ).join(
                    orm.ProcedureEdition,
                    (orm.ProcedureEdition.procedure_key == orm.Procedure.key)
                    & (orm.ProcedureEdition.number == orm.Procedure.edition),
                )
            )
        }
        self._rows_without_edition = set(
            session.scalars(select(orm.Procedure.key).where(orm.Procedure.edition.is_(None)))
        )

    def known_records(self) -> set[str]:
        """SHA-256 of the source records of the current editions (a file whose bytes
        are among them needs no reading)."""
        rows = self._session.execute(
            select(orm.ProcedureEdition.record_sha256)
            .join(
                orm.Procedure,
                (orm.ProcedureEdition.procedure_key == orm.Procedure.key)
                & (orm.ProcedureEdition.number == orm.Procedure.edition),
            )
            .where(orm.ProcedureEdition.record_sha256.is_not(None))
        )
        return {sha for (sha,) in rows if sha}

    def agencies(self, rows: Iterable[dict[str, Any]]) -> None:
        """Upsert agencies in the file's shape (`parent`, `successor`, dates as text)."""
        _upsert(self._session, orm.Agency, orm.Agency.code, "code", [_agency_row(a) for a in rows])
        self._agencies.update(a["code"] for a in rows)

    def new_agencies(self, rows: Iterable[dict[str, Any]]) -> None:
        """Insert the agencies not known yet (a portal record names, never defines, them)."""
        fresh = {a["code"]: a for a in rows if a["code"] not in self._agencies}
        if fresh:
            self._session.execute(insert(orm.Agency), [_agency_row(a) for a in fresh.values()])
            self._agencies.update(fresh)

    def fields(self, rows: Iterable[dict[str, Any]], *, replace: bool = True) -> None:
        wanted = {f["code"]: {"code": f["code"], "name": f["name"]} for f in rows}
        if not replace:
            wanted = {k: v for k, v in wanted.items() if k not in self._field_names}
        _upsert(self._session, orm.Field, orm.Field.code, "code", list(wanted.values()))
        self._field_names.update({k: v["name"] for k, v in wanted.items()})

    def procedures(self, items: Sequence[Item]) -> None:
        """Write the items whose content differs from their current edition."""
        new_rows: list[dict[str, Any]] = []
        changed_rows: list[dict[str, Any]] = []
        editions: list[dict[str, Any]] = []
        entries: list[dict[str, str]] = []
        for item in items:
            content = item.content
            key = content["key"]
            canonical = canonical_json(content)
            digest = content_sha256(content, canonical)
            current = self._current.get(key)
            if current is not None and current[1] == digest:
                self.counts.unchanged += 1
                continue
            number = current[0] + 1 if current else 1
            if current is None and key in self._rows_without_edition:
                current = (0, "")  # a row written before editions: this is its first
            self._current[key] = (number, digest)
            row = procedure_row(content, number)
            entry = index_entry(content, self._field_names.get(content["field"], ""))
            indexed = search.index_row(entry)
            row["sort_name"] = indexed["name"]
            (new_rows if current is None else changed_rows).append(row)
            editions.append(
                {
                    "procedure_key": key,
                    "number": number,
                    "content": canonical,
                    "content_sha256": digest,
                    "record_sha256": item.record_sha256,
                    "source": self._source,
                    "source_format": self._format,
                    "fetched_at": self._fetched_at,
                    "imported_at": self._now,
                }
            )
            entries.append(indexed)
        # Core inserts of the tables: one executemany per batch (the ORM's bulk insert
        # groups rows by the keys they carry and costs more than SQLite itself here).
        if new_rows:
            self._session.execute(insert(orm.Base.metadata.tables["procedures"]), new_rows)
        if changed_rows:
            self._session.execute(update(orm.Procedure), changed_rows)
            keys = [r["key"] for r in changed_rows]
            for start in range(0, len(keys), _CHUNK):
                # Rows of the storage before editions; editions hold components now.
                self._session.execute(
                    delete(orm.ProcedureComponent).where(
                        orm.ProcedureComponent.procedure_key.in_(keys[start : start + _CHUNK])
                    )
                )
        if editions:
            self._session.execute(insert(orm.Base.metadata.tables["procedure_editions"]), editions)
        self.counts.added += len(new_rows)
        self.counts.updated += len(changed_rows)
        self.counts.indexed += search.replace_rows(
            self._session, entries, fresh=not changed_rows, merge=False
        )

    def finish(self) -> None:
        if self.counts.indexed:
            search.optimize(self._session)


def index_entry(content: dict[str, Any], field_name: str) -> search.IndexEntry:
    return search.IndexEntry(
        key=content["key"],
        name=content["name"],
        code=content.get("code"),
        field_name=field_name,
        keywords=tuple(content.get("keywords") or ()),
    )


def procedure_row(content: dict[str, Any], edition: int) -> dict[str, Any]:
    """The `procedures` row (current edition) of a procedure's native content."""
    flags = {
        "components_known": content.get("components") is not None,
        "results_known": content.get("results") is not None,
    }
    page_id = content.get("dvcqg_page_id")
    results = content.get("results") or []
    fee, time = stored_summaries(content.get("channels") or [])
    return {
        "fee_summary": fee,
        "time_summary": time,
        "key": content["key"],
        "code": content.get("code"),
        "portal_page_id": None if page_id is None else str(page_id),
        "name": content["name"],
        "agency_code": content["agency"],
        "field_code": content["field"],
        "online_level": content.get("online_level"),
        "channels": list(content.get("channels") or []),
        "results": [r if isinstance(r, str) else r.get("name") for r in results],
        "legal_basis": list(content.get("legal_basis") or []),
        "conditions": content.get("conditions"),
        "notes": encode_notes(content.get("notes") or [], flags),
        "edition": edition,
        "levels": " ".join(content.get("level") or ()) or None,
    }


def _upsert(
    session: Session, table: Any, key_column: Any, key: str, rows: list[dict[str, Any]]
) -> tuple[int, int]:
    """Insert new rows, update existing ones in place (so references stay)."""
    existing: set[str] = set()
    keys = [row[key] for row in rows]
    for start in range(0, len(keys), _CHUNK):
        existing.update(
            session.scalars(select(key_column).where(key_column.in_(keys[start : start + _CHUNK])))
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
