"""scripts/screenshots.py: `make screenshots` produces one real picture per screen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from scripts.screenshots import capture


def test_each_screen_is_saved_at_the_asked_size(qapp, tmp_path: Path) -> None:
    saved = capture(tmp_path, 1024, 640)
    names = [p.name for p in saved]
    assert names == [
        "main-window.png", "catalog.png", "dossiers.png", "dossier-editor.png",
        "dossier-files.png", "signing.png", "queue.png", "payments.png", "certificates.png",
        "settings.png",
    ]  # fmt: skip
    for path in saved:
        image = QImage(str(path))
        if path.name != "signing.png":  # a dialog of its own size
            assert (image.width(), image.height()) == (1024, 640)
        # Not a blank window: a rendered screen has many distinct colours (text, rows).
        colours = {
            image.pixel(x, y)
            for x in range(0, image.width(), 16)
            for y in range(0, image.height(), 16)
        }
        assert len(colours) > 5
