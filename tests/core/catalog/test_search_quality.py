"""What clerks type finds what they mean: the quality set against a realistic catalog
(the 20 real portal records, the bundled catalog, generated records of the same shape)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.catalog.quality import measure, read_queries
from desktop.catalog.service import CatalogService
from portal_sandbox.catalog_gen import catalog

QUERIES = Path(__file__).resolve().parents[2] / "data" / "search-queries.tsv"
SIZE = 2000


@pytest.fixture(scope="module")
def quality_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("quality") / "catalog.json"
    path.write_text(json.dumps(catalog(SIZE), ensure_ascii=False), encoding="utf-8")
    return path


def test_the_quality_set_meets_its_goals(service: CatalogService, quality_catalog: Path) -> None:
    queries = read_queries(QUERIES)
    assert len(queries) >= 60
    service.import_file(quality_catalog, "dvcqg")
    quality = measure(service, queries)
    misses = [(r.query, r.expected, r.rank, r.first) for r in quality.misses(1)]
    assert quality.hit_at(5) >= 0.95, misses
    assert quality.hit_at(1) >= 0.80, misses


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # Since the Law on Residence 2020 (paper household books end 1 January 2023)
        # "nhập hộ khẩu" is "đăng ký thường trú"; clerks still type the old words.
        ("nhap ho khau", "Đăng ký thường trú"),
        ("nhập hộ khẩu", "Đăng ký thường trú"),
        ("chuyen ho khau", "Đăng ký thường trú"),
        ("tach ho khau", "Tách hộ"),
        ("xoa ho khau", "Xóa đăng ký thường trú"),
        ("cat khau", "Xóa đăng ký thường trú"),
    ],
)
def test_the_household_book_words_find_the_residence_procedures(
    service: CatalogService, quality_catalog: Path, typed: str, expected: str
) -> None:
    service.import_file(quality_catalog, "dvcqg")
    first = service.search(typed, limit=1)
    assert first and first[0].name == expected, typed


def test_the_office_usage_lifts_what_it_files_most(
    service: CatalogService, quality_catalog: Path
) -> None:
    service.import_file(quality_catalog, "dvcqg")
    first = service.search("cap lai giay phep", limit=5)
    favourite = first[3]
    assert first[0].key != favourite.key
    dossiers = service._db  # the office files the fourth one often
    from datetime import UTC, datetime

    from desktop.storage import models

    now = datetime.now(UTC)
    with dossiers.session() as session:
        for _ in range(8):
            session.add(
                models.Dossier(
                    procedure_key=favourite.key,
                    state="DRAFT",
                    applicant={},
                    delivery={},
                    notes="",
                    created_at=now,
                    updated_at=now,
                )
            )
    service.refresh_usage()
    assert service.search("cap lai giay phep", limit=5)[0].key == favourite.key


def test_level_and_agency_filters(service: CatalogService, quality_catalog: Path) -> None:
    service.import_file(quality_catalog, "dvcqg")
    commune = service.search("dang ky", level="xa", limit=50)
    assert commune and all("xa" in s.levels for s in commune)
    ministry = service.search("", level="bo", limit=500)
    assert ministry and all("bo" in s.levels for s in ministry)
    police = service.search("", agency="BCA_CAX", limit=500)
    assert police and {s.agency_code for s in police} == {"BCA_CAX"}
