"""The core must run headless: importing every desktop module loads no Qt."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import desktop

ROOT = Path(__file__).resolve().parents[2]


def _core_modules() -> list[str]:
    names = ["desktop"]
    for info in pkgutil.walk_packages(desktop.__path__, prefix="desktop."):
        if ".migrations" in info.name:
            continue  # Alembic scripts run only inside Alembic's context
        names.append(info.name)
    return names


def test_every_core_module_imports_without_qt() -> None:
    modules = _core_modules()
    assert "desktop.cli" in modules and "desktop.storage.db" in modules
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6', 'ui'))\n"
        "print(json.dumps(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
