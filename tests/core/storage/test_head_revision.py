"""The schema head is a constant so that an up-to-date database opens without Alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from desktop.storage.db import HEAD_REVISION, migrations_head, open_database, stored_revision

ROOT = Path(__file__).parents[3]


def test_head_revision_constant_is_the_head_of_the_migration_scripts() -> None:
    # A new migration in migrations/versions/ must move HEAD_REVISION with it, or a
    # database at the new head would be migrated again (and one below it not at all).
    assert migrations_head() == HEAD_REVISION


def test_current_database_opens_without_loading_alembic(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    open_database(path).dispose()
    assert stored_revision(path) == HEAD_REVISION
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from desktop.storage.db import open_database\n"
        f"open_database(Path({str(path)!r})).dispose()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
