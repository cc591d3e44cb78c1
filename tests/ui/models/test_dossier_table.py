"""ui/models/dossier_table.py: a lazily paged list of dossiers."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QModelIndex, Qt
from ui_fakes import FakeDossiers

from ui.models.dossier_table import ID_ROLE, DossierTableModel
from ui.tasks import TaskManager


def test_model_passes_the_model_tester(qtmodeltester) -> None:
    model = DossierTableModel(FakeDossiers(rows=250), page_size=100)
    model.reload()
    qtmodeltester.check(model)
    model.set_filter("DRAFT", None)
    qtmodeltester.check(model)


def test_rows_are_loaded_page_by_page() -> None:
    source = FakeDossiers(rows=250)
    model = DossierTableModel(source, page_size=100)
    model.reload()
    assert model.total == 250
    assert model.rowCount() == 100
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 250
    ids = [model.data(model.index(r, 0), ID_ROLE) for r in range(250)]
    assert len(set(ids)) == 250
    assert ids[0] == 250  # newest change first


def test_cells_read_in_vietnamese() -> None:
    model = DossierTableModel(FakeDossiers(rows=4), page_size=10)
    model.reload()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert headers == ["Mã", "Thủ tục", "Người nộp", "Trạng thái", "Cập nhật"]
    by_id = {model.dossier_id(r): r for r in range(model.rowCount())}
    first = [model.data(model.index(by_id[1], c)) for c in range(5)]
    assert first[0] == "#1"
    assert first[2] == "Nguyễn Văn An"
    assert first[3] == "Nháp"
    assert first[4].startswith("01/11/2026")  # dd/mm/yyyy in local time
    state_of_4 = model.data(model.index(by_id[4], 3))
    assert state_of_4 == "Đã nộp"
    assert model.data(model.index(by_id[4], 2)) == "—"  # no applicant yet


def test_filter_by_state_and_text() -> None:
    model = DossierTableModel(FakeDossiers(rows=40), page_size=100)
    model.set_filter("SIGNED", None)
    assert model.total == 10
    model.set_filter(None, "tran thi")  # no diacritics
    assert model.total == 10
    assert {model.data(model.index(r, 2)) for r in range(model.rowCount())} == {"Trần Thị Bình"}


def test_background_reload_keeps_only_the_newest_answer(qtbot, tasks: TaskManager) -> None:
    model = DossierTableModel(FakeDossiers(rows=41), tasks, page_size=100)
    totals: list[int] = []
    model.sig_reloaded.connect(totals.append)
    model.set_filter("DRAFT", None)  # 11 dossiers
    model.set_filter("READY", None)  # 10 dossiers
    qtbot.waitUntil(lambda: totals == [10])
    barrier: list[object] = []
    tasks.run(lambda: None, on_success=barrier.append)
    qtbot.waitUntil(lambda: bool(barrier))
    assert totals == [10]  # the DRAFT answer came back stale and was dropped
    assert {model.data(model.index(r, 3)) for r in range(10)} == {"Sẵn sàng"}


def test_control_and_bidi_characters_are_shown_escaped() -> None:
    source = FakeDossiers(rows=1)
    source.rows[0] = dataclasses.replace(
        source.rows[0], applicant_name="Lan\x1b[2J\u202egpj.exe\u200b"
    )
    model = DossierTableModel(source, page_size=10)
    model.reload()
    shown = model.data(model.index(0, 2))
    assert shown == "Lan\\x1b[2J\\u202egpj.exe\\u200b"
