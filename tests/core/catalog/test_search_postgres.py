"""Procedure search on PostgreSQL (the plain index table of migration 0015, bm25 computed
as FTS5 does) gives the answers of SQLite's FTS5 index on the shared query set of
test_search_quality.py (issue #17 item 1): the same five first procedures, in order."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from desktop.catalog.quality import read_queries
from desktop.paths import Paths
from desktop.workspace import Workspace
from portal_sandbox.catalog_gen import catalog

from .test_search_quality import QUERIES, SIZE

# Beyond the quality set: the household-book words, abbreviations, initialisms, typos,
# filler words (the fallback tier) and text that is FTS5 syntax elsewhere.
EXTRA = [
    "nhap ho khau", "nhập hộ khẩu", "chuyen ho khau", "tach ho khau", "xoa ho khau",
    "cat khau", "cap lai giay phep", "cchn", "cchnd", "cap cchn", "gcn qsdd", "so do",
    "gplx", "cccd", "giay phep", "dang ky", "dang", "d", "xin lam giay khai sinh",
    "kí", "ky ket hon", "\"near\" OR not*", "(", "%", "_", "thu tuc dang ky kinh doanh",
]  # fmt: skip
TOP = 5


def _queries() -> list[str]:
    return [q for q, _expected in read_queries(QUERIES)] + EXTRA


@pytest.fixture(scope="module")
def quality_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("quality-pg") / "catalog.json"
    path.write_text(json.dumps(catalog(SIZE), ensure_ascii=False), encoding="utf-8")
    return path


def _answers(ws: Workspace, **filters: str) -> dict[str, list[str]]:
    return {q: [s.key for s in ws.catalog.search(q, limit=TOP, **filters)] for q in _queries()}


@pytest.fixture(scope="module")
def sqlite_answers(
    tmp_path_factory: pytest.TempPathFactory, quality_file: Path
) -> dict[str, dict[str, list[str]]]:
    ws = Workspace(Paths(tmp_path_factory.mktemp("sqlite")))
    try:
        ws.catalog.import_file(quality_file, "dvcqg")
        return {"all": _answers(ws), "xa": _answers(ws, level="xa")}
    finally:
        ws.close()


def test_catalog_search_answers_as_fts5(
    tmp_path: Path,
    database_url: str | None,
    quality_file: Path,
    sqlite_answers: dict[str, dict[str, list[str]]],
) -> None:
    ws = Workspace(Paths(tmp_path / "ws"), database=database_url)
    try:
        ws.catalog.import_file(quality_file, "dvcqg")
        answers = _answers(ws)
        assert sum(1 for keys in answers.values() if keys) >= 60  # the set finds things
        assert answers == sqlite_answers["all"]
        assert _answers(ws, level="xa") == sqlite_answers["xa"]
    finally:
        ws.close()


def test_the_trigram_index_answers_on_postgres(tmp_path: Path, postgres_url: str) -> None:
    ws = Workspace(Paths(tmp_path / "ws"), database=postgres_url)
    try:
        assert ws.catalog.search("cchn duoc", limit=1)  # the bundled catalog, indexed
        with ws.db.engine.connect() as conn:
            conn.execute(text("SET enable_seqscan = off"))  # a small table: a scan is cheaper
            plan = "\n".join(
                conn.execute(
                    text("EXPLAIN SELECT key FROM procedure_search WHERE document LIKE '% duoc%'")
                ).scalars()
            )
        assert "ix_procedure_search_trgm" in plan
    finally:
        ws.close()


def test_the_writer_keeps_the_index_current(
    tmp_path: Path,
    database_url: str | None,
    catalog_data: dict[str, Any],
    write_catalog: Callable[[Any], Path],
) -> None:
    ws = Workspace(Paths(tmp_path / "ws"), database=database_url)
    try:
        ws.catalog.import_file(write_catalog(catalog_data))
        assert [s.key for s in ws.catalog.search("thu nghiem")] == ["P1"]
        catalog_data["catalog_version"] = "test-2"
        catalog_data["procedures"][0]["name"] = "Cấp giấy phép kiểm định"
        ws.catalog.import_file(write_catalog(catalog_data))
        assert ws.catalog.search("thu nghiem") == []  # the old name is gone from the index
        assert [s.key for s in ws.catalog.search("kiem dinh")] == ["P1"]
        assert [s.key for s in ws.catalog.search("cgpkd")] == ["P1"]
    finally:
        ws.close()
