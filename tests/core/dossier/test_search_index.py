"""Dossier search through the service: folded, word prefixes, kept current on writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select, text

from desktop.dossier import repository
from desktop.dossier.search_index import stored_text
from desktop.dossier.service import DossierService
from desktop.paths import Paths
from desktop.storage import models
from desktop.workspace import Workspace

from .conftest import PROCEDURE

FIRST_SCHEMA = Path(__file__).parents[2] / "data" / "db-0001-first-schema.sqlite3"
BIRTH = "TEST-KHAI-SINH"


@pytest.fixture
def people(service: DossierService, catalog_ready: Workspace) -> dict[str, int]:
    """Five dossiers, oldest first; Đỗ Văn Dũng's is for a birth registration."""
    with catalog_ready.db.session() as session:
        session.add(
            models.Procedure(
                key=BIRTH, name="Đăng ký khai sinh", agency_code="TEST.SYT", field_code="DUOC"
            )
        )
    people = {
        "Nguyễn Văn An": ("079123456789", "0912 345 678", PROCEDURE),
        "Nguyễn Thị Bình": ("051190001234", "", PROCEDURE),
        "Trần Văn Đức": ("", "", PROCEDURE),
        "Đỗ Văn Dũng": ("", "", BIRTH),
        "Lê Anh": ("", "", PROCEDURE),
    }
    ids = {}
    for name, (id_number, phone, procedure) in people.items():
        dossier = service.create(procedure)
        ids[name] = service.set_fields(
            dossier.id,
            {"applicant.name": name, "applicant.id_number": id_number, "applicant.phone": phone},
        ).id
    return ids


def _found(service: DossierService, query: str) -> set[int]:
    return {row.id for row in service.list(search=query)}


def _index_is_consistent(workspace: Workspace) -> None:
    # FTS5 compares its index with the external content (dossiers.search_text).
    with workspace.db.session() as session:
        session.execute(
            text("INSERT INTO dossier_search (dossier_search) VALUES ('integrity-check')")
        )


# The ways to a page: sorting the few ids of the index (a rare term), the folded text
# of the newest dossiers (a common term; here only when the page is short), every match
# of the index, and the folded text of every row (a database without FTS5).
PATHS = pytest.mark.parametrize(
    ("few", "window", "indexed"),
    [(2000, 2000, True), (0, 2000, True), (0, 1, True), (0, 1, False)],
    ids=["few", "window", "index", "text"],
)


@pytest.fixture
def path(monkeypatch: pytest.MonkeyPatch, few: int, window: int, indexed: bool) -> None:
    monkeypatch.setattr(repository, "FEW_MATCHES", few)
    monkeypatch.setattr(repository, "SEARCH_WINDOW", window)
    monkeypatch.setattr(repository, "_indexed", lambda _session: indexed)


@PATHS
@pytest.mark.usefixtures("path")
def test_names_are_found_as_typed_without_diacritics(
    service: DossierService, people: dict[str, int]
) -> None:
    an, binh, duc, dung = (people[n] for n in list(people)[:4])
    assert _found(service, "nguyen van an") == {an}
    assert _found(service, "NGUYEN") == {an, binh}
    assert _found(service, "Nguyễn Văn An") == {an}
    assert _found(service, "ngu va") == {an}  # the start of each word, as typed
    assert _found(service, "duc") == _found(service, "đức") == _found(service, "ĐỨC") == {duc}
    assert _found(service, "đỗ") == _found(service, "Đo") == _found(service, "do") == {dung}
    assert _found(service, "tran đuc") == _found(service, "trần dức") == {duc}
    assert _found(service, "an") == {an, people["Lê Anh"]}
    assert _found(service, "guyen") == set()  # inside a word is not a match
    assert _found(service, "nguyen duc") == set()  # every word must match
    assert service.count(search="nguyen") == 2


@PATHS
@pytest.mark.usefixtures("path")
def test_numbers_find_id_phone_and_dossier_number(
    service: DossierService, people: dict[str, int]
) -> None:
    an, binh = people["Nguyễn Văn An"], people["Nguyễn Thị Bình"]
    assert _found(service, "079123456789") == {an}
    assert _found(service, "0791") == _found(service, "0791 2345") == {an}
    assert _found(service, "079") == set()  # fewer than 4 digits: a dossier number only
    assert _found(service, "0912345678") == _found(service, "+84 912 345 678") == {an}
    assert _found(service, "0912") == {an}
    assert _found(service, str(binh)) == {binh}
    assert _found(service, f"{binh} nguyen") == {binh}
    assert _found(service, "9999") == set()


def test_procedure_words_and_names_combine(service: DossierService, people: dict[str, int]) -> None:
    dung = people["Đỗ Văn Dũng"]
    assert _found(service, "khai sinh") == {dung}
    assert _found(service, "dang ky do van") == {dung}
    assert _found(service, "chung chi nguyen") == {
        people["Nguyễn Văn An"],
        people["Nguyễn Thị Bình"],
    }


@PATHS
@pytest.mark.usefixtures("path")
def test_receipt_number_recorded_by_another_writer_is_found(
    service: DossierService, catalog_ready: Workspace, people: dict[str, int]
) -> None:
    an = people["Nguyễn Văn An"]
    # The sync engine records the receipt number straight on the ORM row.
    with catalog_ready.db.session() as session:
        row = session.get(models.Dossier, an)
        assert row is not None
        row.receipt_no = "H12.34-260115-0042"
    for query in ("H12.34-260115-0042", "h12.34", "260115", "0042", "260115-0042 nguyen"):
        assert _found(service, query) == {an}, query
    _index_is_consistent(catalog_ready)


def test_core_writers_get_the_text_the_orm_hook_computes(
    service: DossierService, catalog_ready: Workspace, people: dict[str, int]
) -> None:
    dung, an = people["Đỗ Văn Dũng"], people["Nguyễn Văn An"]
    receipt = "H12.34-260115-0043"
    with catalog_ready.db.engine.begin() as conn:
        # What a Core UPDATE of the receipt number would store (the sync engine's way).
        core = stored_text(conn, dung, receipt_no=receipt)
        moved = stored_text(conn, an, procedure_key=BIRTH)
        with pytest.raises(ValueError, match="state"):
            stored_text(conn, dung, state="DONE")
    with catalog_ready.db.session() as session:
        row = session.get(models.Dossier, dung)
        other = session.get(models.Dossier, an)
        assert row is not None and other is not None
        row.receipt_no = receipt
        other.procedure_key = BIRTH
        session.flush()
        assert (row.search_text, other.search_text) == (core, moved)
    assert "khai sinh" in core and "0043" in core and "khai sinh" in moved


def test_edits_and_copies_keep_the_index_current(
    service: DossierService, catalog_ready: Workspace, people: dict[str, int]
) -> None:
    duc = people["Trần Văn Đức"]
    service.set_fields(duc, {"applicant.name": "Phạm Quốc Huy"})
    assert _found(service, "tran van duc") == set()
    assert _found(service, "pham quoc") == {duc}
    service.set_fields(duc, {"submitter.name": "Hoàng Thị Mai", "submitter.phone": "0987654321"})
    assert _found(service, "hoang mai") == _found(service, "0987654321") == {duc}
    # A new version copied row by row (as the sync engine supersedes a dossier).
    with catalog_ready.db.session() as session:
        old = session.get(models.Dossier, duc)
        assert old is not None
        copy = models.Dossier(
            procedure_key=old.procedure_key,
            state="DRAFT",
            version=2,
            supersedes_id=old.id,
            applicant=dict(old.applicant),
            applicant_name=old.applicant_name,
            submitter=None,
            delivery={},
            notes="",
            created_at=old.created_at,
            updated_at=old.updated_at,
        )
        session.add(copy)
        session.flush()
        copy_id = copy.id
    assert _found(service, "pham quoc huy") == {duc, copy_id}
    assert _found(service, "hoang mai") == {duc}
    _index_is_consistent(catalog_ready)


@PATHS
@pytest.mark.usefixtures("path")
def test_state_filter_and_pages_apply_to_search(
    service: DossierService, people: dict[str, int]
) -> None:
    an, binh = people["Nguyễn Văn An"], people["Nguyễn Thị Bình"]
    assert [r.id for r in service.list(search="nguyen", limit=1)] == [binh]  # newest first
    assert [r.id for r in service.list(search="nguyen", limit=1, offset=1)] == [an]
    assert service.list(search="nguyen", state="READY") == []
    assert {r.id for r in service.list(search="nguyen", state="DRAFT")} == {
        people["Nguyễn Văn An"],
        people["Nguyễn Thị Bình"],
    }


def test_only_punctuation_finds_nothing(service: DossierService, people: dict[str, int]) -> None:
    assert service.list(search="--- !") == [] and service.count(search="()") == 0
    assert len(service.list(search="   ")) == len(people)


def test_upgraded_first_schema_database_is_searchable(tmp_path: Path) -> None:
    paths = Paths(tmp_path / "data")
    paths.database.parent.mkdir(parents=True)
    shutil.copy(FIRST_SCHEMA, paths.database)
    workspace = Workspace(paths)
    try:
        rows = workspace.dossiers.list(search="nguyen van a")
        assert [(r.id, r.applicant_name) for r in rows] == [(1, "Nguyễn Văn A")]
        assert [r.id for r in workspace.dossiers.list(search="chung chi duoc")] == [1]
        with workspace.db.session() as session:
            stored = session.scalar(select(models.Dossier.search_text))
        assert stored is not None and stored.startswith("nguyen van a ")
        _index_is_consistent(workspace)
    finally:
        workspace.close()
