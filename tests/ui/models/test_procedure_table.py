"""ui/models/procedure_table.py."""

from __future__ import annotations

from PySide6.QtCore import Qt
from ui_fakes import PROCEDURES, summary_of

from ui.models.procedure_table import KEY_ROLE, ProcedureTableModel


def test_model_passes_the_model_tester(qtmodeltester) -> None:
    model = ProcedureTableModel()
    model.set_rows([summary_of(p) for p in PROCEDURES])
    qtmodeltester.check(model)
    model.set_rows([])
    qtmodeltester.check(model)


def test_columns_show_what_a_clerk_compares() -> None:
    model = ProcedureTableModel()
    model.set_rows([summary_of(PROCEDURES[0])])
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert headers == ["Thủ tục", "Cơ quan", "Lĩnh vực", "Phí/lệ phí", "Thời gian giải quyết"]
    cells = [model.data(model.index(0, c)) for c in range(5)]
    assert cells == [
        "Cấp Chứng chỉ hành nghề dược theo hình thức xét hồ sơ",
        "Sở Y tế tỉnh Quảng Ngãi",
        "Dược phẩm",
        "500.000 đ",
        "10 ngày làm việc",
    ]
    assert model.data(model.index(0, 0), KEY_ROLE) == "cchn-duoc"


def test_control_and_bidi_characters_in_imported_names_are_shown_escaped() -> None:
    import dataclasses

    hostile = dataclasses.replace(summary_of(PROCEDURES[0]), name="Cấp\x1b[2J phép\u202egpj.exe")
    model = ProcedureTableModel()
    model.set_rows([hostile])
    shown = model.data(model.index(0, 0))
    assert shown == "Cấp\\x1b[2J phép\\u202egpj.exe"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole) == shown
