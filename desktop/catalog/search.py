"""Offline procedure search over the SQLite FTS5 table `procedure_search`: the index
(this module) and, in desktop.catalog.query, the queries and the order of the hits. On a
shared PostgreSQL database the same rows live in a plain table, matched and ranked by
desktop.catalog.search_postgres (`candidates`).

The table has the columns `key UNINDEXED, name, initials, extra`; every stored text is
folded (desktop.catalog.folding), so the query is folded the same way: case, tones, `đ`
and punctuation never matter, and a final y after a consonant is written i on both
sides (kí/ký, lí/lý, quí/quý are the same word).

- `name`: the folded procedure name, without a leading "Thủ tục" (names written "Thủ
  tục đăng ký kết hôn" rank like "Đăng ký kết hôn").
- `initials`: initialisms of every run of 2..8 consecutive name words, so "cchn"
  ("chứng chỉ hành nghề") and "cchnd" find "Cấp Chứng chỉ hành nghề dược…".
- `extra`: the national code, the catalog key, the field name, the portal's keywords,
  the full words of abbreviations in the name or keywords ("GCN" → "giay chung nhan",
  table: resources/search/abbreviations.tsv), the "d" spelling of "gi" words ("giấy" ~
  "dấy") and the dropped "thu tuc".

A query word that is an abbreviation of the table ("gplx", "so do", "cccd") also
matches its full words. Ranking, best first, in three tiers: (1) the name starts with
the query (or the query with its abbreviations written out), (2) the name contains it
as a phrase, (3) every query word matches the start of a word of the name, initials or
extra. Within a tier: where the words start in the name and how many name words they
skip, then how often this office filed the procedure (usage), then how many name words
the query leaves uncovered (an exact initialism or name ranks first), then "Cấp …"
before other actions, then bm25 (name 10, initials 4, extra 1); tiers reached after the
first screen is full skip bm25 (see `search`). Every word is matched as a prefix, so
results appear while the clerk types.

User text never reaches FTS5 syntax: after folding only letters and digits remain, and
each word is quoted, so `"`, `*`, `:`, parentheses, `AND`/`OR`/`NOT`/`NEAR` are
searched as plain text (or ignored, for punctuation).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.orm import Session

from desktop.catalog.folding import (
    expansions,
    expansions_of,
    fold,
    gi_variants,
    initialisms_of,
    spelled,
    spelling,
)
from desktop.catalog.query import Candidates, Run


@dataclass(frozen=True)
class IndexEntry:
    """What the index needs to know about one procedure."""

    key: str
    name: str
    code: str | None
    field_name: str
    keywords: tuple[str, ...] = ()


def is_available(session: Session) -> bool:
    """Whether the database has the FTS5 table (SQLite; PostgreSQL has the plain table
    of desktop.catalog.search_postgres)."""
    return session.get_bind().dialect.name == "sqlite"


def _on_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def replace_entries(
    session: Session, entries: Iterable[IndexEntry], *, fresh: bool = False, merge: bool = True
) -> int:
    """(Re)index `entries` inside the caller's transaction, so the index always agrees
    with the catalog tables. Old rows of the same keys are removed first, unless the
    caller knows there are none (`fresh`)."""
    return replace_rows(session, [index_row(entry) for entry in entries], fresh=fresh, merge=merge)


def replace_rows(
    session: Session, rows: list[dict[str, str]], *, fresh: bool = False, merge: bool = True
) -> int:
    """`replace_entries` for rows already built by `index_row`."""
    if rows and _on_postgres(session):
        from desktop.catalog import search_postgres

        search_postgres.replace_rows(session, rows, fresh=fresh)
        return len(rows)
    if not rows or not is_available(session):
        return 0
    if not fresh:
        keys = [row["key"] for row in rows]
        session.execute(
            text("CREATE TEMP TABLE IF NOT EXISTS _reindex_keys (key TEXT PRIMARY KEY)")
        )
        session.execute(text("DELETE FROM _reindex_keys"))
        session.execute(
            text("INSERT OR IGNORE INTO _reindex_keys (key) VALUES (:key)"),
            [{"key": k} for k in keys],
        )
        # `key` is UNINDEXED: one scan of the table, not one per procedure.
        session.execute(
            text("DELETE FROM procedure_search WHERE key IN (SELECT key FROM _reindex_keys)")
        )
        session.execute(text("DELETE FROM _reindex_keys"))
    session.execute(
        text(
            "INSERT INTO procedure_search (key, name, initials, extra) "
            "VALUES (:key, :name, :initials, :extra)"
        ),
        rows,
    )
    if merge:
        optimize(session)
    return len(rows)


def optimize(session: Session) -> None:
    """Merge the index into one segment: queries then read one doclist per word instead
    of merging several (about 15 % faster searches; 0.2 s for 10,000 procedures)."""
    if is_available(session):
        session.execute(text("INSERT INTO procedure_search (procedure_search) VALUES ('optimize')"))


def index_row(entry: IndexEntry) -> dict[str, str]:
    """The FTS row of one procedure."""
    folded = fold(entry.name).split()
    dropped: list[str] = []
    if folded[:2] == ["thu", "tuc"] and len(folded) > 2:
        dropped, folded = folded[:2], folded[2:]
    name = [spelling(w) for w in folded]
    keywords = " , ".join(entry.keywords)
    extra = [
        entry.code or "",
        entry.key,
        entry.field_name,
        keywords,
        *expansions_of(name),
        *(expansions(keywords) if keywords else ()),
        *gi_variants(folded),
        *dropped,
    ]
    return {
        "key": entry.key,
        "name": " ".join(name),
        "initials": " ".join(initialisms_of(folded)),
        "extra": spelled(" ".join(extra)),
    }


def runner(session: Session) -> Run:
    """`session` as a desktop.catalog.query.Run (one parsed statement per SQL text)."""

    def run(sql: str, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        return session.execute(_statement(sql), dict(params)).all()

    return run


def candidates(session: Session) -> Candidates | None:
    """How desktop.catalog.query.search matches a tier in `session`'s database: None
    (FTS5, its default) on SQLite, desktop.catalog.search_postgres on PostgreSQL."""
    if not _on_postgres(session):
        return None
    from desktop.catalog import search_postgres

    return partial(search_postgres.candidates, session)


@lru_cache(maxsize=128)
def _statement(sql: str) -> TextClause:
    """One parsed statement per distinct SQL text: parsing `text()` on every keystroke
    costs more than some searches (the texts differ only by the filters used)."""
    return text(sql)
