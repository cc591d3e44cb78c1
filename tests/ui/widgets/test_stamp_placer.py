"""ui/widgets/stamp_placer.py: dragging a box on a rendered page gives PDF points."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, QSizeF, Qt
from ui_pdfs import write_pdf

from ui.widgets.stamp_placer import StampPlacer, pdf_to_widget, widget_to_pdf

A4 = QSizeF(595, 842)


def test_widget_points_become_pdf_points_with_the_origin_bottom_left() -> None:
    image = QRectF(10, 20, 297.5, 421)  # A4 at half size
    assert widget_to_pdf(QPointF(10, 20), image, A4) == (0.0, 842.0)
    assert widget_to_pdf(QPointF(307.5, 441), image, A4) == (595.0, 0.0)
    assert widget_to_pdf(QPointF(110, 241), image, A4) == (200.0, 400.0)
    # Outside the page is clamped to its edge.
    assert widget_to_pdf(QPointF(0, 900), image, A4) == (0.0, 0.0)


def test_a_box_in_points_is_drawn_where_it_was_dragged() -> None:
    image = QRectF(10, 20, 297.5, 421)
    drawn = pdf_to_widget((200.0, 400.0, 400.0, 500.0), image, A4)
    assert (drawn.left(), drawn.top(), drawn.width(), drawn.height()) == (110, 191, 100, 50)


@pytest.fixture
def placer(qtbot, tmp_path: Path) -> StampPlacer:
    widget = StampPlacer()
    qtbot.addWidget(widget)
    widget.resize(300, 420)
    widget.show()
    assert widget.load(write_pdf(tmp_path / "don.pdf", pages=3))
    qtbot.waitUntil(widget.rendered, timeout=5000)
    return widget


def drag(qtbot, placer: StampPlacer, start: QPoint, end: QPoint) -> None:
    qtbot.mousePress(placer, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(placer, end)
    qtbot.mouseRelease(placer, Qt.MouseButton.LeftButton, pos=end)


def test_dragging_chooses_the_box_in_points(qtbot, placer: StampPlacer) -> None:
    image = placer.image_rect()
    scale = image.width() / 595
    # From (300, 200) to (500, 100) in points, dragged bottom-right to top-left.
    start = QPoint(round(image.left() + 500 * scale), round(image.top() + (842 - 100) * scale))
    end = QPoint(round(image.left() + 300 * scale), round(image.top() + (842 - 200) * scale))
    with qtbot.waitSignal(placer.sig_box_changed, timeout=1000):
        drag(qtbot, placer, start, end)
    assert placer.box is not None
    x1, y1, x2, y2 = placer.box
    tolerance = 1 / scale + 0.1  # one screen pixel
    assert abs(x1 - 300) <= tolerance and abs(x2 - 500) <= tolerance
    assert abs(y1 - 100) <= tolerance and abs(y2 - 200) <= tolerance


def test_a_click_is_not_a_box_and_another_page_clears_it(qtbot, placer: StampPlacer) -> None:
    drag(qtbot, placer, QPoint(100, 100), QPoint(102, 101))
    assert placer.box is None
    drag(qtbot, placer, QPoint(60, 60), QPoint(200, 160))
    assert placer.box is not None
    with qtbot.waitSignal(placer.sig_page_rendered, timeout=5000) as rendered:
        placer.set_page(2)
    assert rendered.args == [2] and placer.box is None


def test_a_file_that_is_not_a_pdf_says_so(qtbot, tmp_path: Path) -> None:
    widget = StampPlacer()
    qtbot.addWidget(widget)
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"not a pdf")
    assert not widget.load(bad)
    assert widget.message == "Không mở được tệp PDF để xem trang."
