"""What the frozen app needs from the source tree, derived from the tree itself.

packaging/dvc-desk.spec loads this file by path (the folder is not a Python package: a
`packaging` package would shadow the PyPI `packaging` library that pip and pytest
import). tests/packaging/test_datas.py checks that every file the app reads at run time
is in the list, so a new resource or migration is never left out of the build.

The app finds its files relative to its modules (`Path(__file__).parents[2] /
"resources"`, `desktop/storage/migrations`); PyInstaller sets `__file__` of a frozen
module to the same relative place inside the bundle, so each file keeps its path
relative to the project root.
"""

from __future__ import annotations

from pathlib import Path

# Folders whose every file is read at run time, relative to the project root.
DATA_TREES = ("resources", "desktop/storage/migrations")
# Python packages whose modules are imported by name (commands/index.py, `ui.app`, Alembic
# migrations importing `desktop.dossier.search`): PyInstaller's import graph cannot see
# them all, so every module is listed as a hidden import.
CODE_PACKAGES = ("desktop", "ui", "portal_sandbox")
# A source file that the app never reads itself, mapped to the built file it reads.
BUILT_FROM = {".ts": ".qm"}  # Qt Linguist source -> compiled translation (`make` builds it)
SKIPPED_DIRS = frozenset({"__pycache__"})
SKIPPED_SUFFIXES = frozenset({".pyc", ".pyo"})


class MissingBuiltFileError(FileNotFoundError):
    """A file the app reads is built from a source and has not been built yet."""


def _tree_files(root: Path, tree: str) -> list[Path]:
    base = root / tree
    found = []
    for path in base.rglob("*"):
        relative = path.relative_to(root)
        if not path.is_file() or SKIPPED_DIRS.intersection(relative.parts):
            continue
        if path.suffix in SKIPPED_SUFFIXES:
            continue
        found.append(relative)
    return found


def runtime_files(root: Path) -> list[Path]:
    """Every file the app reads at run time, relative to `root`, sorted.

    A source listed in BUILT_FROM is replaced by the file built from it, whether that
    file exists yet or not (see `missing_built_files`).
    """
    files: set[Path] = set()
    for tree in DATA_TREES:
        for relative in _tree_files(root, tree):
            built = BUILT_FROM.get(relative.suffix)
            files.add(relative.with_suffix(built) if built else relative)
    return sorted(files)


def missing_built_files(root: Path) -> list[Path]:
    """Files the app reads that are built from a source and are not there yet."""
    return [relative for relative in runtime_files(root) if not (root / relative).is_file()]


def pyinstaller_datas(root: Path) -> list[tuple[str, str]]:
    """`(source file, folder inside the bundle)` pairs for PyInstaller's `datas`."""
    missing = missing_built_files(root)
    if missing:
        names = ", ".join(str(m) for m in missing)
        raise MissingBuiltFileError(
            f"not built yet: {names} (run `make package`, which builds them)"
        )
    return [(str(root / relative), str(relative.parent)) for relative in runtime_files(root)]


def app_modules(root: Path) -> list[str]:
    """Dotted names of every module of the app's packages (for `hiddenimports`).

    Only folders that are packages (with `__init__.py`) count: the Alembic migrations
    folder is data, and importing its env.py would run a migration.
    """
    modules = []
    for package in CODE_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            if SKIPPED_DIRS.intersection(relative.parts):
                continue
            if not all(
                (root / Path(*relative.parts[:i]) / "__init__.py").is_file()
                for i in range(1, len(relative.parts))
            ):
                continue
            parts = relative.with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules.append(".".join(parts))
    return modules
