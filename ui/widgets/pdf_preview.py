"""A preview of one attached PDF: page thumbnails, the selected page, its facts.

The document is opened with QtPdf from the blob's own file in the store (no copy).
Opening only reads the cross-reference table; pages are rendered by a
`QPdfPageRenderer` on its own thread, and a thumbnail is asked for only when its row
scrolls into view, so a 500-page scan never blocks the GUI thread. The big page is a
`QPdfView`, which renders off the GUI thread too. A PDF with a password shows a
sentence saying what to do instead of pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QSize, Qt, Signal, Slot
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions, QPdfPageRenderer
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.models.labels import size_label

THUMB_WIDTH = 96
PAGE_ROLE = Qt.ItemDataRole.UserRole
ROW_SIZE = QSize(THUMB_WIDTH + 12, int(THUMB_WIDTH * 1.42) + 26)


class PdfPreview(QWidget):
    """Shows a PDF file: header (name, pages, size, signature badge), thumbnails, a page."""

    sig_thumbnail_ready = Signal(int)
    """A thumbnail was drawn: its page index (0-based)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document, self.renderer = self._new_document()
        self._requested: set[int] = set()
        self._pending: dict[int, int] = {}  # render request id -> page, this document only
        self.path: Path | None = None

        self.title_label = QLabel()
        self.title_label.setStyleSheet("font-weight: bold;")
        self.facts_label = QLabel()
        self.badge_label = QLabel()
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setStyleSheet("color: palette(mid); padding: 24px;")

        self.thumbnails = QListWidget()
        self.thumbnails.setViewMode(QListWidget.ViewMode.IconMode)
        self.thumbnails.setFlow(QListWidget.Flow.TopToBottom)
        self.thumbnails.setWrapping(False)
        self.thumbnails.setMovement(QListWidget.Movement.Static)
        self.thumbnails.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.thumbnails.setUniformItemSizes(True)
        self.thumbnails.setIconSize(QSize(THUMB_WIDTH, int(THUMB_WIDTH * 1.42)))
        self.thumbnails.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.thumbnails.setFixedWidth(THUMB_WIDTH + 40)
        self.thumbnails.setSpacing(0)
        self.thumbnails.verticalScrollBar().valueChanged.connect(self._request_visible)
        self.thumbnails.currentRowChanged.connect(self._on_current_row_changed)

        self.page_view = QPdfView()
        self.page_view.setDocument(self.document)
        self.page_view.setPageMode(QPdfView.PageMode.SinglePage)
        self.page_view.setZoomMode(QPdfView.ZoomMode.FitInView)

        pages = QWidget()
        pages_layout = QHBoxLayout(pages)
        pages_layout.setContentsMargins(0, 0, 0, 0)
        pages_layout.addWidget(self.thumbnails)
        pages_layout.addWidget(self.page_view, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message_label)
        self.stack.addWidget(pages)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title_label)
        layout.addWidget(self.facts_label)
        layout.addWidget(self.badge_label)
        layout.addWidget(self.stack, 1)
        self.show_message(self.tr("Chọn một tệp PDF hoặc ảnh trong danh sách để xem trước."))

    # --- what is shown -----------------------------------------------------------------

    def show_message(self, text: str) -> None:
        """Show `text` instead of pages (nothing selected, not a PDF, unreadable)."""
        self._close_document()
        self.title_label.clear()
        self.facts_label.clear()
        self.badge_label.clear()
        self.message_label.setText(text)
        self.stack.setCurrentIndex(0)

    def show_pdf(self, path: Path, name: str, size: int, facts: dict[str, Any]) -> bool:
        """Open the PDF at `path` (shown as `name`); False with a message when it cannot."""
        self._close_document()
        self.title_label.setText(name)
        self.badge_label.setText(self._badge_text(facts))
        self.badge_label.setStyleSheet(
            "color: #1b6e2d; font-weight: bold;" if facts.get("signed") else "color: palette(mid);"
        )
        error = self.document.load(str(path))
        if error != QPdfDocument.Error.None_:
            self.facts_label.setText(size_label(size))
            self.message_label.setText(self._error_text(error))
            self.stack.setCurrentIndex(0)
            return False
        self.path = path
        count = self.document.pageCount()
        self.facts_label.setText(
            self.tr("%n trang", "", count) + " · " + size_label(size) + self._page_size_text()
        )
        for page in range(count):
            item = QListWidgetItem(str(page + 1))
            item.setData(PAGE_ROLE, page)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            # Rows are laid out before their icons exist: give them the thumbnail's size
            # so they neither shrink to a bare page number nor jump when drawn.
            item.setSizeHint(ROW_SIZE)
            self.thumbnails.addItem(item)
        self.stack.setCurrentIndex(1)
        if count:
            self.thumbnails.setCurrentRow(0)
        self._request_visible()
        return True

    def page_count(self) -> int:
        return self.document.pageCount() if self.path is not None else 0

    def thumbnail_drawn(self, page: int) -> bool:
        item = self.thumbnails.item(page)
        return item is not None and not item.icon().isNull()

    # --- helpers ------------------------------------------------------------------------

    def _badge_text(self, facts: dict[str, Any]) -> str:
        if facts.get("signed"):
            return self.tr("✔ Đã ký số (%n chữ ký)", "", int(facts.get("signatures", 1)))
        return self.tr("Chưa ký số")

    def _page_size_text(self) -> str:
        if self.document.pageCount() == 0:
            return ""
        points = self.document.pagePointSize(0)
        width_mm = round(points.width() * 25.4 / 72)
        height_mm = round(points.height() * 25.4 / 72)
        return (
            self.tr(" · trang 1: %1 × %2 mm")
            .replace("%1", str(width_mm))
            .replace("%2", str(height_mm))
        )

    def _error_text(self, error: QPdfDocument.Error) -> str:
        if error == QPdfDocument.Error.IncorrectPassword:
            return self.tr(
                "Tệp PDF này được đặt mật khẩu nên không xem trước được và cổng sẽ không "
                "đọc được. Hãy mở tệp bằng mật khẩu, in lại ra PDF không mật khẩu rồi đính "
                "kèm lại."
            )
        if error == QPdfDocument.Error.FileNotFound:
            return self.tr(
                "Không tìm thấy tệp trong kho dữ liệu. Hãy chạy «dvc-desk doctor» hoặc gỡ tệp "
                "và đính kèm lại."
            )
        return self.tr(
            "Tệp không đọc được như một PDF (có thể bị hỏng hoặc không phải PDF). Hãy mở "
            "thử bằng trình đọc PDF; nếu hỏng, hãy quét hoặc xuất lại rồi đính kèm lại."
        )

    def _new_document(self) -> tuple[QPdfDocument, QPdfPageRenderer]:
        document = QPdfDocument(self)
        renderer = QPdfPageRenderer(self)
        renderer.setRenderMode(QPdfPageRenderer.RenderMode.MultiThreaded)
        renderer.setDocument(document)
        renderer.pageRendered.connect(self._on_page_rendered)
        return document, renderer

    def _close_document(self) -> None:
        """Drop the shown file. Each file gets its own document and renderer: a renderer
        reused across files loses requests made while it is still busy with the old one
        (seen as thumbnails that never appear when the clerk clicks quickly)."""
        self._requested.clear()
        self._pending.clear()
        self.thumbnails.clear()
        self.path = None
        old_document, old_renderer = self.document, self.renderer
        old_renderer.pageRendered.disconnect(self._on_page_rendered)
        self.document, self.renderer = self._new_document()
        self.page_view.setDocument(self.document)
        # The renderer goes first: its destructor waits for its thread to finish
        # rendering the old document, which is deleted after it.
        old_renderer.deleteLater()
        old_document.deleteLater()

    @Slot()
    def _request_visible(self) -> None:
        """Ask the renderer for the thumbnails whose rows are in view (and a few after)."""
        if self.path is None:
            return
        viewport = self.thumbnails.viewport().rect()
        visible = [
            row
            for row in range(self.thumbnails.count())
            if self.thumbnails.visualItemRect(self.thumbnails.item(row)).intersects(viewport)
        ]
        if not visible:
            visible = [0] if self.thumbnails.count() else []
        wanted = range(min(visible, default=0), min(max(visible, default=0) + 3, self.page_count()))
        for page in wanted:
            if page in self._requested:
                continue
            self._requested.add(page)
            points = self.document.pagePointSize(page)
            height = int(THUMB_WIDTH * points.height() / max(points.width(), 1.0))
            request = self.renderer.requestPage(
                page, QSize(THUMB_WIDTH, max(height, 1)), QPdfDocumentRenderOptions()
            )
            self._pending[int(request)] = page

    @Slot(int, QSize, QImage, QPdfDocumentRenderOptions, int)
    def _on_page_rendered(
        self,
        page: int,
        _size: QSize,
        image: QImage,
        _options: QPdfDocumentRenderOptions,
        request: int,
    ) -> None:
        # A render asked for before another document was opened is dropped.
        if self._pending.pop(int(request), None) != page:
            return
        item = self.thumbnails.item(page)
        if item is None or image.isNull():
            return
        item.setIcon(QIcon(QPixmap.fromImage(image)))
        self.sig_thumbnail_ready.emit(page)

    @Slot(int)
    def _on_current_row_changed(self, row: int) -> None:
        if row >= 0 and self.path is not None:
            self.page_view.pageNavigator().jump(row, QPointF(0, 0))

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._request_visible()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._request_visible()
