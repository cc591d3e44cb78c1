"""The .p12 files the clerk added, remembered by path in the UI settings (`ui.ini`).

Shared by the signing dialog and the Chứng thư số screen: a file added in one shows
in the other. Only paths are kept, never passwords; forgetting a path never touches
the file itself.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

P12_PATHS_KEY = "signing/p12_paths"


def remembered_p12_paths(settings: QSettings) -> list[str]:
    """The remembered paths, in the order they were added."""
    value = settings.value(P12_PATHS_KEY, [])
    # QSettings' INI format gives a single-item list back as a plain string.
    if isinstance(value, str):
        return [value] if value else []
    return [str(p) for p in value if p] if isinstance(value, list) else []


def remember_p12_path(settings: QSettings, path: str) -> None:
    """Add `path` to the list (once)."""
    paths = remembered_p12_paths(settings)
    if path not in paths:
        _store(settings, [*paths, path])


def forget_p12_path(settings: QSettings, path: str) -> None:
    """Drop `path` from the list; the file stays where it is."""
    paths = remembered_p12_paths(settings)
    if path in paths:
        _store(settings, [p for p in paths if p != path])


def _store(settings: QSettings, paths: list[str]) -> None:
    if paths:
        settings.setValue(P12_PATHS_KEY, paths)
    else:
        settings.remove(P12_PATHS_KEY)
    settings.sync()
