"""Generated images for the preview tests: JPEG/PNG/TIFF with or without a resolution,
an EXIF orientation, and damaged files."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

ORIENTATION = 0x0112
RED = (220, 30, 30)
BLUE = (30, 30, 220)


def write_image(
    path: Path,
    size: tuple[int, int] = (1200, 800),
    *,
    dpi: int | None = None,
    orientation: int | None = None,
) -> Path:
    """Left half red, right half blue (so a rotation is visible); format from the suffix."""
    image = Image.new("RGB", size, RED)
    image.paste(BLUE, (size[0] // 2, 0, size[0], size[1]))
    options: dict[str, object] = {}
    if dpi is not None:
        options["dpi"] = (dpi, dpi)
    if orientation is not None:
        exif = Image.Exif()
        exif[ORIENTATION] = orientation
        options["exif"] = exif.tobytes()
    image.save(path, **options)
    return path


def write_damaged_jpeg(path: Path) -> Path:
    """A JPEG signature followed by garbage: sniffed as JPEG, but no picture in it."""
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x13\x37" * 400)
    return path
