"""The shipped units are exactly what units_build makes of the shared dvhcvn copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.dossier import units_build
from desktop.dossier.admin_units import DATA_FILE

SHARED = Path(__file__).parents[3] / ".." / "shared" / "data" / "dvhcvn-20250701"
SHIPPED = DATA_FILE.parent


def test_licence_and_source_are_shipped_with_the_units() -> None:
    licence = (SHIPPED / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence or "Permission is hereby granted" in licence
    source = (SHIPPED / "SOURCE").read_text(encoding="utf-8")
    assert "dvhcvn/20250701 at commit dd94887" in source
    assert "merges.json" in source and "splits.json" in source


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not reachable here")
def test_shipped_resource_matches_the_shared_data(tmp_path: Path) -> None:
    units_build.build(SHARED, tmp_path)
    for name in (units_build.UNITS_FILE, "LICENSE", "SOURCE"):
        assert (tmp_path / name).read_bytes() == (SHIPPED / name).read_bytes(), name


def test_kinds_are_read_whatever_their_case() -> None:
    assert units_build.split_kind("Thị Trấn Mường Chà") == ("Thị trấn", "Mường Chà")
    assert units_build.split_kind("Đặc khu Côn Đảo") == ("Đặc khu", "Côn Đảo")
