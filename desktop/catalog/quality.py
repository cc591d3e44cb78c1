"""Search quality: hit@1 and hit@5 of a set of queries a clerk would type.

The set is a TSV file (`query<TAB>expected`), the expected procedure named by its exact
name, national code or catalog key; lines starting with `#` are comments. Used by the
quality test (tests/core/catalog/test_search_quality.py) and bench/bench_search_quality.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop.catalog.model import ProcedureSummary
from desktop.catalog.service import CatalogService


@dataclass(frozen=True)
class QueryResult:
    query: str
    expected: str
    rank: int | None  # 1-based; None when not in the first `depth` results
    first: str  # the name of the first result ("" when none)


@dataclass(frozen=True)
class Quality:
    results: tuple[QueryResult, ...]

    def hit_at(self, k: int) -> float:
        hits = sum(1 for r in self.results if r.rank is not None and r.rank <= k)
        return hits / len(self.results) if self.results else 0.0

    def misses(self, k: int) -> list[QueryResult]:
        return [r for r in self.results if r.rank is None or r.rank > k]


def read_queries(path: Path) -> list[tuple[str, str]]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, expected = line.split("\t", 1)
        pairs.append((query, expected.strip()))
    return pairs


def _is(summary: ProcedureSummary, expected: str) -> bool:
    return expected in (summary.name, summary.code, summary.key)


def measure(catalog: CatalogService, queries: list[tuple[str, str]], depth: int = 10) -> Quality:
    results = []
    for query, expected in queries:
        found = catalog.search(query, limit=depth)
        rank = next((i for i, s in enumerate(found, start=1) if _is(s, expected)), None)
        results.append(QueryResult(query, expected, rank, found[0].name if found else ""))
    return Quality(tuple(results))
