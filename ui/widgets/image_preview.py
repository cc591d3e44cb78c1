"""A preview of one attached image (JPEG, PNG, TIFF): the picture and its facts.

A phone photo or a scan of 200 MB must never be decoded on the GUI thread, nor at full
resolution when that can be avoided: the file is read by `QImageReader` on a worker
thread with `setScaledSize` (JPEG decodes straight to the smaller size; PNG and TIFF
are decoded there and scaled), with the EXIF orientation applied (`setAutoTransform`),
so the clerk sees the page the right way up. The header gives the pixel size as shown,
the resolution when the file records one, and the file size. A damaged or unknown file
shows a sentence saying what to do.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    Signal,
    Slot,
)
from PySide6.QtGui import QImage, QImageIOHandler, QImageReader, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from ui.models.labels import size_label

# The decoded picture is at most this many pixels on its long side: plenty for a
# preview pane, 8 MB as RGB32.
PREVIEW_SIDE = 1600
# PNG and TIFF cannot be decoded scaled: a larger picture needs a larger allocation than
# Qt's default 256 MB limit. Allowed up to this much on the worker; beyond it, a sentence.
MAX_DECODE_MB = 1024
IMAGE_TYPES = ("image/jpeg", "image/png", "image/tiff")
_INCH_PER_METRE = 0.0254

_limit_lock = threading.Lock()


@dataclass(frozen=True)
class Decoded:
    """What the worker read: the scaled picture and the facts of the full one."""

    image: QImage | None
    width: int  # full size as shown (orientation applied)
    height: int
    dpi: int | None  # None when the file records no resolution
    error: str | None  # a Vietnamese sentence when the picture could not be read


def _default_dpm() -> int:
    # Qt gives an image without a recorded resolution the default dots per metre.
    return QImage(1, 1, QImage.Format.Format_RGB32).dotsPerMeterX()


def _fit(size: QSize, side: int) -> QSize:
    longest = max(size.width(), size.height())
    if longest <= side:
        return QSize(size)
    scale = side / longest
    return QSize(max(1, round(size.width() * scale)), max(1, round(size.height() * scale)))


def _allow(megabytes: int) -> None:
    """Raise Qt's allocation limit (process-wide) so one big scan can be decoded."""
    with _limit_lock:
        if QImageReader.allocationLimit() < megabytes:
            QImageReader.setAllocationLimit(megabytes)


def decode(path: Path, side: int = PREVIEW_SIDE) -> Decoded:
    """Read `path` scaled to fit `side` pixels, oriented as its EXIF says. Any thread."""
    if not path.is_file():
        return Decoded(
            None,
            0,
            0,
            None,
            QCoreApplication.translate(
                "ImagePreview", "Không tìm thấy tệp ảnh trong kho; hãy đính kèm lại."
            ),
        )
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    raw = reader.size()  # from the header: nothing decoded yet
    if not raw.isValid() or raw.isEmpty():
        return Decoded(None, 0, 0, None, _damaged())
    turned = bool(reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90)
    width, height = (raw.height(), raw.width()) if turned else (raw.width(), raw.height())
    target = _fit(raw, side)
    if target != raw:
        reader.setScaledSize(target)
        if not reader.supportsOption(QImageIOHandler.ImageOption.ScaledSize):
            # Decoded at full size (on this worker) and then scaled down.
            needed = raw.width() * raw.height() * 4 // (1 << 20) + 1
            if needed > MAX_DECODE_MB:
                return Decoded(None, width, height, None, _too_large(width, height))
            _allow(needed)
    image = reader.read()
    if image.isNull():
        return Decoded(None, width, height, None, _damaged())
    dpm = image.dotsPerMeterX()
    dpi = round(dpm * _INCH_PER_METRE) if dpm > 0 and dpm != _default_dpm() else None
    return Decoded(image, width, height, dpi, None)


def _damaged() -> str:
    return QCoreApplication.translate(
        "ImagePreview",
        "Không đọc được ảnh này: tệp bị hỏng, chưa tải xong hoặc không phải ảnh JPEG, PNG, "
        "TIFF. Hãy quét hoặc chụp lại giấy tờ rồi đính kèm lại.",
    )


def _too_large(width: int, height: int) -> str:
    return (
        QCoreApplication.translate(
            "ImagePreview",
            "Ảnh %1 × %2 điểm ảnh quá lớn để xem trước; tệp vẫn được đính kèm và gửi bình "
            "thường. Nếu cần xem, hãy quét lại ở độ phân giải thấp hơn (300 dpi là đủ).",
        )
        .replace("%1", str(width))
        .replace("%2", str(height))
    )


class _Relay(QObject):
    """Carries a worker's result to the GUI thread (a queued signal)."""

    sig_done = Signal(int, object)


class _DecodeJob(QRunnable):
    def __init__(self, relay: _Relay, generation: int, path: Path) -> None:
        super().__init__()
        self._relay, self._generation, self._path = relay, generation, path

    def run(self) -> None:
        try:
            result = decode(self._path)
        except Exception as exc:  # an unexpected reader failure is a message, not a crash
            result = Decoded(None, 0, 0, None, f"{_damaged()} ({type(exc).__name__})")
        self._relay.sig_done.emit(self._generation, result)


class ImagePreview(QWidget):
    """Shows an image file: name, pixel size, dpi, file size, and the picture fitted."""

    sig_shown = Signal(bool)
    """A file finished loading: True when the picture is shown, False for a message."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self.decoded: Decoded | None = None
        self._generation = 0
        self._size = 0
        self._pixmap = QPixmap()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        # Not parented: a job still running when the widget goes keeps its relay alive.
        self._relay = _Relay()
        self._relay.sig_done.connect(self._on_decoded)

        self.title_label = QLabel()
        self.title_label.setStyleSheet("font-weight: bold;")
        self.facts_label = QLabel()
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setStyleSheet("color: palette(mid); padding: 24px;")
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(64, 64)
        self.picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.picture.installEventFilter(self)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message_label)
        self.stack.addWidget(self.picture)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title_label)
        layout.addWidget(self.facts_label)
        layout.addWidget(self.stack, 1)

    def show_message(self, text: str) -> None:
        """Show `text` instead of a picture."""
        self._generation += 1  # a decode still running is no longer wanted
        self.path, self.decoded = None, None
        self.title_label.clear()
        self.facts_label.clear()
        self._show_text(text)

    def show_image(self, path: Path, name: str, size: int) -> None:
        """Start reading `path` (shown as `name`) on the worker; `sig_shown` tells when."""
        self._generation += 1
        self.path, self.decoded, self._size = path, None, size
        self.title_label.setText(name)
        self.facts_label.setText(size_label(size))
        self._show_text(self.tr("Đang mở ảnh…"))
        self._pool.start(_DecodeJob(self._relay, self._generation, path))

    def wait_idle(self, msecs: int = 30_000) -> bool:
        """Wait for the worker (closing the app, tests); True when it is idle."""
        return self._pool.waitForDone(msecs)

    def is_showing_picture(self) -> bool:
        return self.stack.currentWidget() is self.picture

    def message(self) -> str:
        return self.message_label.text() if not self.is_showing_picture() else ""

    def _show_text(self, text: str) -> None:
        self._pixmap = QPixmap()
        self.picture.clear()
        self.message_label.setText(text)
        self.stack.setCurrentWidget(self.message_label)

    @Slot(int, object)
    def _on_decoded(self, generation: int, result: Decoded) -> None:
        if generation != self._generation:
            return  # another file was chosen meanwhile
        self.decoded = result
        facts = []
        if result.width and result.height:
            facts.append(self.tr("%1 × %2 điểm ảnh").replace("%1", str(result.width))
                         .replace("%2", str(result.height)))  # fmt: skip
        if result.dpi:
            facts.append(self.tr("%1 dpi").replace("%1", str(result.dpi)))
        facts.append(size_label(self._size))
        self.facts_label.setText(" · ".join(facts))
        if result.image is None:
            self._show_text(result.error or _damaged())
            self.sig_shown.emit(False)
            return
        self._pixmap = QPixmap.fromImage(result.image)
        self.stack.setCurrentWidget(self.picture)
        self._fit_picture()
        self.sig_shown.emit(True)

    def _fit_picture(self) -> None:
        if self._pixmap.isNull():
            return
        box = self.picture.size()
        if self._pixmap.width() <= box.width() and self._pixmap.height() <= box.height():
            self.picture.setPixmap(self._pixmap)
            return
        self.picture.setPixmap(
            self._pixmap.scaled(
                box,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The label gets its new size from the layout after this widget's own resize.
        if watched is self.picture and event.type() == QEvent.Type.Resize:
            self._fit_picture()
        return super().eventFilter(watched, event)
