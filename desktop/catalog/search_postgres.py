"""Procedure search on PostgreSQL: the answers of the SQLite FTS5 index, from a plain table.

SQLite keeps the folded index rows (desktop.catalog.search.index_row) in the FTS5 table
`procedure_search`; PostgreSQL keeps the same rows in a table of that name (migration
0015) with `document`, the three columns as one padded text (" name | initials |
extra"), under a trigram (pg_trgm) GIN index, and `length`, the row's word count.

A phrase ("cap chung chi", the last word a prefix) is a LIKE pattern on the folded text:
`name LIKE 'cap chung chi%'` (the name starts with it), `' ' || name LIKE '% cap chung
chi%'` (the name contains it) or `document LIKE '% cap chung chi%'` (any column; the
" | " between columns keeps a phrase inside one column, as FTS5 does). Stored and typed
text hold only folded letters, digits and single spaces, so a word boundary is a space.

Ranking is FTS5's own bm25 (sqlite/ext/fts5/fts5_aux.c), computed here over the matching
rows with the same weights (name 10, initials 4, extra 1), k1 = 1.2, b = 0.75, the same
statistics (rows, words per row, rows holding each phrase) and the same rule for which
phrases count in a row (a phrase of an alternative the row does not match counts 0), so
the rows enter the re-ranking window of `query.search` in the same order as on SQLite.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from desktop.catalog.query import WEIGHTS, Phrase, Tier
from desktop.catalog.search import IndexEntry, index_row

K1 = 1.2  # FTS5's bm25 constants
B = 0.75
COLUMNS = tuple(WEIGHTS)


def stored_row(row: dict[str, str]) -> dict[str, Any]:
    """The PostgreSQL row of an index row: with its `document` and `length`."""
    return {
        **row,
        "document": " " + " | ".join(row[c] for c in COLUMNS),
        "length": sum(len(row[c].split()) for c in COLUMNS),
    }


def replace_rows(session: Session | Connection, rows: list[dict[str, str]], *, fresh: bool) -> None:
    """Write index rows (old rows of the same keys removed first unless `fresh`)."""
    if not fresh:
        session.execute(
            text("DELETE FROM procedure_search WHERE key = ANY(:keys)"),
            {"keys": [row["key"] for row in rows]},
        )
    session.execute(
        text(
            "INSERT INTO procedure_search (key, name, initials, extra, document, length) "
            "VALUES (:key, :name, :initials, :extra, :document, :length)"
        ),
        [stored_row(row) for row in rows],
    )


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def phrase_condition(phrase: Phrase, name: str, params: dict[str, Any]) -> str:
    """The SQL condition of one phrase; its pattern goes into `params` under `name`."""
    joined = _like(" ".join(phrase.words))
    if phrase.column == "name" and phrase.first:
        params[name] = joined + "%"
        return f"procedure_search.name LIKE :{name}"
    params[name] = "% " + joined + "%"
    if phrase.column == "name":
        return f"(' ' || procedure_search.name) LIKE :{name}"
    return f"procedure_search.document LIKE :{name}"


def tier_condition(tier: Tier, params: dict[str, Any]) -> tuple[str, list[Phrase]]:
    """The SQL condition of a tier and its phrases, in FTS5's order."""
    phrases: list[Phrase] = []

    def phrase(p: Phrase) -> str:
        phrases.append(p)
        return phrase_condition(p, f"phrase_{len(phrases) - 1}", params)

    combos = [
        " AND ".join("(" + " OR ".join(phrase(p) for p in slot) + ")" for slot in combo)
        for combo in tier
    ]
    return "(" + " OR ".join(f"({c})" for c in combos) + ")", phrases


def candidates(
    session: Session,
    tier: Tier,
    *,
    ranked: bool,
    filters: Sequence[str],
    params: Mapping[str, Any],
    limit: int,
) -> list[tuple[str, str, float]]:
    """(key, folded name, bm25 rank) of the rows matching `tier`: the `limit` best by
    bm25 (`ranked`), or the first `limit` in index order with rank 0.0."""
    values = dict(params)
    condition, phrases = tier_condition(tier, values)
    # Only fixed fragments of these modules are joined; every value is a bound parameter.
    sql = (
        "SELECT procedure_search.key, procedure_search.name, procedure_search.initials, "  # noqa: S608
        "procedure_search.extra, procedure_search.length FROM procedure_search "
        + ("JOIN procedures ON procedures.key = procedure_search.key " if filters else "")
        + "WHERE "
        + condition
        + "".join(f" AND {f}" for f in filters)
        + " ORDER BY procedure_search.id"
        + ("" if ranked else " LIMIT :limit")
    )
    rows = session.execute(text(sql), {**values, "limit": limit}).all()
    if not ranked:
        return [(key, name, 0.0) for key, name, *_ in rows]
    scorer = Bm25(session, tier, phrases)
    scored = [
        (scorer.rank(tuple(row[1:4]), row[4]), i, row[0], row[1]) for i, row in enumerate(rows)
    ]
    scored.sort()
    return [(key, name, rank) for rank, _i, key, name in scored[:limit]]


class Bm25:
    """FTS5's bm25(0.0, 10.0, 4.0, 1.0) for the rows of one tier."""

    def __init__(self, session: Session, tier: Tier, phrases: list[Phrase]) -> None:
        self.tier = tier
        self.phrases = phrases
        params: dict[str, Any] = {}
        counts = [
            f"count(*) FILTER (WHERE {phrase_condition(p, f'phrase_{i}', params)})"
            for i, p in enumerate(phrases)
        ]
        found = session.execute(
            text(
                "SELECT count(*), coalesce(sum(length), 0), "  # noqa: S608
                + ", ".join(counts)
                + " FROM procedure_search"
            ),
            params,
        ).one()
        rows, words, *hits = (int(v) for v in found)
        self.average = words / rows if rows else 1.0
        self.idf = []
        for hit in hits:
            idf = math.log((rows - hit + 0.5) / (hit + 0.5))
            self.idf.append(idf if idf > 0.0 else 1e-6)

    def rank(self, columns: tuple[str, str, str], length: int) -> float:
        """The bm25 rank of a row (lower is better, as FTS5's `rank`)."""
        words = {c: v.split() for c, v in zip(COLUMNS, columns, strict=True)}
        frequency = [0.0] * len(self.phrases)
        index = 0
        for combo in self.tier:
            counted = [[_instances(p, words) for p in slot] for slot in combo]
            matched = all(any(n for n, _w in slot) for slot in counted)
            for slot in counted:
                for _n, weighted in slot:
                    frequency[index] = weighted if matched else 0.0
                    index += 1
        score = 0.0
        norm = K1 * (1 - B + B * length / self.average)
        for idf, freq in zip(self.idf, frequency, strict=True):
            score += idf * (freq * (K1 + 1.0)) / (freq + norm)
        return -1.0 * score


def _instances(phrase: Phrase, words: dict[str, list[str]]) -> tuple[int, float]:
    """How often `phrase` occurs in the row, and those occurrences weighted by column."""
    count, weighted = 0, 0.0
    size = len(phrase.words)
    head, last = list(phrase.words[:-1]), phrase.words[-1]
    for column in (phrase.column,) if phrase.column else COLUMNS:
        tokens = words[column]
        starts: Iterable[int] = range(1) if phrase.first else range(len(tokens) - size + 1)
        for i in starts:
            if (
                i + size <= len(tokens)
                and tokens[i : i + size - 1] == head
                and tokens[i + size - 1].startswith(last)
            ):
                count += 1
                weighted += WEIGHTS[column]
    return count, weighted


def rebuild(connection: Connection) -> int:
    """Fill the index from the catalog tables (the migration, a moved workspace)."""
    found = connection.execute(
        text(
            "SELECT p.key, p.name, p.code, f.name, e.content FROM procedures p "
            "LEFT JOIN fields f ON f.code = p.field_code "
            "LEFT JOIN procedure_editions e ON e.procedure_key = p.key AND e.number = p.edition "
            "ORDER BY p.key"
        )
    ).all()
    rows = []
    for key, name, code, field_name, content in found:
        keywords = (json.loads(content).get("keywords") or ()) if content else ()
        rows.append(index_row(IndexEntry(key, name, code, field_name or "", tuple(keywords))))
    connection.execute(text("DELETE FROM procedure_search"))
    if rows:
        replace_rows(connection, rows, fresh=True)
    return len(rows)
