"""Keeps `dossiers.search_text` current and turns search terms into SQL conditions.

The text is recomputed by ORM events in the flush that changes what it holds (the
applicant, the submitter, the receipt number or the procedure), so every writer keeps it
current in its own unit of work: this package, and the sync engine when it copies a
dossier into a new version or records a receipt number. SQLite triggers (migration 0003)
copy the text into the FTS5 index `dossier_search`; see docs/dossiers.md.

Writers that bypass the ORM (Core SQL: the sync engine's hot path) set `search_text` in
their own UPDATE from `stored_text`, the same computation on the stored row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    String,
    and_,
    bindparam,
    column,
    event,
    false,
    inspect,
    literal,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.orm import Mapper, Session

from desktop.dossier.search import Term, document, fts_query
from desktop.storage import models

# Attributes whose change changes the search text.
WATCHED = (
    "applicant",
    "applicant_name",
    "submitter",
    "receipt_no",
    "procedure_key",
    "scan_text",
)

# The FTS5 table of migration 0003 (rowid = dossier id); not an ORM table.
_FTS = table("dossier_search", column("rowid", Integer))
_FTS_NAME = literal_column("dossier_search", String)


# Built once: statements reused by every flush and every Core writer.
_PROCEDURE_NAME = select(models.Procedure.name).where(models.Procedure.key == bindparam("key"))
_SOURCES = ("applicant", "submitter", "receipt_no", "procedure_key", "scan_text")
_STORED = (
    select(
        *(getattr(models.Dossier, name) for name in _SOURCES),
        models.Procedure.name.label("procedure_name"),
    )
    .outerjoin(models.Procedure, models.Procedure.key == models.Dossier.procedure_key)
    .where(models.Dossier.id == bindparam("dossier_id"))
)


def _procedure_name(connection: Connection, key: str | None) -> str | None:
    return None if key is None else connection.scalar(_PROCEDURE_NAME, {"key": key})


def refresh(connection: Connection, row: models.Dossier) -> None:
    """Recompute the search text of `row` (inside the caller's transaction)."""
    name = _procedure_name(connection, row.procedure_key)
    row.search_text = document(
        row.applicant, row.submitter, row.receipt_no, name, row.scan_text or ""
    )


def stored_text(connection: Connection, dossier_id: int, **changes: Any) -> str:
    """The search text of the stored dossier `dossier_id` once `changes` are applied.

    For writers that change a dossier with Core SQL, which the ORM events do not see:
    they put this text in the same UPDATE (`changes` are among applicant, submitter,
    receipt_no, procedure_key). One read of the row with its procedure's name.
    """
    unknown = set(changes) - set(_SOURCES)
    if unknown:
        raise ValueError(f"not part of the search text: {sorted(unknown)}")
    stored = connection.execute(_STORED, {"dossier_id": dossier_id}).one()._mapping
    values = {**stored, **changes}
    name = values["procedure_name"]
    if "procedure_key" in changes:
        name = _procedure_name(connection, changes["procedure_key"])
    return document(
        values["applicant"], values["submitter"], values["receipt_no"], name, values["scan_text"]
    )


@event.listens_for(models.Dossier, "before_insert")
def _index_new(_mapper: Mapper[Any], connection: Connection, target: models.Dossier) -> None:
    refresh(connection, target)


@event.listens_for(models.Dossier, "before_update")
def _index_changed(_mapper: Mapper[Any], connection: Connection, target: models.Dossier) -> None:
    state = inspect(target)
    if any(state.attrs[name].history.has_changes() for name in WATCHED):
        refresh(connection, target)


def _in_index(terms: list[Term]) -> ColumnElement[bool]:
    ids = select(_FTS.c.rowid).where(_FTS_NAME.match(fts_query(terms)))
    return models.Dossier.id.in_(ids)


def candidates(session: Session, terms: list[Term], most: int) -> list[int] | None:
    """At most `most` ids among which are all the dossiers matching `terms` (check them
    with `conditions(terms, indexed=False)`), or None when the index finds more: a
    common term. The FTS5 index is read lazily and stops after `most` + 1 ids.

    A dossier matching every term matches each text term in the index, unless a term
    matched as its dossier number: the numbers typed are added.
    """
    numbers = {t.number for t in terms if t.number is not None}
    text_terms = [t for t in terms if t.matches_text]
    if not text_terms:
        return sorted(numbers)
    match = _FTS_NAME.match(fts_query(text_terms))
    ids = set(session.scalars(select(_FTS.c.rowid).where(match).limit(most + 1)))
    return sorted(ids | numbers) if len(ids) <= most else None


def trigram_candidates(session: Session, terms: list[Term], most: int) -> list[int] | None:
    """`candidates` on PostgreSQL: the trigram index of `search_text` (migration 0012)
    finds the rows holding every text term anywhere, stopping after `most` + 1."""
    numbers = {t.number for t in terms if t.number is not None}
    text_terms = [t for t in terms if t.matches_text]
    if not text_terms:
        return sorted(numbers)
    anywhere = and_(
        *(or_(*(models.Dossier.search_text.contains(p) for p in t.phrases)) for t in text_terms)
    )
    # Materialised without a LIMIT: with one, PostgreSQL expects to meet matches early
    # and scans the whole table for a term that has none.
    found = select(models.Dossier.id).where(anywhere).cte("found").prefix_with("MATERIALIZED")
    ids = set(session.scalars(select(found.c.id).limit(most + 1)))
    return sorted(ids | numbers) if len(ids) <= most else None


def _in_text(term: Term) -> ColumnElement[bool]:
    # Folded text is letters, digits and single spaces: no LIKE wildcard can occur, and
    # " " + phrase at a word start is exactly what the FTS prefix query matches.
    # The plain `contains` is implied by the padded one; PostgreSQL answers it from the
    # trigram index of `search_text` (migration 0012) and checks the padded one on the
    # few rows it finds.
    padded = literal(" ", String) + models.Dossier.search_text
    return or_(
        *(
            and_(models.Dossier.search_text.contains(phrase), padded.contains(" " + phrase))
            for phrase in term.phrases
        )
    )


def conditions(terms: list[Term], *, indexed: bool) -> ColumnElement[bool]:
    """All terms must match. `indexed` uses the FTS5 index (SQLite); otherwise the
    stored text is read row by row (cheap on a bounded set of rows) or, on PostgreSQL,
    found through its trigram index."""
    plain = [t for t in terms if t.number is None and t.matches_text]
    parts: list[ColumnElement[bool]] = []
    if any(t.number is None and not t.matches_text for t in terms):
        return false()  # a short number with a leading zero: no dossier number, no text
    if plain:
        parts.append(_in_index(plain) if indexed else and_(*map(_in_text, plain)))
    for term in terms:
        if term.number is None:
            continue
        either = [models.Dossier.id == term.number]
        if term.matches_text:
            either.append(_in_index([term]) if indexed else _in_text(term))
        parts.append(or_(*either))
    return and_(*parts) if parts else false()
