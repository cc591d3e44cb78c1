"""`dvc-desk ... | head`: when the reader goes away the command ends quietly (no
BrokenPipeError traceback), as Unix tools do."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from dossier.conftest import PROCEDURE, insert_catalog

from desktop.paths import Paths
from desktop.workspace import Workspace


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
@pytest.mark.parametrize(
    "args",
    [("dossier", "validate", "1", "--json"), ("dossier", "show", "1"), ("catalog", "search", "")],
)
def test_reader_closing_the_pipe_early(run_cli, data_dir: Path, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    workspace = Workspace(Paths(data_dir))
    insert_catalog(workspace)
    workspace.close()
    assert run_cli("dossier", "new", "--procedure", PROCEDURE).code == 0
    child = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "--data-dir", str(data_dir), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # like `head` having read all it wanted (here: before anything)
    err = child.stderr.read().decode()
    code = child.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert code in (0, 141)
