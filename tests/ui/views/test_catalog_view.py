"""ui/views/catalog_view.py, driven through its widgets with a fake catalog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from ui_fakes import FakeCatalog

from ui.tasks import TaskManager
from ui.views.catalog_view import CatalogView


@pytest.fixture
def view(qtbot, fake_catalog: FakeCatalog, tasks: TaskManager) -> CatalogView:
    widget = CatalogView(fake_catalog, tasks)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    with qtbot.waitSignal(widget.sig_results_shown):
        widget.reload_catalog()
    return widget


def shown_key(view: CatalogView) -> str | None:
    procedure = view.current_procedure()
    return procedure.key if procedure else None


def names(view: CatalogView) -> list[str]:
    return [view.model.data(view.model.index(r, 0)) for r in range(view.model.rowCount())]


def test_typing_without_diacritics_finds_the_procedure(qtbot, view: CatalogView) -> None:
    qtbot.keyClicks(view.search_edit, "cchn duoc")
    qtbot.waitUntil(
        lambda: names(view) == ["Cấp Chứng chỉ hành nghề dược theo hình thức xét hồ sơ"]
    )
    assert view.result_label.text() == "1 thủ tục"


def test_typing_fast_searches_once_after_the_pause(
    qtbot, view: CatalogView, fake_catalog: FakeCatalog
) -> None:
    before = len(fake_catalog.search_calls)
    with qtbot.waitSignal(view.sig_results_shown):
        qtbot.keyClicks(view.search_edit, "giay")
    assert fake_catalog.search_calls[before:] == ["giay"]  # not g, gi, gia, giay


def test_filters_narrow_the_results(qtbot, view: CatalogView) -> None:
    assert len(names(view)) == 3
    with qtbot.waitSignal(view.sig_results_shown):
        view.field_combo.setCurrentIndex(view.field_combo.findData("KCB"))
    assert names(view) == ["Cấp giấy phép hành nghề khám bệnh, chữa bệnh"]
    assert view.agency_combo.itemText(0) == "Tất cả cơ quan"
    assert view.agency_combo.itemText(1) == "Sở Y tế tỉnh Quảng Ngãi"


def test_details_show_components_fees_time_results_and_law(qtbot, view: CatalogView) -> None:
    qtbot.waitUntil(lambda: view.current_procedure() is not None)
    text = view.details.toPlainText()
    for expected in (
        "Đơn đề nghị cấp chứng chỉ",
        "1 bản chính",
        "1 bản sao",
        "không bắt buộc",
        "Mẫu đơn, tờ khai: Mẫu 02",
        "Trực tuyến: 10 ngày làm việc; Phí 500.000 đ",
        "Chứng chỉ hành nghề",
        "54/2017/NĐ-CP — Nghị định quy định chi tiết Luật Dược",
    ):
        assert expected in text, expected


def test_selecting_a_row_shows_its_details(qtbot, view: CatalogView) -> None:
    view.table.selectRow(2)
    qtbot.waitUntil(lambda: shown_key(view) == "cchn-kcb")
    assert "phí, lệ phí không rõ" not in view.details.toPlainText()
    assert "không có phí, lệ phí" in view.details.toPlainText()


def test_create_button_asks_for_a_dossier_of_the_shown_procedure(qtbot, view: CatalogView) -> None:
    qtbot.waitUntil(view.create_button.isEnabled)
    with qtbot.waitSignal(view.sig_create_dossier_requested) as blocker:
        qtbot.mouseClick(view.create_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["cchn-duoc"]


def test_no_result_disables_create(qtbot, view: CatalogView) -> None:
    with qtbot.waitSignal(view.sig_results_shown):
        qtbot.keyClicks(view.search_edit, "khong co thu tuc nay")
    assert names(view) == []
    assert not view.create_button.isEnabled()
    assert view.result_label.text() == "0 thủ tục"


def test_a_capped_answer_says_so(qtbot, view: CatalogView, monkeypatch) -> None:
    monkeypatch.setattr("ui.views.catalog_view.RESULT_LIMIT", 2)
    with qtbot.waitSignal(view.sig_results_shown):
        view.search()
    assert view.result_label.text() == "2 thủ tục đầu tiên; gõ thêm để thu hẹp"
