"""Open a data dir without its database: folders, settings, language and log file.

The workspace starts with this, then opens the database. A command that needs only the
settings and the folders (`dvc-desk sign` of a loose file) stops here and never loads
SQLAlchemy.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from desktop import errors, logs
from desktop.paths import Paths
from desktop.settings import LANGUAGE, LOG_LEVEL, SHARED_STORE, Settings


@dataclass(frozen=True)
class DataDir:
    paths: Paths
    settings: Settings
    log_file: Path | None


def open_data_dir(paths: Paths, *, log_to_stderr: bool = False) -> DataDir:
    """Create the folders, read the settings, set the message language, start the log."""
    settings = Settings(paths.settings_file)
    shared = settings.get(SHARED_STORE)
    if shared and paths.shared_store is None:
        paths = dataclasses.replace(paths, shared_store=Path(shared))
    paths = paths.ensure()
    errors.set_language(settings.get(LANGUAGE))
    log_file = logs.setup(paths.logs, settings.get(LOG_LEVEL), stderr=log_to_stderr)
    return DataDir(paths, settings, log_file)
