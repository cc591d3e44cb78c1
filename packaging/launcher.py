"""Entry script of the frozen app: both executables run `desktop.cli.main`.

`dvc-desk` is the console executable (the CLI, and the app when run bare);
`dvc-desk-app` is built windowed (no console window on Windows) for menu shortcuts.
A windowed process on Windows has no standard streams: argparse and logging would fail
on them, so they go to the null device there.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from desktop.cli import main

if __name__ == "__main__":
    if sys.stdout is None or sys.stderr is None:
        null = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115  (lives with the process)
        sys.stdout = sys.stdout or null
        sys.stderr = sys.stderr or null
    sys.exit(main())
