"""Place a visible signature by dragging a box on a page of the PDF.

The page is rendered by QtPdf's `QPdfPageRenderer` on its own thread (the same
renderer as the dossier editor's preview) at the size of the widget. The box is kept
in PDF points of that page (origin bottom left, as the signer's `StampSpec.rect`
takes it), so it stays put when the widget is resized or the page re-rendered.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF, Qt, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions, QPdfPageRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

Rect = tuple[float, float, float, float]
MIN_BOX_POINTS = 12.0  # a smaller drag is a click: it does not replace the box
MARGIN = 6


def widget_to_pdf(point: QPointF, image: QRectF, page: QSizeF) -> tuple[float, float]:
    """A point on the drawn page image as PDF points of the page, clamped to the page."""
    scale = image.width() / page.width()
    x = (point.x() - image.left()) / scale
    y = page.height() - (point.y() - image.top()) / scale
    return (min(max(x, 0.0), page.width()), min(max(y, 0.0), page.height()))


def pdf_to_widget(rect: Rect, image: QRectF, page: QSizeF) -> QRectF:
    """A box in PDF points as a rectangle over the drawn page image."""
    scale = image.width() / page.width()
    x1, y1, x2, y2 = rect
    left = image.left() + x1 * scale
    top = image.top() + (page.height() - y2) * scale
    return QRectF(left, top, (x2 - x1) * scale, (y2 - y1) * scale)


class StampPlacer(QWidget):
    """One page of a PDF; dragging on it chooses the stamp's box."""

    sig_box_changed = Signal()
    """The clerk drew a new box or it was cleared."""

    sig_page_rendered = Signal(int)
    """The page (0-based) is drawn."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(220, 300)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.document = QPdfDocument(self)
        self.renderer = QPdfPageRenderer(self)
        self.renderer.setRenderMode(QPdfPageRenderer.RenderMode.MultiThreaded)
        self.renderer.setDocument(self.document)
        self.renderer.pageRendered.connect(self._on_page_rendered)
        self.page = 0
        self.box: Rect | None = None
        self._image = QImage()
        self._pending: dict[int, int] = {}
        self._drag_from: QPointF | None = None
        self._drag_to: QPointF | None = None
        self.message = self.tr("Không có tệp PDF để đặt chữ ký.")

    # --- public -------------------------------------------------------------------------

    def load(self, path: Path) -> bool:
        """Open the PDF at `path`; False (and a message drawn instead) when it cannot."""
        self._pending.clear()
        self._image = QImage()
        error = self.document.load(str(path))
        if error != QPdfDocument.Error.None_:
            self.message = self.tr("Không mở được tệp PDF để xem trang.")
            self.update()
            return False
        self.message = ""
        self.set_page(0)
        return True

    def page_count(self) -> int:
        return self.document.pageCount()

    def set_page(self, page: int) -> None:
        """Show page `page` (0-based); a box drawn on another page is cleared."""
        if not 0 <= page < self.page_count():
            return
        if page != self.page:
            self.page = page
            self.clear_box()
        self._image = QImage()
        self._request_render()

    def clear_box(self) -> None:
        if self.box is not None:
            self.box = None
            self.sig_box_changed.emit()
        self.update()

    def image_rect(self) -> QRectF:
        """Where the page is drawn: fitted into the widget, centred, aspect kept."""
        page = self.page_size()
        area = QRectF(self.rect()).adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        if page.isEmpty() or area.isEmpty():
            return QRectF()
        scale = min(area.width() / page.width(), area.height() / page.height())
        width, height = page.width() * scale, page.height() * scale
        return QRectF(
            area.left() + (area.width() - width) / 2,
            area.top() + (area.height() - height) / 2,
            width,
            height,
        )

    def page_size(self) -> QSizeF:
        if self.page_count() == 0:
            return QSizeF()
        return self.document.pagePointSize(self.page)

    def rendered(self) -> bool:
        return not self._image.isNull()

    # --- rendering ----------------------------------------------------------------------

    def _request_render(self) -> None:
        target = self.image_rect()
        if target.isEmpty() or not self.isVisible():
            return
        size = QSize(int(target.width()), int(target.height()))
        request = self.renderer.requestPage(self.page, size, QPdfDocumentRenderOptions())
        self._pending[int(request)] = self.page

    @Slot(int, QSize, QImage, QPdfDocumentRenderOptions, int)
    def _on_page_rendered(
        self,
        page: int,
        _size: QSize,
        image: QImage,
        _options: QPdfDocumentRenderOptions,
        request: int,
    ) -> None:
        if self._pending.pop(int(request), None) != page or page != self.page:
            return
        self._image = image
        self.update()
        self.sig_page_rendered.emit(page)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.page_count():
            self._request_render()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.page_count():
            self._request_render()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        target = self.image_rect()
        if self.message or target.isEmpty():
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.message)
            return
        painter.fillRect(target, QColor("white"))
        if not self._image.isNull():
            painter.drawImage(target, self._image)
        painter.setPen(QPen(QColor("#888888"), 1))
        painter.drawRect(target)
        box = self._shown_box(target)
        if box is not None:
            painter.setPen(QPen(QColor("#c62828"), 2, Qt.PenStyle.DashLine))
            painter.fillRect(box, QColor(198, 40, 40, 40))
            painter.drawRect(box)

    def _shown_box(self, target: QRectF) -> QRectF | None:
        if self._drag_from is not None and self._drag_to is not None:
            return QRectF(self._drag_from, self._drag_to).normalized()
        if self.box is not None:
            return pdf_to_widget(self.box, target, self.page_size())
        return None

    # --- dragging -----------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and not self.message:
            self._drag_from = self._drag_to = event.position()
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is not None:
            self._drag_to = event.position()
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        start, self._drag_from, self._drag_to = self._drag_from, None, None
        if start is None or event.button() != Qt.MouseButton.LeftButton:
            return
        target, page = self.image_rect(), self.page_size()
        x1, y1 = widget_to_pdf(start, target, page)
        x2, y2 = widget_to_pdf(event.position(), target, page)
        box = (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
        if box[2] - box[0] >= MIN_BOX_POINTS and box[3] - box[1] >= MIN_BOX_POINTS:
            self.box = (round(box[0], 1), round(box[1], 1), round(box[2], 1), round(box[3], 1))
            self.sig_box_changed.emit()
        self.update()
