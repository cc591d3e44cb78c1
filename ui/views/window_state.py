"""The main window's remembered state: geometry, dock/toolbar state, the catalog's
splitter and the section last shown (in the UI's QSettings, not the core's settings)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

GEOMETRY = "main_window/geometry"
STATE = "main_window/state"
SPLITTER = "catalog/splitter"
SECTION = "main_window/section"


def restore_window(window: QMainWindow, ui_settings: QSettings, default_section: str) -> str:
    """Restore what was saved (a first start fits the window to the screen); the
    section to show. The splitter is restored when the catalog is built
    (`restore_splitter`)."""
    geometry = ui_settings.value(GEOMETRY)
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    else:
        available = window.screen().availableGeometry()
        window.resize(min(1280, available.width() - 40), min(760, available.height() - 40))
    state = ui_settings.value(STATE)
    if isinstance(state, QByteArray):
        window.restoreState(state)
    return str(ui_settings.value(SECTION, default_section))


def restore_splitter(splitter: QSplitter, ui_settings: QSettings) -> None:
    saved_splitter = ui_settings.value(SPLITTER)
    if isinstance(saved_splitter, QByteArray):
        splitter.restoreState(saved_splitter)


def save_window(
    window: QMainWindow, splitter: QSplitter | None, ui_settings: QSettings, section: str
) -> None:
    """Save the window's state; `splitter` is None while the catalog is not built yet
    (the splitter saved earlier stays)."""
    ui_settings.setValue(GEOMETRY, window.saveGeometry())
    ui_settings.setValue(STATE, window.saveState())
    if splitter is not None:
        ui_settings.setValue(SPLITTER, splitter.saveState())
    ui_settings.setValue(SECTION, section)
    ui_settings.sync()
