"""Fixtures of the catalog tests: a service over a fresh data dir and catalog files."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.catalog.service import CatalogService
from desktop.workspace import Workspace

MINIMAL: dict[str, Any] = {
    "format_version": 1,
    "catalog_version": "test-1",
    "agencies": [{"code": "A1", "name": "Sở Thử nghiệm"}],
    "fields": [{"code": "F1", "name": "Lĩnh vực thử"}],
    "procedures": [
        {
            "key": "P1",
            "code": None,
            "name": "Cấp giấy phép thử nghiệm",
            "agency": "A1",
            "field": "F1",
            "channels": [
                {
                    "kind": "truc_tuyen",
                    "processing_days": 10,
                    "day_type": "working",
                    "fees": [{"kind": "le_phi", "amount": 200000}],
                }
            ],
            "components": [
                {"code": "TP1", "name": "Đơn đề nghị", "required": True, "originals": 1},
                {"code": "TP2", "name": "Bản sao giấy tờ", "required": False, "copies": 1},
            ],
        }
    ],
}


@pytest.fixture
def catalog_data() -> dict[str, Any]:
    """A small valid catalog, a fresh copy per test (edit it freely)."""
    return copy.deepcopy(MINIMAL)


@pytest.fixture
def write_catalog(tmp_path: Path) -> Callable[[Any], Path]:
    """Write data as a JSON catalog file; returns its path."""
    counter = iter(range(1000))

    def write(data: Any) -> Path:
        path = tmp_path / f"catalog-{next(counter)}.json"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        return path

    return write


@pytest.fixture
def service(workspace: Workspace) -> Iterator[CatalogService]:
    """The workspace's catalog service (the bundled catalog imported on first use)."""
    yield workspace.catalog
