"""`catalog search` from what was typed to the summary rows, over any connection.

One owner for what a search answers: the filters are checked (unknown agency, field or
level), an agency stands for its successors and predecessors, the office's usage lifts
what it files most, and the hits become summary rows. CatalogService runs it in a
SQLAlchemy session; the quick `dvc-desk catalog search` (desktop.catalog.reader) runs it
over the stdlib sqlite3 module, so both answer alike.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence

from desktop.catalog import model, query
from desktop.catalog.query import Candidates, Run
from desktop.catalog.summaries import stored_summaries
from desktop.errors import UserError, define

E_UNKNOWN_AGENCY = define(
    "catalog.unknown_agency",
    vi="Không có cơ quan mã «{agency}». Xem các mã bằng «dvc-desk catalog agencies».",
    en="No agency with code «{agency}». List the codes with «dvc-desk catalog agencies».",
)
E_UNKNOWN_FIELD = define(
    "catalog.unknown_field",
    vi="Không có lĩnh vực mã «{field}». Xem các mã bằng «dvc-desk catalog fields».",
    en="No field with code «{field}». List the codes with «dvc-desk catalog fields».",
)
E_UNKNOWN_LEVEL = define(
    "catalog.unknown_level",
    vi="Không có cấp «{level}». Các cấp: bo (cấp bộ), tinh (cấp tỉnh), xa (cấp xã).",
    en="No level «{level}». Levels: bo (ministry), tinh (province), xa (commune).",
)

USAGE_SQL = "SELECT procedure_key, count(*) FROM dossiers GROUP BY procedure_key"

# Plain SQL: this runs on every keystroke of a search, and the ORM's per-row work
# costs as much as the search itself.
_SUMMARY_SQL = (
    # `channels` only for a row written without its summaries: it is the row's longest
    # text, and copying it for every hit of every keystroke is wasted work.
    "SELECT p.key, p.code, p.name, p.fee_summary, p.time_summary, "
    "CASE WHEN p.fee_summary IS NULL OR p.time_summary IS NULL THEN p.channels END, "
    "a.code, a.name, f.code, f.name, p.levels "
    "FROM procedures p JOIN agencies a ON a.code = p.agency_code "
    "JOIN fields f ON f.code = p.field_code WHERE p.key IN ({marks})"
)


def find(
    run: Run,
    text: str,
    *,
    agency: str | None = None,
    field: str | None = None,
    level: str | None = None,
    limit: int = 50,
    usage: Callable[[], Mapping[str, int]] | None = None,
    candidates: Candidates | None = None,
) -> list[model.ProcedureSummary]:
    """Procedures matching `text`, best first (see CatalogService.search); `usage`
    gives the office's dossiers per procedure, asked only when something was typed;
    `candidates` matches a ranking tier (query.search's FTS5 when None)."""
    agency_codes = None
    if agency is not None:
        rows = run("SELECT code, successor_code FROM agencies", {})
        successors: dict[str, str | None] = {row[0]: row[1] for row in rows}
        if agency not in successors:
            raise UserError(E_UNKNOWN_AGENCY, agency=agency)
        agency_codes = lineage(successors.items(), agency)
    if field is not None and not run("SELECT 1 FROM fields WHERE code = :code", {"code": field}):
        raise UserError(E_UNKNOWN_FIELD, field=field)
    if level is not None and level not in model.LEVELS:
        raise UserError(E_UNKNOWN_LEVEL, level=level)
    hits = query.search(
        run,
        text,
        agency_codes=agency_codes,
        field_code=field,
        level=level,
        usage=usage() if usage is not None and text.strip() else None,
        limit=limit,
        candidates=candidates,
    )
    scores = {h.key: h.score for h in hits}
    found = summaries(run, list(scores), scores)
    return [found[h.key] for h in hits if h.key in found]


def usage_counts(run: Run) -> dict[str, int]:
    """How many dossiers the office has per procedure key."""
    return {key: int(n) for key, n in run(USAGE_SQL, {})}


def lineage(successors: Iterable[tuple[str, str | None]], code: str) -> set[str]:
    """`code` with every agency it became (successors) and every agency that became it
    (predecessors): the procedures of all of them are the same office's work.
    `successors`: (agency code, its successor's code or None) of every agency."""
    successor = {old: new for old, new in successors if new}
    predecessors: dict[str, list[str]] = {}
    for old, new in successor.items():
        predecessors.setdefault(new, []).append(old)
    found = {code}
    current = successor.get(code)
    while current is not None and current not in found:
        found.add(current)
        current = successor.get(current)
    stack = [code]
    while stack:
        for old in predecessors.get(stack.pop(), []):
            if old not in found:
                found.add(old)
                stack.append(old)
    return found


def summaries(
    run: Run, keys: Sequence[str], scores: Mapping[str, float] | None = None
) -> dict[str, model.ProcedureSummary]:
    """Summary rows of `keys` (order is the caller's), with their search `scores`."""
    result: dict[str, model.ProcedureSummary] = {}
    for start in range(0, len(keys), 500):
        chunk = list(keys[start : start + 500])
        sql = _SUMMARY_SQL.format(marks=", ".join(f":k{i}" for i in range(len(chunk))))
        rows = run(sql, {f"k{i}": k for i, k in enumerate(chunk)})
        for key, code, name, fee_text, time_text, channels, *others in rows:
            a_code, a_name, f_code, f_name, levels = others
            fee, time = fee_text, time_text
            if fee is None or time is None:  # a row written without them
                fee, time = stored_summaries(json.loads(channels) if channels else [])
            result[key] = model.ProcedureSummary(
                key=key,
                code=code,
                name=name,
                agency_code=a_code,
                agency_name=a_name,
                field_code=f_code,
                field_name=f_name,
                fee_summary=fee,
                processing_summary=time,
                score=scores.get(key, 0.0) if scores else 0.0,
                levels=tuple((levels or "").split()),
            )
    return result
