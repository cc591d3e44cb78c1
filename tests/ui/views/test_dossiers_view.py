"""ui/views/dossiers_view.py with a fake service of 250 dossiers."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from ui_fakes import FakeDossiers

from ui.tasks import TaskManager
from ui.views.dossiers_view import DossiersView


@pytest.fixture
def source() -> FakeDossiers:
    return FakeDossiers(rows=250)


@pytest.fixture
def view(qtbot, source: FakeDossiers, tasks: TaskManager) -> DossiersView:
    widget = DossiersView(source, tasks)
    qtbot.addWidget(widget)
    widget.resize(900, 400)
    widget.show()
    with qtbot.waitSignal(widget.model.sig_reloaded):
        widget.apply_filter()
    return widget


def test_rows_load_as_the_list_scrolls(qtbot, view: DossiersView) -> None:
    assert view.model.total == 250
    assert view.model.rowCount() == 100
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: view.model.rowCount() == 200)


def test_state_filter_and_search(qtbot, view: DossiersView) -> None:
    with qtbot.waitSignal(view.model.sig_reloaded) as reloaded:
        view.state_combo.setCurrentIndex(view.state_combo.findData("SIGNED"))
    assert reloaded.args == [62]
    assert view.state_combo.currentText() == "Đã ký số"
    with qtbot.waitSignal(view.model.sig_reloaded) as reloaded:
        qtbot.keyClicks(view.search_edit, "tran thi")
    assert reloaded.args == [0]  # Trần Thị Bình's dossiers are all READY
    with qtbot.waitSignal(view.model.sig_reloaded) as reloaded:
        view.state_combo.setCurrentIndex(view.state_combo.findData("READY"))
    assert reloaded.args == [63]
    names = {view.model.data(view.model.index(r, 2)) for r in range(view.model.rowCount())}
    assert names == {"Trần Thị Bình"}


def test_a_change_elsewhere_keeps_selection_and_place(
    qtbot, view: DossiersView, source: FakeDossiers
) -> None:
    while view.model.canFetchMore(QModelIndex()):
        view.model.fetchMore(QModelIndex())
    view.table.selectRow(180)
    chosen = view.selected_dossier()
    view.table.scrollTo(view.model.index(180, 0))
    place = view.table.verticalScrollBar().value()
    assert place > 0
    source.touch(3, "READY")  # another dossier changes: it moves to the top
    with qtbot.waitSignal(view.model.sig_reloaded):
        view.refresh()
    assert view.model.rowCount() == 250
    assert view.selected_dossier() == chosen
    assert view.table.verticalScrollBar().value() == place


def test_a_new_filter_starts_at_the_top(qtbot, view: DossiersView) -> None:
    view.table.selectRow(50)
    with qtbot.waitSignal(view.model.sig_reloaded):
        view.state_combo.setCurrentIndex(view.state_combo.findData("DRAFT"))
    assert view.selected_dossier() is None
    assert view.table.verticalScrollBar().value() == 0


def test_an_empty_list_says_what_to_do(qtbot, tasks: TaskManager) -> None:
    widget = DossiersView(FakeDossiers(rows=0), tasks)
    qtbot.addWidget(widget)
    widget.show()
    with qtbot.waitSignal(widget.model.sig_reloaded):
        widget.apply_filter()
    assert widget.empty_label.isVisible()
    assert "bấm «Tạo hồ sơ»" in widget.empty_label.text()


def test_no_match_says_so_and_a_match_hides_the_hint(qtbot, view: DossiersView) -> None:
    assert not view.empty_label.isVisible()
    with qtbot.waitSignal(view.model.sig_reloaded):
        qtbot.keyClicks(view.search_edit, "khong ai ten nay")
    assert view.empty_label.text() == "Không có hồ sơ nào khớp với bộ lọc."
    assert view.empty_label.isVisible()
    with qtbot.waitSignal(view.model.sig_reloaded):
        view.search_edit.clear()
    assert not view.empty_label.isVisible()


def test_the_chosen_dossiers_can_be_handed_over_or_taken_back(qtbot, view: DossiersView) -> None:  # type: ignore[no-untyped-def]
    assert not view.transfer_button.isEnabled() and not view.take_back_button.isEnabled()
    selection = view.table.selectionModel()
    for row in (0, 2):
        selection.select(
            view.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    chosen = [view.model.dossier_id(0), view.model.dossier_id(2)]
    assert view.transfer_button.isEnabled() and view.take_back_button.isEnabled()
    with qtbot.waitSignal(view.sig_transfer_requested) as transfer:
        qtbot.mouseClick(view.transfer_button, Qt.MouseButton.LeftButton)
    assert transfer.args == [chosen]
    with qtbot.waitSignal(view.sig_take_back_requested) as back:
        qtbot.mouseClick(view.take_back_button, Qt.MouseButton.LeftButton)
    assert back.args == [chosen]
