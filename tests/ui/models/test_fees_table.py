"""ui/models/fees_table.py: fees across dossiers, page by page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from ui_fees import FakeFees, fee, payment

from ui.models.fees_table import (
    COLUMN_AMOUNT,
    COLUMN_DOSSIER,
    COLUMN_RECEIPT,
    COLUMN_STATE,
    KEY_ROLE,
    FeesTableModel,
    format_vnd,
)
from ui.tasks import TaskManager


def test_amounts_read_the_vietnamese_way() -> None:
    assert format_vnd(1_250_000) == "1.250.000 đ"
    assert format_vnd(500) == "500 đ"
    assert format_vnd(0) == "0 đ"
    assert format_vnd(12_000_000_000) == "12.000.000.000 đ"


def test_rows_say_which_dossier_how_much_and_whether_paid(qtmodeltester) -> None:
    source = FakeFees([
        fee(12, "F1", "Phí thẩm định hồ sơ", 500_000),
        fee(12, "F2", "Lệ phí cấp chứng chỉ", 750_000, payment=payment("P1", 1_250_000)),
        fee(9, "F3", "Phí thẩm định", 1_000_000, paid=True, applicant="Nhà thuốc Phúc An",
            payment=payment("P0", 1_000_000, "paid", "cd" * 32)),
        fee(7, "F4", "Phí thẩm định", 300_000, payment=payment("P2", 300_000, "cancelled")),
    ])  # fmt: skip
    model = FeesTableModel(source)
    model.set_state("all")
    qtmodeltester.check(model)
    assert model.rowCount() == 4 and model.total == 4

    def cells(row: int) -> list[str]:
        return [model.data(model.index(row, c)) for c in range(model.columnCount())]

    assert cells(0) == ["#12 · Nguyễn Thị Thu Hà", "000.00.53.H48-261120-0012",
                        "Phí thẩm định hồ sơ", "500.000 đ", "Chưa nộp"]  # fmt: skip
    assert cells(1)[COLUMN_STATE] == "Đang chờ thanh toán"
    assert cells(2)[COLUMN_STATE] == "Chưa nộp (giao dịch đã huỷ)"
    assert cells(3)[COLUMN_STATE] == "Đã nộp 20/11/2026"
    assert cells(3)[COLUMN_DOSSIER] == "#9 · Nhà thuốc Phúc An"
    assert "xét hồ sơ" in model.data(model.index(0, COLUMN_DOSSIER), Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(0, 0), KEY_ROLE) == (12, "F1")
    align = model.data(model.index(0, COLUMN_AMOUNT), Qt.ItemDataRole.TextAlignmentRole)
    assert align & int(Qt.AlignmentFlag.AlignRight)
    assert model.data(model.index(0, COLUMN_STATE), Qt.ItemDataRole.ForegroundRole) is not None
    assert model.data(model.index(3, COLUMN_STATE), Qt.ItemDataRole.ForegroundRole) is None
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert headers == ["Hồ sơ", "Số biên nhận", "Khoản phí", "Số tiền", "Trạng thái"]
    assert [f.fee_id for f in model.unpaid_of(12)] == ["F1", "F2"]


def test_a_long_list_loads_page_by_page(qtmodeltester) -> None:
    source = FakeFees([fee(n, "F1", "Phí thẩm định", 100_000) for n in range(1, 251)])
    model = FeesTableModel(source, page_size=100)
    model.reload()
    assert (model.rowCount(), model.total) == (100, 250)
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 250 and not model.canFetchMore()
    qtmodeltester.check(model)
    assert model.data(model.index(249, COLUMN_RECEIPT)) == "000.00.53.H48-261120-0250"


def test_a_reload_keeps_as_many_rows_as_were_loaded(qtbot, tasks: TaskManager) -> None:
    source = FakeFees([fee(n, "F1", "Phí thẩm định", 100_000) for n in range(1, 251)])
    model = FeesTableModel(source, tasks, page_size=100)
    with qtbot.waitSignal(model.sig_reloaded, timeout=5000) as reloaded:
        model.reload()
    assert reloaded.args[0].unpaid_amount == 25_000_000
    model.fetchMore()
    with qtbot.waitSignal(model.sig_reloaded, timeout=5000):
        model.reload(keep_loaded=True)
    assert model.rowCount() == 200


class HeldTasks:
    """Runs nothing until the test says so, in the order the test chooses."""

    def __init__(self) -> None:
        self.held: list[tuple[Callable[[], Any], Callable[[Any], None]]] = []

    def run(self, fn: Callable[[], Any], *, on_success: Callable[[Any], None], **_: Any) -> None:
        self.held.append((fn, on_success))

    def finish(self, index: int) -> None:
        fn, on_success = self.held[index]
        on_success(fn())


def test_an_answer_that_comes_back_after_a_newer_one_is_dropped() -> None:
    source = FakeFees([fee(1, "F1", "Phí thẩm định", 100_000),
                       fee(2, "F1", "Phí thẩm định", 200_000, paid=True)])  # fmt: skip
    tasks = HeldTasks()
    model = FeesTableModel(source, tasks)  # type: ignore[arg-type]
    model.set_state("unpaid")
    model.set_state("paid")
    tasks.finish(1)
    tasks.finish(0)
    assert [model.fee(r).dossier_id for r in range(model.rowCount())] == [2]  # type: ignore[union-attr]


def test_fee_names_from_the_portal_are_shown_escaped() -> None:
    source = FakeFees([fee(3, "F1", "Phí\x1b[2J\u202eđịnh", 1_000, applicant="Lan\u200b")])
    model = FeesTableModel(source)
    model.set_state("all")
    shown = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert any("Phí\\x1b[2J\\u202eđịnh" in str(cell) for cell in shown)
    assert not any("\u202e" in str(cell) or "\x1b" in str(cell) for cell in shown)
    tips = [
        model.data(model.index(0, c), Qt.ItemDataRole.ToolTipRole)
        for c in range(model.columnCount())
    ]
    assert not any("\u200b" in str(tip) or "\u202e" in str(tip) for tip in tips)
