"""Dossier search on PostgreSQL (trigram index of the folded text) gives the answers of
SQLite's FTS5 index on one shared query set (issue #17 item 1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from desktop.paths import Paths
from desktop.storage import models
from desktop.workspace import Workspace

from .conftest import PROCEDURE, insert_catalog

BIRTH = "TEST-KHAI-SINH"
PEOPLE = {
    "Nguyễn Văn An": ("079123456789", "0912 345 678", PROCEDURE),
    "Nguyễn Thị Bình": ("051190001234", "", PROCEDURE),
    "Trần Văn Đức": ("", "", PROCEDURE),
    "Đỗ Văn Dũng": ("", "", BIRTH),
    "Lê Anh": ("", "", PROCEDURE),
    "Phạm Thị Ánh Tuyết": ("", "0987 654 321", BIRTH),
}
# Query → the names it finds (the answers of tests/core/dossier/test_search_index.py).
QUERIES: dict[str, set[str]] = {
    "nguyen van an": {"Nguyễn Văn An"},
    "NGUYEN": {"Nguyễn Văn An", "Nguyễn Thị Bình"},
    "Nguyễn Văn An": {"Nguyễn Văn An"},
    "ngu va": {"Nguyễn Văn An"},
    "duc": {"Trần Văn Đức"},
    "ĐỨC": {"Trần Văn Đức"},
    "đỗ": {"Đỗ Văn Dũng"},
    "tran đuc": {"Trần Văn Đức"},
    "an": {"Nguyễn Văn An", "Lê Anh", "Phạm Thị Ánh Tuyết"},
    "guyen": set(),
    "nguyen duc": set(),
    "079123456789": {"Nguyễn Văn An"},
    "0791 2345": {"Nguyễn Văn An"},
    "079": set(),
    "+84 912 345 678": {"Nguyễn Văn An"},
    "0987": {"Phạm Thị Ánh Tuyết"},
    "khai sinh": {"Đỗ Văn Dũng", "Phạm Thị Ánh Tuyết"},
    "thi tuyet": {"Phạm Thị Ánh Tuyết"},
    "%": set(),
    "_": set(),
}


def _workspace(folder: Path, url: str | None) -> Workspace:
    ws = Workspace(Paths(folder), database=url)
    insert_catalog(ws)
    with ws.db.session() as session:
        session.add(
            models.Procedure(
                key=BIRTH, name="Đăng ký khai sinh", agency_code="TEST.SYT", field_code="DUOC"
            )
        )
    for name, (id_number, phone, procedure) in PEOPLE.items():
        dossier = ws.dossiers.create(procedure)
        ws.dossiers.set_fields(
            dossier.id,
            {"applicant.name": name, "applicant.id_number": id_number, "applicant.phone": phone},
        )
    return ws


def _answers(ws: Workspace) -> dict[str, set[str]]:
    return {
        query: {row.applicant_name for row in ws.dossiers.list(search=query)} for query in QUERIES
    }


@pytest.fixture
def sqlite_answers(tmp_path: Path) -> dict[str, set[str]]:
    ws = _workspace(tmp_path / "sqlite", None)
    try:
        return _answers(ws)
    finally:
        ws.close()


def test_postgres_search_answers_as_fts5(
    tmp_path: Path, postgres_url: str, sqlite_answers: dict[str, set[str]]
) -> None:
    ws = _workspace(tmp_path / "pg", postgres_url)
    try:
        assert ws.db.engine.dialect.name == "postgresql"
        assert _answers(ws) == sqlite_answers == QUERIES
        with ws.db.engine.connect() as conn:
            conn.execute(text("SET enable_seqscan = off"))  # six rows: a scan is cheaper
            plan = "\n".join(
                conn.execute(
                    text("EXPLAIN SELECT id FROM dossiers WHERE search_text LIKE '%tuyet%'")
                ).scalars()
            )
        assert "ix_dossiers_search_trgm" in plan  # the trigram index answers it
    finally:
        ws.close()
