"""Offline procedure search over the SQLite FTS5 table `procedure_search`.

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

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.orm import Session

from desktop.catalog.folding import (
    MAX_ABBREVIATION_WORDS,
    abbreviations,
    expansions,
    expansions_of,
    fold,
    gi_variants,
    initialisms_of,
    spelled,
    spelling,
)

# bm25 weights of the indexed columns, in table order after the unindexed key.
WEIGHTS = {"name": 10.0, "initials": 4.0, "extra": 1.0}
RANK = "bm25(0.0, " + ", ".join(str(w) for w in WEIGHTS.values()) + ")"
MAX_WORDS = 12  # more words than any procedure name a clerk would type
MAX_WORD_LENGTH = 64
# Words clerks type around a procedure's name; the fallback leaves them out.
FILLER_WORDS = frozenset({"lam", "xin", "thu", "tuc", "nop", "giay", "to", "can", "muon", "ve"})
# Rows of a tier re-ordered by alignment (bm25 alone picks them from all matches).
RERANK_WINDOW = 60
# The first screen of results (the list shows about this many rows): tiers after it is
# full are not ranked by bm25 (see `search`).
SCREEN = 10


@dataclass(frozen=True)
class IndexEntry:
    """What the index needs to know about one procedure."""

    key: str
    name: str
    code: str | None
    field_name: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    """A matching procedure; `score` is its bm25 relevance (higher is better). Results
    are ordered by tier, then by where the match starts in the name, then by score."""

    key: str
    score: float


@dataclass(frozen=True)
class Slot:
    """One thing typed: a word, or an abbreviation (one or more words) with its
    expansions."""

    text: str
    expansions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Phrase:
    """Words that follow each other, the last one matched as a prefix; in `column`
    only (or any indexed column), and at its start when `first`."""

    words: tuple[str, ...]
    column: str | None = None
    first: bool = False


# A tier's match expression: any of its combinations (OR), each of them every slot (AND),
# each slot any of its phrases (OR). One shape for FTS5 (`fts5_expression`) and for
# PostgreSQL (desktop.catalog.search_postgres).
Tier = list[list[list[Phrase]]]


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


def query_words(user_text: str) -> list[str]:
    """The folded, spelled words of what the user typed, bounded in number and length."""
    return [spelling(w[:MAX_WORD_LENGTH]) for w in fold(user_text).split()][:MAX_WORDS]


def query_slots(words: list[str]) -> list[Slot]:
    """The words, with runs that are an abbreviation of the table joined into one slot
    (longest first: "gcn qsdd" before "gcn")."""
    table = abbreviations()
    slots: list[Slot] = []
    i = 0
    while i < len(words):
        for size in range(min(MAX_ABBREVIATION_WORDS, len(words) - i), 0, -1):
            key = " ".join(words[i : i + size])
            if key in table:
                slots.append(Slot(key, table[key]))
                i += size
                break
        else:
            slots.append(Slot(words[i]))
            i += 1
    return slots


def _quote(word: str) -> str:
    # Folded words hold only letters and digits; doubling quotes is a second guard.
    return '"' + word.replace('"', '""') + '"'


def _phrasings(slots: list[Slot]) -> list[list[str]]:
    """The query as typed, and with each abbreviation written out (its first
    expansion, then each further one alone)."""
    typed = [s.text for s in slots]
    out = [typed]
    for depth in range(max((len(s.expansions) for s in slots), default=0)):
        spelled_out = [
            s.expansions[min(depth, len(s.expansions) - 1)] if s.expansions else s.text
            for s in slots
        ]
        if spelled_out not in out:
            out.append(spelled_out)
    return out


def match_tiers(words: list[str]) -> list[Tier]:
    """The match expression of each ranking tier, best tier first (see `Tier`).

    One word (without an abbreviation) has no phrase tier: "the name contains the word"
    is what bm25's name weight already prefers within the last tier."""
    slots = query_slots(words)
    phrasings = _phrasings(slots)
    starts = [[[Phrase(tuple(" ".join(p).split()), "name", first=True)]] for p in phrasings]
    # A bare phrase matches in any indexed column (name, initials, extra): one doclist
    # per word instead of one per word and column, which halves the ranking work.
    each = [[_slot_phrases(s) for s in slots]]
    if len(phrasings) == 1 and len(words) == 1:
        return [starts, each]  # one word: nothing to relax either
    inside = [[[Phrase(tuple(" ".join(p).split()), "name")]] for p in phrasings]
    return [starts, inside, each]


def relaxed_tier(words: list[str]) -> Tier | None:
    """The fallback when no tier finds anything: see `_relaxed`."""
    combos = _relaxed(query_slots(words))
    if not combos:
        return None
    return [[_slot_phrases(s) for s in combo] for combo in combos]


def match_expressions(words: list[str]) -> list[str]:
    """The FTS5 MATCH expression of each ranking tier, best tier first."""
    return [fts5_expression(tier) for tier in match_tiers(words)]


def relaxed_expression(words: list[str]) -> str | None:
    """The FTS5 MATCH expression of the fallback tier."""
    tier = relaxed_tier(words)
    return fts5_expression(tier) if tier else None


def fts5_expression(tier: Tier) -> str:
    """`tier` written in FTS5's query syntax."""

    def phrase(p: Phrase) -> str:
        column = f"{p.column} : " + ("^ " if p.first else "") if p.column else ""
        return f"{column}{_quote(' '.join(p.words))} *"

    def slot(phrases: list[Phrase]) -> str:
        parts = [phrase(p) for p in phrases]
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    combos = [" AND ".join(slot(s) for s in combo) for combo in tier]
    return combos[0] if len(combos) == 1 else " OR ".join(f"({c})" for c in combos)


def _slot_phrases(slot: Slot) -> list[Phrase]:
    return [Phrase(tuple(t.split())) for t in (slot.text, *slot.expansions)]


def _relaxed(slots: list[Slot]) -> list[list[Slot]]:
    """The fallback, when the query as typed finds nothing: the query without the words clerks
    add around a name ("làm", "xin", "giấy" ...), and with any one word left out when
    three or more remain ("nhập hộ khẩu" finds the keyword "hộ khẩu")."""
    core = [s for s in slots if s.text not in FILLER_WORDS]
    combos = [core] if core and len(core) < len(slots) else []
    if len(core) >= 3:
        combos += [core[:i] + core[i + 1 :] for i in range(len(core))]
    return combos


def search(
    session: Session,
    user_text: str,
    *,
    agency_codes: Collection[str] | None = None,
    field_code: str | None = None,
    level: str | None = None,
    usage: Mapping[str, int] | None = None,
    limit: int = 50,
) -> list[Hit]:
    """Procedures matching `user_text`, best first; all of them (by name) when it is
    empty. `usage` (procedure key → dossiers filed) lifts what the office files most."""
    if limit <= 0:
        return []
    filters, params = _filters(agency_codes, field_code, level)
    words = query_words(user_text)
    if not words:
        return _list_all(session, filters, params, limit)
    phrasings = [" ".join(p).split() for p in _phrasings(query_slots(words))]
    hits: list[Hit] = []
    seen: set[str] = set()
    tiers = match_tiers(words)
    fallback = relaxed_tier(words)
    for tier in [*tiers, *([fallback] if fallback else [])]:
        if tier is fallback and hits:
            break
        wanted = limit - len(hits)
        if wanted <= 0:
            break
        # bm25 is computed for every row that matches before the best are kept: with
        # thousands of matches (the broad last tier) it is most of a search's time. Once
        # the better tiers have filled the first screen (SCREEN), the rest is only the
        # tail of the list: its candidates are taken as they come and ordered by how
        # their words line up with the name (below), without bm25.
        ranked = len(hits) < SCREEN
        window = max(wanted + len(seen), RERANK_WINDOW)
        if _on_postgres(session):
            from desktop.catalog import search_postgres

            rows: Sequence[tuple[str, str, float]] = search_postgres.candidates(
                session, tier, ranked=ranked, filters=filters, params=params, limit=window
            )
        else:
            rows = _fts5_candidates(
                session, tier, ranked=ranked, filters=filters, params=params, limit=window
            )
        # Within a tier, how well the words line up with the name comes before bm25:
        # "Cấp chứng chỉ hành nghề dược" answers "cap cchn" better than "Cấp lại chứng
        # chỉ hành nghề dược" although bm25 scores them alike.
        batch = sorted(
            (_order(name, phrasings, (usage or {}).get(key, 0)), float(rank), key)
            for key, name, rank in rows
        )
        for _order_key, rank, key in batch:
            if key in seen:
                continue
            seen.add(key)
            hits.append(Hit(key=key, score=-rank))
            if len(hits) >= limit:
                break
    return hits


def _fts5_candidates(
    session: Session,
    tier: Tier,
    *,
    ranked: bool,
    filters: list[str],
    params: dict[str, Any],
    limit: int,
) -> Sequence[tuple[str, str, float]]:
    """(key, folded name, bm25 rank) of the FTS5 rows matching `tier`: the `limit` best
    (`ranked`), or the first `limit` with rank 0.0."""
    sql = (
        "SELECT procedure_search.key, procedure_search.name, "
        + ("procedure_search.rank " if ranked else "0.0 ")
        + "FROM procedure_search "
        + ("JOIN procedures ON procedures.key = procedure_search.key " if filters else "")
        + "WHERE procedure_search MATCH :match"
        + (" AND procedure_search.rank MATCH :rank" if ranked else "")
        + "".join(f" AND {f}" for f in filters)
        + (" ORDER BY procedure_search.rank" if ranked else "")
        + " LIMIT :limit"
    )
    found = session.execute(
        _statement(sql),
        {
            **params,
            "match": fts5_expression(tier),
            **({"rank": RANK} if ranked else {}),
            "limit": limit,
        },
    ).all()
    return [(key, name, float(rank)) for key, name, rank in found]


def _order(folded_name: str, phrasings: list[list[str]], used: int) -> tuple[int, ...]:
    first, skipped, uncovered = min(_alignment(folded_name, words) for words in phrasings)
    name_words = folded_name.split()
    primary = 0 if name_words[:1] == ["cap"] and name_words[1:2] != ["lai"] else 1
    return (first, skipped, -used.bit_length(), uncovered, primary)


def _alignment(folded_name: str, words: list[str]) -> tuple[int, int, int]:
    """Where the query's words start in the name, how many name words they skip, and
    how many name words they leave uncovered.

    Each query word matches the start of a name word or, when longer than one letter,
    the initialism of the name words from there ("cchn" spans four words). Words are
    followed in order; a word found only out of order counts as skipping the name."""
    name_words = folded_name.split()
    heads = "".join(w[0] for w in name_words)
    first, skipped, position, covered = len(name_words), 0, 0, 0
    for word in words:
        for i in range(position, len(name_words)):
            if name_words[i].startswith(word):
                span = 1
            elif len(word) > 1 and heads.startswith(word, i):
                span = len(word)
            else:
                continue
            if covered == 0:
                first = i  # where the first word found starts (a typo is skipped)
            else:
                skipped += i - position
            position = i + span
            covered += span
            break
        else:
            skipped += len(name_words)
    return first, skipped, len(name_words) - covered


@lru_cache(maxsize=64)
def _statement(sql: str) -> TextClause:
    """One parsed statement per distinct SQL text: parsing `text()` on every keystroke
    costs more than some searches (the texts differ only by the filters used)."""
    return text(sql)


def _filters(
    agency_codes: Collection[str] | None, field_code: str | None, level: str | None
) -> tuple[list[str], dict[str, Any]]:
    filters: list[str] = []
    params: dict[str, Any] = {}
    if agency_codes is not None:
        names = [f"agency_{i}" for i in range(len(agency_codes))]
        params.update(zip(names, sorted(agency_codes), strict=True))
        filters.append(
            "procedures.agency_code IN (" + ", ".join(f":{n}" for n in names) + ")"
            if names
            else "1 = 0"
        )
    if field_code is not None:
        params["field_code"] = field_code
        filters.append("procedures.field_code = :field_code")
    if level is not None:
        params["level"] = f"% {level} %"
        filters.append("(' ' || procedures.levels || ' ') LIKE :level")
    return filters, params


def _list_all(
    session: Session, filters: list[str], params: dict[str, Any], limit: int
) -> list[Hit]:
    # Only fixed fragments of this module are joined; every value is a bound parameter.
    # The indexed folded name of the procedures table: the first page reads `limit`
    # index entries instead of sorting the whole search table.
    sql = (
        "SELECT procedures.key FROM procedures "  # noqa: S608
        + ("WHERE " + " AND ".join(filters) + " " if filters else "")
        + "ORDER BY procedures.sort_name, procedures.key LIMIT :limit"
    )
    rows = session.execute(_statement(sql), {**params, "limit": limit})
    return [Hit(key=key, score=0.0) for (key,) in rows]
