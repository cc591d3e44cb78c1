from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.attachments.store import BlobStore
from desktop.workspace import Workspace


@pytest.fixture
def store(workspace: Workspace) -> Iterator[BlobStore]:
    yield workspace.store


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "files"
    folder.mkdir()
    return folder
