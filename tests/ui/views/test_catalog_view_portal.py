"""The catalog view over the real core and the portal's real records: the level filter,
and the details pane saying what the data does not say."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.workspace import Workspace
from ui.tasks import TaskManager
from ui.views.catalog_view import CatalogView

RECORDS = Path(__file__).resolve().parents[3] / "resources" / "catalog" / "dvcqg"


@pytest.fixture
def view(qtbot, workspace: Workspace, tasks: TaskManager) -> CatalogView:
    workspace.catalog.import_file(RECORDS, "dvcqg")
    widget = CatalogView(workspace.catalog, tasks)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    with qtbot.waitSignal(widget.sig_results_shown):
        widget.reload_catalog()
    return widget


def test_the_level_filter_keeps_the_procedures_of_that_level(
    qtbot, view: CatalogView, workspace: Workspace
) -> None:
    everything = view.model.rowCount()
    with qtbot.waitSignal(view.sig_results_shown):
        view.level_combo.setCurrentIndex(view.level_combo.findData("bo"))
    keys = {view.model.summary(r).key for r in range(view.model.rowCount())}  # type: ignore[union-attr]
    assert keys and view.model.rowCount() < everything
    assert all("bo" in workspace.catalog.get(k).levels for k in keys)


def test_the_details_say_what_the_data_lacks_and_the_cases(
    view: CatalogView, workspace: Workspace
) -> None:
    html = view.details.to_html(workspace.catalog.get("1.010038"))
    assert "Dữ liệu của thủ tục này chưa đủ" in html
    assert "cần kiểm tra" in html and "TH1" in html and "(ghi chú)" in html


def test_imported_text_with_control_and_bidi_characters_is_shown_escaped(
    view: CatalogView, workspace: Workspace
) -> None:
    import dataclasses

    procedure = workspace.catalog.get("1.010038")
    hostile = dataclasses.replace(procedure, name="Thủ tục\x1b[2J\u202egpj.exe")
    html = view.details.to_html(hostile)
    assert "\\x1b[2J\\u202egpj.exe" in html
    assert "\x1b" not in html and "\u202e" not in html
