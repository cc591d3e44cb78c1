"""The 20 real records of the national portal (shared/data/portal-procedures, copied
verbatim into resources/catalog/dvcqg) for the tests of import, checklists and sync."""

from __future__ import annotations

import shutil
from pathlib import Path

SHARED_RECORDS = (
    Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "portal-procedures"
)


def copy_records(target: Path) -> Path:
    """A folder `target` holding a copy of every record (to edit one)."""
    target.mkdir(parents=True, exist_ok=True)
    for path in SHARED_RECORDS.glob("*.json"):
        shutil.copy(path, target / path.name)
    return target
