"""Fixtures of the UI tests: offscreen Qt, a task manager, an event bridge, fakes.

The fakes (tests/ui/ui_fakes.py) stand in for CatalogService and DossierService where a
test is about a widget, not about the core; tests of the whole app use the real core.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

# Before any QApplication exists: the UI tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QSettings
from ui_fakes import FakeCatalog, FakeDossiers

from desktop.events import EventBus
from ui.bridge import EventBridge
from ui.tasks import TaskManager


@pytest.fixture
def tasks(qapp: object) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


@pytest.fixture
def bridge(bus: EventBus, qapp: object) -> Iterator[EventBridge]:
    b = EventBridge(bus)
    yield b
    b.close()


@pytest.fixture
def fake_catalog() -> FakeCatalog:
    return FakeCatalog()


@pytest.fixture
def fake_dossiers(bus: EventBus) -> FakeDossiers:
    return FakeDossiers(bus, rows=3)


@pytest.fixture
def ui_settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
