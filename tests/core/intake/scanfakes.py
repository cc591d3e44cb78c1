"""Helpers for the intake tests: generated scans with known colours and resolutions."""

from __future__ import annotations

import io
import struct
import subprocess
import zlib
from pathlib import Path

from PIL import Image


def quadrants(size: tuple[int, int] = (80, 120), mode: str = "RGB") -> Image.Image:
    """An image whose four quadrants have distinct colours (to check orientation)."""
    w, h = size
    image = Image.new("RGB", size, (255, 255, 255))
    colours = [(220, 20, 20), (20, 200, 20), (20, 20, 220), (230, 200, 20)]
    boxes = [
        (0, 0, w // 2, h // 2),
        (w // 2, 0, w, h // 2),
        (0, h // 2, w // 2, h),
        (w // 2, h // 2, w, h),
    ]
    for colour, box in zip(colours, boxes, strict=True):
        image.paste(colour, box)
    return image.convert(mode) if mode != "RGB" else image


def save(image: Image.Image, path: Path, **params: object) -> Path:
    image.save(path, **params)
    return path


def png_with_size(path: Path, width: int, height: int) -> Path:
    """A PNG whose header claims `width`×`height` (for 0×0 and absurd sizes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )
    return path


def render(pdf: Path, page: int = 1, dpi: int = 20) -> Image.Image:
    """Page `page` of `pdf` as pixels, by poppler (an independent reader)."""
    png = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", str(pdf)],
        check=True,
        capture_output=True,
    ).stdout
    return Image.open(io.BytesIO(png)).convert("RGB")
