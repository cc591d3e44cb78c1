"""What a clerk typed, as ranking tiers over `procedure_search`, and the order of the hits.

desktop.catalog.search describes the index and writes it; this module reads it, over
any connection that runs SQL with `:name` parameters (`Run`): a SQLAlchemy session in
the app, the stdlib sqlite3 module in the quick `dvc-desk catalog search`
(desktop.catalog.reader). Both therefore give the same answers in the same order.

A tier is written as FTS5 MATCH expressions on SQLite (`fts5_candidates`); on a shared
PostgreSQL database the caller passes desktop.catalog.search_postgres's `Candidates`
instead (desktop.catalog.search.candidates), which match the same tiers with LIKE and
rank them by the same bm25. This module imports neither SQLAlchemy nor that module.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from desktop.catalog.folding import MAX_ABBREVIATION_WORDS, abbreviations, fold, spelling

# Runs one SELECT (`:name` parameters) and returns its rows.
Run = Callable[[str, Mapping[str, Any]], Sequence[Sequence[Any]]]

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


class Candidates(Protocol):
    """(key, folded name, bm25 rank) of the rows matching `tier` (and `filters`): the
    `limit` best by bm25, lower rank first (`ranked`), or the first `limit` with rank
    0.0. `filters` are conditions on `procedures` with their values in `params`."""

    def __call__(
        self,
        tier: Tier,
        *,
        ranked: bool,
        filters: Sequence[str],
        params: Mapping[str, Any],
        limit: int,
    ) -> Sequence[tuple[str, str, float]]: ...


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
    run: Run,
    user_text: str,
    *,
    agency_codes: Collection[str] | None = None,
    field_code: str | None = None,
    level: str | None = None,
    usage: Mapping[str, int] | None = None,
    limit: int = 50,
    candidates: Candidates | None = None,
) -> list[Hit]:
    """Procedures matching `user_text`, best first; all of them (by name) when it is
    empty. `usage` (procedure key → dossiers filed) lifts what the office files most.
    `candidates` matches a tier (FTS5 over `run` when not given: SQLite)."""
    if limit <= 0:
        return []
    find_candidates = candidates or fts5_candidates(run)
    filters, params = _filters(agency_codes, field_code, level)
    words = query_words(user_text)
    if not words:
        return _list_all(run, filters, params, limit)
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
        rows = find_candidates(
            tier,
            ranked=ranked,
            filters=filters,
            params=params,
            limit=max(wanted + len(seen), RERANK_WINDOW),
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


def fts5_candidates(run: Run) -> Candidates:
    """`Candidates` from the FTS5 table `procedure_search` over `run` (SQLite)."""

    def found(
        tier: Tier,
        *,
        ranked: bool,
        filters: Sequence[str],
        params: Mapping[str, Any],
        limit: int,
    ) -> list[tuple[str, str, float]]:
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
        rows = run(
            sql,
            {
                **params,
                "match": fts5_expression(tier),
                **({"rank": RANK} if ranked else {}),
                "limit": limit,
            },
        )
        return [(key, name, float(rank)) for key, name, rank in rows]

    return found


def _order(folded_name: str, phrasings: list[list[str]], used: int) -> tuple[int, ...]:
    name_words = folded_name.split()
    heads = "".join(w[0] for w in name_words)
    first, skipped, uncovered = min(_alignment(name_words, heads, words) for words in phrasings)
    primary = 0 if name_words[:1] == ["cap"] and name_words[1:2] != ["lai"] else 1
    return (first, skipped, -used.bit_length(), uncovered, primary)


def _alignment(name_words: list[str], heads: str, words: list[str]) -> tuple[int, int, int]:
    """Where the query's words start in the name (its words, and `heads`: their first
    letters), how many name words they skip, and how many name words they leave
    uncovered.

    Each query word matches the start of a name word or, when longer than one letter,
    the initialism of the name words from there ("cchn" spans four words). Words are
    followed in order; a word found only out of order counts as skipping the name.
    Either match starts at a name word whose first letter is the word's: `heads.find`
    jumps to those (this runs for every candidate of every tier: most of a search's
    Python time)."""
    count = len(name_words)
    first, skipped, position, covered = count, 0, 0, 0
    for word in words:
        letter, initialism = word[0], len(word) > 1
        i = heads.find(letter, position)
        while i >= 0:
            if name_words[i].startswith(word):
                span = 1
            elif initialism and heads.startswith(word, i):
                span = len(word)
            else:
                i = heads.find(letter, i + 1)
                continue
            if covered == 0:
                first = i  # where the first word found starts (a typo is skipped)
            else:
                skipped += i - position
            position = i + span
            covered += span
            break
        else:
            skipped += count
    return first, skipped, count - covered


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


def _list_all(run: Run, filters: list[str], params: dict[str, Any], limit: int) -> list[Hit]:
    # Only fixed fragments of this module are joined; every value is a bound parameter.
    # The indexed folded name of the procedures table: the first page reads `limit`
    # index entries instead of sorting the whole search table.
    sql = (
        "SELECT procedures.key FROM procedures "  # noqa: S608
        + ("WHERE " + " AND ".join(filters) + " " if filters else "")
        + "ORDER BY procedures.sort_name, procedures.key LIMIT :limit"
    )
    return [Hit(key=key, score=0.0) for (key, *_rest) in run(sql, {**params, "limit": limit})]
