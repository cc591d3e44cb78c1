"""`catalog import`: validate completely, then write in one transaction (all or nothing).

Two formats: dvc-desk's native JSON (docs/catalog-format.md) and the national portal's
own procedure records (`--format dvcqg`: one record per file, a folder of them, a JSON
array or JSON Lines). Either every agency, field and procedure edition of the import is
written (with the search rows of the changed procedures and a `catalog_imports` row),
or nothing is. Every problem is listed at once (desktop.catalog.problems caps what is
kept). A procedure whose content equals its current edition writes nothing; other
content becomes a new edition (desktop.catalog.writer).
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.catalog import dvcqg
from desktop.catalog.content import canonical_json
from desktop.catalog.formats import DVCQG, NATIVE
from desktop.catalog.problems import (
    P_DUPLICATE_CODE,
    P_FILE,
    Problem,
    ProblemList,
    invalid_catalog,
)
from desktop.catalog.reading import E_FILE_MISSING, read_json
from desktop.catalog.validation import validate
from desktop.catalog.writer import EditionWriter, Item
from desktop.errors import UserError, define
from desktop.events import CatalogImported
from desktop.storage import models as orm
from desktop.storage.db import Database

E_NO_RECORDS = define(
    "catalog.no_records",
    vi=(
        "{path} không có bản ghi thủ tục nào (tệp .json của Cổng DVCQG). Hãy chỉ ra tệp "
        "hoặc thư mục chứa các tệp .json đó."
    ),
    en="{path} holds no procedure record (.json files of the portal). Give such a file or folder.",
)

BATCH = 250  # records converted and written at a time (memory stays flat)


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
    unchanged: int = 0
    format: str = NATIVE
    changed_keys: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def event(self) -> CatalogImported:
        """What the window is told: how many procedures, which ones changed."""
        return CatalogImported(
            procedures=self.procedures,
            changed=self.added + self.updated,
            changed_keys=self.changed_keys,
        )


def import_catalog(
    db: Database,
    path: Path,
    *,
    source: str | None = None,
    fetched_at: datetime | None = None,
) -> ImportReport:
    """Validate a native catalog file and import it; UserError (nothing written) on
    any problem."""
    data, digest = read_json(path)
    return import_native_data(
        db,
        data,
        digest=digest,
        source=source or str(path.resolve()),
        fetched_at=fetched_at,
        shown_path=str(path),
    )


def import_native_data(
    db: Database,
    data: Any,
    *,
    digest: str,
    source: str,
    fetched_at: datetime | None = None,
    shown_path: str | None = None,
) -> ImportReport:
    """Import an already parsed native catalog (a file's, or the portal's answer)."""
    with db.session() as session:
        known_agencies = set(session.scalars(select(orm.Agency.code)))
        known_fields = set(session.scalars(select(orm.Field.code)))
        problems = ProblemList()
        problems.extend(validate(data, known_agencies, known_fields))
        if problems:
            raise invalid_catalog(shown_path or source, problems.items, problems.more)
        now = datetime.now(UTC)
        writer = EditionWriter(
            session, source=source, source_format=NATIVE, fetched_at=fetched_at, now=now
        )
        writer.agencies(data["agencies"])
        writer.fields(data["fields"])
        procedures: list[dict[str, Any]] = data["procedures"]
        changed: list[str] = []
        for start in range(0, len(procedures), BATCH):
            batch = [Item(p) for p in procedures[start : start + BATCH]]
            before = writer.counts.added + writer.counts.updated
            writer.procedures(batch)
            if writer.counts.added + writer.counts.updated != before:
                changed += _changed(session, batch, now)
        writer.finish()
        if writer.counts.added or writer.counts.updated:
            # The same content again is a no-op: not even a line in the import log.
            _record(
                session,
                source,
                digest,
                version=data.get("catalog_version"),
                count=len(procedures),
                now=now,
            )
        return ImportReport(
            source=source,
            sha256=digest,
            catalog_version=data.get("catalog_version"),
            agencies=len(data["agencies"]),
            fields=len(data["fields"]),
            procedures=len(procedures),
            added=writer.counts.added,
            updated=writer.counts.updated,
            indexed=writer.counts.indexed,
            unchanged=writer.counts.unchanged,
            format=NATIVE,
            changed_keys=tuple(changed),
        )


def _changed(session: Session, batch: list[Item], now: datetime) -> list[str]:
    keys = [item.content["key"] for item in batch]
    return list(
        session.scalars(
            select(orm.ProcedureEdition.procedure_key).where(
                orm.ProcedureEdition.procedure_key.in_(keys),
                orm.ProcedureEdition.imported_at == now,
            )
        )
    )


def _record(
    session: Session, source: str, digest: str, *, version: str | None, count: int, now: datetime
) -> None:
    session.add(
        orm.CatalogImport(
            source=source,
            sha256=digest,
            catalog_version=version,
            imported_at=now,
            procedures=count,
        )
    )


# ------------------------------------------------------------------ portal records


@dataclass(frozen=True)
class _Record:
    where: str  # "1.001612.json" or "all.json[3]"
    sha256: str
    data: Any


def _files(path: Path) -> list[Path]:
    if not path.exists():
        raise UserError(E_FILE_MISSING, path=str(path))
    if path.is_dir():
        # One directory read: the entries' types come with it (no stat per file, no
        # pathlib comparisons): it counts in an unchanged re-import of 10,000 files.
        with os.scandir(path) as entries:
            found = [e.path for e in entries if e.name.endswith(".json") and e.is_file()]
        return [Path(p) for p in sorted(found)]
    return [path]


def _read_records(
    files: list[Path], known: set[str], problems: ProblemList, skipped: list[str]
) -> Iterator[_Record]:
    """Every record of the files; files whose bytes are a known current record are
    only counted in `skipped` (an unchanged re-import reads no JSON)."""
    for file in files:
        try:
            raw = file.read_bytes()
        except OSError as exc:
            problems.extend([Problem(file.name, P_FILE, {"detail": exc.strerror or str(exc)})])
            continue
        yield from _records_of(file.name, raw, known, problems, skipped)


def _records_of(
    name: str, raw: bytes, known: set[str], problems: ProblemList, skipped: list[str]
) -> Iterator[_Record]:
    """The records of one file's bytes: one record, a JSON array, or JSON Lines."""
    digest = hashlib.sha256(raw).hexdigest()
    if digest in known:
        skipped.append(digest)
        return
    if not name.lower().endswith(".jsonl"):
        try:
            # orjson checks UTF-8 itself and parses the bytes 2-3 times faster than
            # decoding and `json.loads`; any failure takes the path below, which says
            # what is wrong in the clerk's words.
            data = orjson.loads(raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw)
        except orjson.JSONDecodeError:
            pass
        else:
            yield from _records_in(name, data, digest)
            return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        detail = f"không phải UTF-8 (byte {exc.start})"
        problems.extend([Problem(name, P_FILE, {"detail": detail})])
        return
    if name.lower().endswith(".jsonl"):
        for line_no, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                yield from _parse(f"{name}:{line_no}", line, None, problems)
        return
    yield from _parse(name, text, digest, problems)


def _parse(where: str, text: str, digest: str | None, problems: ProblemList) -> Iterator[_Record]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        detail = f"JSON sai ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}"
        problems.extend([Problem(where, P_FILE, {"detail": detail})])
        return
    yield from _records_in(where, data, digest)


def _records_in(where: str, data: Any, digest: str | None) -> Iterator[_Record]:
    if isinstance(data, list):
        for i, item in enumerate(data):
            yield _Record(f"{where}[{i}]", _canonical_sha(item), item)
    else:
        yield _Record(where, digest or _canonical_sha(data), data)


def _canonical_sha(data: Any) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def import_dvcqg(
    db: Database,
    path: Path,
    *,
    source: str | None = None,
    fetched_at: datetime | None = None,
) -> ImportReport:
    """Import the portal's procedure records from a file or a folder of `*.json`."""
    files = _files(path)

    def records(known: set[str], problems: ProblemList, skipped: list[str]) -> Iterator[_Record]:
        return _read_records(files, known, problems, skipped)

    return _import_records(
        db, records, shown=str(path), source=source or str(path.resolve()), fetched_at=fetched_at
    )


def import_dvcqg_bytes(
    db: Database,
    raw: bytes,
    *,
    source: str,
    fetched_at: datetime | None = None,
    catalog_version: str | None = None,
) -> ImportReport:
    """Import the portal's records from one JSON document (an array of records, as
    GET /v1/catalog/procedures answers): the same checks, the same transaction."""

    def records(known: set[str], problems: ProblemList, skipped: list[str]) -> Iterator[_Record]:
        # Records of an array are compared by content: the bytes of the whole answer
        # are not one record's.
        return _records_of("catalog.json", raw, set(), problems, skipped)

    return _import_records(
        db,
        records,
        shown=source,
        source=source,
        fetched_at=fetched_at,
        catalog_version=catalog_version,
    )


def _import_records(
    db: Database,
    records: Callable[[set[str], ProblemList, list[str]], Iterator[_Record]],
    *,
    shown: str,
    source: str,
    fetched_at: datetime | None,
    catalog_version: str | None = None,
) -> ImportReport:
    now = datetime.now(UTC)
    problems = ProblemList()
    with db.session() as session:
        writer = EditionWriter(
            session, source=source, source_format=DVCQG, fetched_at=fetched_at, now=now
        )
        skipped: list[str] = []
        seen: dict[str, str] = {}
        batch: list[tuple[Item, dvcqg.Converted]] = []
        total = 0
        changed: list[str] = []
        agencies: set[str] = set()
        fields: set[str] = set()

        def flush() -> None:
            if not batch:
                return
            if not problems:
                writer.new_agencies(a for _item, c in batch for a in c.agencies)
                writer.fields([c.field for _item, c in batch], replace=False)
                items = [item for item, _c in batch]
                before = writer.counts.added + writer.counts.updated
                writer.procedures(items)
                if writer.counts.added + writer.counts.updated != before:
                    changed.extend(_changed(session, items, now))
            batch.clear()

        for record in records(writer.known_records(), problems, skipped):
            total += 1
            found = dvcqg.check(record.data, f"{record.where}: ")
            if found:
                problems.extend(found)
                continue
            converted = dvcqg.convert(record.data)
            key = converted.content["key"]
            if key in seen:
                params = {"value": key, "other": seen[key]}
                problems.extend([Problem(f"{record.where}: code", P_DUPLICATE_CODE, params)])
                continue
            seen[key] = record.where
            agencies.update(a["code"] for a in converted.agencies)
            fields.add(converted.field["code"])
            batch.append((Item(converted.content, record.sha256), converted))
            if len(batch) >= BATCH:
                flush()
        flush()
        if problems:
            raise invalid_catalog(shown, problems.items, problems.more)
        writer.counts.unchanged += len(skipped)
        writer.finish()
        digest = _canonical_sha(sorted(seen) + sorted(skipped))
        if total + len(skipped) == 0:
            raise UserError(E_NO_RECORDS, path=shown)
        if writer.counts.added or writer.counts.updated:
            _record(
                session,
                source,
                digest,
                version=catalog_version,
                count=total + len(skipped),
                now=now,
            )
        return ImportReport(
            source=source,
            sha256=digest,
            catalog_version=catalog_version,
            agencies=len(agencies),
            fields=len(fields),
            procedures=total + len(skipped),
            added=writer.counts.added,
            updated=writer.counts.updated,
            indexed=writer.counts.indexed,
            unchanged=writer.counts.unchanged,
            format=DVCQG,
            changed_keys=tuple(changed),
        )
