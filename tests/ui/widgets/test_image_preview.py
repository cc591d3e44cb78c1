"""ui/widgets/image_preview.py: scaled decoding off the GUI thread, facts, orientation,
damaged and missing files."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from ui_images import BLUE, RED, write_damaged_jpeg, write_image

import ui.widgets.image_preview as image_preview
from ui.widgets.image_preview import PREVIEW_SIDE, ImagePreview, decode

DAMAGED_JPEG_LOGS = pytest.mark.qt_log_ignore(r".*JPEG.*", r".*JFIF.*")


@pytest.fixture
def preview(qtbot) -> ImagePreview:
    widget = ImagePreview()
    qtbot.addWidget(widget)
    widget.resize(600, 500)
    widget.show()
    yield widget
    widget.wait_idle()


def _show(qtbot, preview: ImagePreview, path: Path, name: str) -> bool:
    with qtbot.waitSignal(preview.sig_shown, timeout=10000) as shown:
        preview.show_image(path, name, path.stat().st_size)
    return bool(shown.args[0])


def _colour(preview: ImagePreview, x: float, y: float) -> tuple[int, int, int]:
    assert preview.decoded is not None and preview.decoded.image is not None
    image = preview.decoded.image
    colour = image.pixelColor(int(x * (image.width() - 1)), int(y * (image.height() - 1)))
    return colour.red(), colour.green(), colour.blue()


def _close(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    return all(abs(x - y) <= 12 for x, y in zip(a, b, strict=True))


def test_a_large_photo_is_shown_scaled_with_its_facts(
    qtbot, preview: ImagePreview, tmp_path: Path
) -> None:
    path = write_image(tmp_path / "cccd.jpg", (6000, 4000), dpi=300)
    assert _show(qtbot, preview, path, "CCCD mặt trước.jpg")
    assert preview.is_showing_picture()
    assert preview.title_label.text() == "CCCD mặt trước.jpg"
    facts = preview.facts_label.text()
    assert facts.startswith("6000 × 4000 điểm ảnh · 300 dpi · ")
    decoded = preview.decoded
    assert decoded is not None and decoded.image is not None
    # Decoded straight to the preview size, never the 24-megapixel original.
    assert (decoded.image.width(), decoded.image.height()) == (PREVIEW_SIDE, 1067)
    pixmap = preview.picture.pixmap()
    assert not pixmap.isNull()
    assert pixmap.width() <= preview.picture.width() and pixmap.height() <= preview.picture.height()


def test_the_exif_orientation_is_applied(qtbot, preview: ImagePreview, tmp_path: Path) -> None:
    # Stored lying on its side (left red, right blue) with "rotate 90° clockwise".
    path = write_image(tmp_path / "chup.jpg", (1200, 800), orientation=6)
    assert _show(qtbot, preview, path, "chup.jpg")
    assert preview.facts_label.text().startswith("800 × 1200 điểm ảnh · ")
    assert _close(_colour(preview, 0.5, 0.1), RED), "the stored left side is now on top"
    assert _close(_colour(preview, 0.5, 0.9), BLUE)


@pytest.mark.parametrize(
    ("name", "dpi", "expected"),
    [("scan.png", 200, "200 dpi"), ("scan.tif", 600, "600 dpi"), ("khong-dpi.png", None, None)],
)
def test_png_and_tiff_show_their_resolution_when_recorded(
    qtbot, preview: ImagePreview, tmp_path: Path, name: str, dpi: int | None, expected: str | None
) -> None:
    path = write_image(tmp_path / name, (2400, 3200), dpi=dpi)
    assert _show(qtbot, preview, path, name)
    parts = preview.facts_label.text().split(" · ")
    assert parts[0] == "2400 × 3200 điểm ảnh"
    if expected is None:
        assert len(parts) == 2 and "dpi" not in preview.facts_label.text()
    else:
        assert parts[1] == expected
    assert preview.decoded is not None and preview.decoded.image is not None
    assert preview.decoded.image.height() == PREVIEW_SIDE


@DAMAGED_JPEG_LOGS
def test_a_damaged_image_says_what_to_do(qtbot, preview: ImagePreview, tmp_path: Path) -> None:
    path = write_damaged_jpeg(tmp_path / "hong.jpg")
    assert not _show(qtbot, preview, path, "hong.jpg")
    assert not preview.is_showing_picture()
    assert preview.message().startswith("Không đọc được ảnh này: tệp bị hỏng")
    assert "đính kèm lại" in preview.message()
    assert preview.title_label.text() == "hong.jpg"


def test_a_missing_file_says_so(qtbot, preview: ImagePreview, tmp_path: Path) -> None:
    with qtbot.waitSignal(preview.sig_shown, timeout=10000) as shown:
        preview.show_image(tmp_path / "khong-co.png", "khong-co.png", 1234)
    assert shown.args[0] is False
    assert "Không tìm thấy tệp ảnh" in preview.message()


def test_decoding_runs_on_a_worker_not_the_gui_thread(
    qtbot, preview: ImagePreview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []

    def recording_decode(path: Path, side: int = PREVIEW_SIDE) -> image_preview.Decoded:
        threads.append(threading.current_thread())
        return decode(path, side)

    monkeypatch.setattr(image_preview, "decode", recording_decode)
    path = write_image(tmp_path / "scan.png", (3000, 2000))
    with qtbot.waitSignal(preview.sig_shown, timeout=10000):
        preview.show_image(path, "scan.png", path.stat().st_size)
        # show_image returned before anything was decoded: the pane says it is opening.
        assert preview.message() == "Đang mở ảnh…"
    assert threads and threads[0] is not threading.main_thread()


def test_only_the_last_chosen_file_is_shown(qtbot, preview: ImagePreview, tmp_path: Path) -> None:
    first = write_image(tmp_path / "mot.png", (3000, 2000))
    second = write_image(tmp_path / "hai.jpg", (400, 300))
    preview.show_image(first, "mot.png", first.stat().st_size)
    with qtbot.waitSignal(preview.sig_shown, timeout=10000):
        preview.show_image(second, "hai.jpg", second.stat().st_size)
    assert preview.wait_idle()
    QCoreApplication.processEvents()  # the first file's (stale) answer is delivered now
    assert preview.title_label.text() == "hai.jpg"
    assert preview.facts_label.text().startswith("400 × 300 điểm ảnh")
    assert preview.path == second


def test_a_picture_too_large_to_decode_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: object
) -> None:
    # PNG cannot be decoded scaled; above the limit it is not decoded at all.
    monkeypatch.setattr(image_preview, "MAX_DECODE_MB", 1)
    path = write_image(tmp_path / "to.png", (3000, 2000))
    result = decode(path)
    assert result.image is None and (result.width, result.height) == (3000, 2000)
    assert result.error is not None and "quá lớn để xem trước" in result.error
