"""Cài đặt › Cơ sở dữ liệu dùng chung (ui/views/settings/office_database.py)."""

from __future__ import annotations

from pathlib import Path

from desktop.paths import Paths
from desktop.settings import DATABASE_URL, SHARED_STORE, Settings
from desktop.workspace import Workspace
from ui.tasks import TaskManager
from ui.views.settings.settings_view import SettingsView


def test_the_office_database_is_set_in_settings_and_opened_next_time(
    qtbot, workspace: Workspace, tasks: TaskManager, postgres_url: str, tmp_path: Path
) -> None:
    view = SettingsView(workspace.settings, tasks)
    qtbot.addWidget(view)
    view.show()
    box = view.office_box

    box.url_edit.setText("mysql://clerk@server/dvc")  # not PostgreSQL: said, not saved
    box.url_edit.editingFinished.emit()
    assert box.error_label.isVisibleTo(box) and "postgresql://" in box.error_label.text()
    assert Settings(workspace.paths.settings_file).get(DATABASE_URL) == ""

    url = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    box.url_edit.setText(url)
    with qtbot.waitSignal(view.sig_saved, timeout=5000) as saved:
        box.url_edit.editingFinished.emit()
    assert saved.args == ["database_url"] and not box.error_label.isVisibleTo(box)
    share = tmp_path / "office-share"
    box.store_edit.setText(str(share))
    with qtbot.waitSignal(view.sig_saved, timeout=5000):
        box.store_edit.editingFinished.emit()
    stored = Settings(workspace.paths.settings_file)
    assert (stored.get(DATABASE_URL), stored.get(SHARED_STORE)) == (url, str(share))

    # The app opened again on this data dir works on the shared database and folder.
    again = Workspace(Paths(workspace.paths.root))
    try:
        assert again.db.engine.dialect.name == "postgresql"
        assert again.paths.blobs == share / "blobs" and again.paths.blobs.is_dir()
    finally:
        again.close()
