"""Cài đặt › Chữ ký mặc định (ui/views/settings/default_stamp.py) over real settings."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt

from desktop.settings import (
    DEFAULT_STAMP,
    DEFAULT_STAMP_COPY_AGENCY,
    DEFAULT_STAMP_COPY_FORM,
    DEFAULT_STAMP_SEAL_IMAGE,
    Settings,
)
from desktop.workspace import Workspace
from ui.tasks import TaskManager
from ui.views.settings.settings_view import SettingsView


def reread(workspace: Workspace) -> Settings:
    return Settings(workspace.paths.settings_file)


def test_default_stamp_is_edited_and_bad_images_are_explained(
    qtbot, workspace: Workspace, tasks: TaskManager, tmp_path: Path
) -> None:
    view = SettingsView(workspace.settings, tasks)
    qtbot.addWidget(view)
    view.show()
    box = view.stamp_box
    assert box.kind_combo.currentData() == "invisible"
    assert not box.seal_row.isVisibleTo(box) and not box.copy_combo.isVisibleTo(box)

    with qtbot.waitSignal(view.sig_saved, timeout=5000) as saved:
        box.kind_combo.setCurrentIndex(box.kind_combo.findData("visible"))
    assert saved.args == ["default_stamp"]
    assert reread(workspace).get(DEFAULT_STAMP) == "visible"
    assert box.seal_row.isVisibleTo(box) and not box.copy_combo.isVisibleTo(box)

    # A path that is not a PNG: said under the field, nothing saved.
    not_png = tmp_path / "con-dau.png"
    not_png.write_text("không phải ảnh")
    box.seal_row.edit.setText(str(not_png))
    box.seal_row.edit.editingFinished.emit()
    assert box.seal_row.error_label.isVisibleTo(box)
    assert "không phải ảnh PNG" in box.seal_row.error_label.text()
    box.seal_row.edit.setText("con-dau.png")
    box.seal_row.edit.editingFinished.emit()
    assert "đường dẫn đầy đủ" in box.seal_row.error_label.text()
    assert reread(workspace).get(DEFAULT_STAMP_SEAL_IMAGE) == ""

    Image.new("RGBA", (40, 40), (200, 0, 0, 255)).save(not_png)
    box.seal_row.edit.setText(str(not_png))
    with qtbot.waitSignal(view.sig_saved, timeout=5000):
        box.seal_row.edit.editingFinished.emit()
    assert not box.seal_row.error_label.isVisibleTo(box)
    assert reread(workspace).get(DEFAULT_STAMP_SEAL_IMAGE) == str(not_png)
    with qtbot.waitSignal(view.sig_saved, timeout=5000):
        qtbot.mouseClick(box.seal_row.clear_button, Qt.MouseButton.LeftButton)
    assert reread(workspace).get(DEFAULT_STAMP_SEAL_IMAGE) == ""

    with qtbot.waitSignal(view.sig_saved, timeout=5000):
        box.kind_combo.setCurrentIndex(box.kind_combo.findData("copy"))
    assert box.copy_combo.isVisibleTo(box) and not box.seal_row.isVisibleTo(box)
    with qtbot.waitSignal(view.sig_saved, timeout=5000):
        box.copy_combo.setCurrentText("SAO LỤC")
    box.agency_edit.setText("UBND xã Hòa Bình")
    with qtbot.waitSignal(view.sig_saved, timeout=5000):
        box.agency_edit.editingFinished.emit()
    saved_settings = reread(workspace)
    assert saved_settings.get(DEFAULT_STAMP) == "copy"
    assert saved_settings.get(DEFAULT_STAMP_COPY_FORM) == "SAO LỤC"
    assert saved_settings.get(DEFAULT_STAMP_COPY_AGENCY) == "UBND xã Hòa Bình"

    # A new page shows what was saved.
    again = SettingsView(reread(workspace), tasks)
    qtbot.addWidget(again)
    assert again.stamp_box.kind_combo.currentData() == "copy"
    assert again.stamp_box.copy_combo.currentText() == "SAO LỤC"
    assert again.stamp_box.agency_edit.text() == "UBND xã Hòa Bình"
