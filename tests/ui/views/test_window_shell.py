"""ui/views/main_window.py in two steps: the shell start-up paints first, then `attach`
builds the screens over the workspace in the shell's pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel
from ui_fakes import FakeWorkspace

from desktop.events import EventBus
from ui.bridge import EventBridge
from ui.tasks import TaskManager
from ui.views.main_window import (
    SECTION_CATALOG,
    SECTION_PAYMENTS,
    SECTION_QUEUE,
    MainWindow,
)


def opening_labels(window: MainWindow) -> list[str]:
    return [
        label.text()
        for label in window.stack.findChildren(QLabel, "opening")
        if not label.isHidden()
    ]


def test_the_shell_shows_every_section_opening_and_answers(
    qtbot, ui_settings: QSettings, tmp_path: Path
) -> None:
    shell = MainWindow(None, ui_settings=ui_settings, data_dir=tmp_path / "data")
    qtbot.addWidget(shell)
    with qtbot.waitSignal(shell.sig_first_painted, timeout=5000):
        shell.show()
    assert not shell.attached
    items = [shell.navigation.item(i).text() for i in range(shell.navigation.count())]
    assert items == ["Thủ tục", "Hồ sơ", "Hàng đợi gửi", "Thanh toán", "Chứng thư số", "Cài đặt"]
    assert opening_labels(shell) == ["Đang mở…"] * len(items)
    assert str(tmp_path / "data") in shell.data_dir_label.text()
    shell.show_section(SECTION_QUEUE)  # the navigation works before the screens exist
    assert shell.current_section() == SECTION_QUEUE
    assert shell.payments_view is None  # nothing to build without a workspace
    shell.save_state()  # closing before the workspace opened keeps the state
    assert Path(ui_settings.fileName()).is_file()


def test_attach_builds_the_screens_in_the_shells_pages(
    qtbot, tasks: TaskManager, bus: EventBus, ui_settings: QSettings, tmp_path: Path
) -> None:
    shell = MainWindow(None, ui_settings=ui_settings, data_dir=tmp_path / "data")
    qtbot.addWidget(shell)
    shell.show()
    shell.show_section(SECTION_PAYMENTS)  # a lazy section left open at the attach
    page = shell.stack.currentWidget()
    bridge = EventBridge(bus)
    try:
        shell.attach(FakeWorkspace(tmp_path / "data", bus), tasks=tasks, bridge=bridge)
        assert shell.attached
        # No signing desk: no Chứng thư số section.
        items = [shell.navigation.item(i).text() for i in range(shell.navigation.count())]
        assert items == ["Thủ tục", "Hồ sơ", "Hàng đợi gửi", "Thanh toán", "Cài đặt"]
        assert opening_labels(shell) == []
        assert shell.current_section() == SECTION_PAYMENTS
        assert shell.stack.currentWidget() is page
        assert shell.payments_view is not None and shell.payments_view.parent() is page
        shell.show_section(SECTION_CATALOG)
        assert shell.catalog_view.isVisible()
        with pytest.raises(RuntimeError):
            shell.attach(FakeWorkspace(tmp_path / "data", bus), tasks=tasks, bridge=bridge)
    finally:
        bridge.close()


def test_a_window_needs_a_workspace_or_a_data_folder(qapp, ui_settings: QSettings) -> None:
    with pytest.raises(ValueError):
        MainWindow(None, ui_settings=ui_settings)
