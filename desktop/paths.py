"""Where dvc-desk keeps its files: one data dir, overridable by --data-dir or DVC_DESK_HOME."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "dvc-desk"
ENV_HOME = "DVC_DESK_HOME"


@dataclass(frozen=True)
class Paths:
    """Every location the app writes to, derived from one root."""

    root: Path
    # The office's shared attachment store (a folder on the file server, issue #17):
    # blobs and their temp files live there instead of in the data dir.
    shared_store: Path | None = None

    @property
    def database(self) -> Path:
        return self.root / "dvc-desk.sqlite3"

    @property
    def blobs(self) -> Path:
        return (self.shared_store or self.root) / "blobs"

    @property
    def tmp(self) -> Path:
        """Temp files live beside the blobs so the final rename stays on one file system."""
        return (self.shared_store or self.root) / "tmp"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def settings_file(self) -> Path:
        return self.root / "settings.json"

    @property
    def trust(self) -> Path:
        """Trusted root certificates the user added (PEM or DER files)."""
        return self.root / "trust"

    def ensure(self) -> Paths:
        """Create the folders; an existing data dir on a read-only disk is still opened
        (for reading) when some of them cannot be created."""
        for directory in (self.root, self.blobs, self.tmp, self.logs, self.trust):
            try:
                directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            except OSError:
                if not self.database.is_file():
                    raise
        _private(self.root)
        return self


def _private(root: Path) -> None:
    """The data dir holds applicants' data: readable by its owner only (0700), whatever
    the umask; a folder someone else owns (a shared mount) is left as it is."""
    if os.name == "nt":
        return
    try:
        info = root.stat()
        if info.st_uid == os.getuid() and info.st_mode & 0o077:
            root.chmod(0o700)
    except OSError:
        pass  # a read-only data dir: opened for reading, permissions left as they are


def resolve(data_dir: str | os.PathLike[str] | None = None) -> Paths:
    """`data_dir` if given, else $DVC_DESK_HOME, else the platform's user data dir."""
    if data_dir:
        root = Path(data_dir)
    elif os.environ.get(ENV_HOME):
        root = Path(os.environ[ENV_HOME])
    else:
        root = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return Paths(root.expanduser().resolve())
